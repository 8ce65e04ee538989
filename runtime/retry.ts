/**
 * Calls `fn` until it succeeds, at most `attempts` times, `delayMs` apart, then throws its last
 * error. For start-up calls that a busy server can time out once without anything being wrong
 * (docs/durability.md, "Recovery after a crash": a worker start once exited on one timed-out
 * schedule describe while the crash suite kept Temporal busy).
 */
export async function withRetries<T>(
  fn: () => Promise<T>,
  opts: {
    attempts: number;
    delayMs: number;
    onRetry?: (err: unknown, attempt: number) => void;
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<T> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= opts.attempts) throw err;
      opts.onRetry?.(err, attempt);
      await sleep(opts.delayMs);
    }
  }
}
