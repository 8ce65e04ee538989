export type Budgeted<T> =
  { ok: true; value: T } | { ok: false; reason: 'timeout' | 'error'; error?: unknown };

/**
 * Runs `work` but gives up waiting after `ms` (Teams drops an invoke answered after 5 s). Without
 * `ms` it waits for the work itself.
 */
export async function withinBudget<T>(work: () => Promise<T>, ms?: number): Promise<Budgeted<T>> {
  const settled = work().then(
    (value): Budgeted<T> => ({ ok: true, value }),
    (error: unknown): Budgeted<T> => ({ ok: false, reason: 'error', error }),
  );
  if (ms === undefined) return settled;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Budgeted<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: 'timeout' }), ms);
  });
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One call's time budget shared by all its steps: each gets what is left, so a slow query and a
 * slow signal together still answer inside the platform's limit. Undefined: no limit.
 */
export function budget(totalMs?: number): () => number | undefined {
  if (totalMs === undefined) return () => undefined;
  const deadline = Date.now() + totalMs;
  return () => Math.max(1, deadline - Date.now());
}

/** A short, non-identifying reason for a log line from whatever was thrown. */
export function errorCode(err: unknown): string {
  if (err && typeof err === 'object') {
    const data = (err as { data?: { error?: unknown } }).data;
    if (data && typeof data.error === 'string') return data.error;
  }
  if (err instanceof Error) return `${err.name}: ${err.message.slice(0, 200)}`;
  return String(err).slice(0, 200);
}
