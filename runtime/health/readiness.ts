/**
 * Readiness: can this process (a worker or the bots, docs/architecture.md) do its work right now?
 * Each check is one cheap round trip with a short deadline, so a hung dependency makes /readyz
 * answer 503 within the deadline instead of hanging the probe.
 */
import type { ConnectionLike } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { SqlExecutor } from '../../store/sql-client.js';

/** One dependency to ask. It resolves when ready and throws (with a reason) when not. */
export interface ReadinessCheck {
  name: string;
  check(deadlineMs: number): Promise<void>;
}

export interface CheckResult {
  ok: boolean;
  /** How long the check took. */
  ms: number;
  /** Why it is not ready (a short message, never a secret: no URL or token is echoed). */
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
  /** The names of the checks that failed, so the 503 body says what is not ready. */
  notReady: string[];
}

/** Default per-check deadline: under a Kubernetes probe's 1 s default timeout plus a margin. */
export const DEFAULT_CHECK_TIMEOUT_MS = 1_500;

/** Resolves with `work`, or rejects once `ms` have passed; the timer never holds the process. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

// Database URLs carry passwords: strip anything URL-shaped from driver messages before showing them.
const URL_LIKE = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const clean = message.replace(URL_LIKE, '<url>').replace(/\s+/g, ' ').trim();
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean || 'failed';
}

/** Runs every check in parallel, each under its deadline. */
export async function checkReadiness(
  checks: readonly ReadinessCheck[],
  timeoutMs: number = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (c): Promise<[string, CheckResult]> => {
      const started = performance.now();
      const ms = () => Math.round(performance.now() - started);
      try {
        await withTimeout(c.check(timeoutMs), timeoutMs, c.name);
        return [c.name, { ok: true, ms: ms() }];
      } catch (error) {
        return [c.name, { ok: false, ms: ms(), error: reasonOf(error) }];
      }
    }),
  );
  const notReady = results.filter(([, r]) => !r.ok).map(([name]) => name);
  return { ready: notReady.length === 0, checks: Object.fromEntries(results), notReady };
}

/** The records store answers `SELECT 1` (PGlite in-process, or the Postgres server). */
export function databaseCheck(sql: Pick<SqlExecutor, 'query'>): ReadinessCheck {
  return {
    name: 'database',
    async check() {
      const rows = await sql.query<{ ok: number }>('SELECT 1 AS ok');
      if (Number(rows[0]?.ok) !== 1) throw new Error('SELECT 1 returned no row');
    },
  };
}

/**
 * The Temporal frontend answers GetSystemInfo: the cheapest call there is, with no namespace
 * lookup and nothing written. The gRPC deadline cancels the call itself, not just our wait.
 */
export function temporalCheck(
  connection: Pick<ConnectionLike, 'withDeadline' | 'workflowService'>,
): ReadinessCheck {
  return {
    name: 'temporal',
    async check(deadlineMs) {
      await connection.withDeadline(Date.now() + deadlineMs, () =>
        connection.workflowService.getSystemInfo({}),
      );
    },
  };
}

/**
 * The worker is polling its task queue. INITIALIZED (not yet running), STOPPING, DRAINING or
 * STOPPED (the SIGTERM shutdown of docs/durability.md, "Recovery after a crash") and FAILED all
 * mean this process will pick up no new task, so a balancer or orchestrator should not count it.
 */
export function workerCheck(worker: Pick<Worker, 'getState'>): ReadinessCheck {
  return {
    name: 'worker',
    check() {
      const state = worker.getState();
      return state === 'RUNNING' ? Promise.resolve() : Promise.reject(new Error(`worker is ${state}`));
    },
  };
}
