/**
 * An in-process token bucket per Teams thread and per app-and-tenant, so Concordat stays under
 * Teams' limits (7 sends a second per thread, about 30 requests a second per app per tenant)
 * instead of provoking 429s. Each `take` reserves a slot in both buckets and waits its turn;
 * tokens may go negative, which queues later callers fairly behind earlier ones.
 *
 * A wait longer than `maxWaitMs` is not slept inside an activity: the slot is given back and the
 * caller is told how long to come back after, so the Temporal activity retries later.
 */
export interface BucketRate {
  /** Burst size. */
  capacity: number;
  /** Sustained rate. */
  perSecond: number;
}

export interface PacerOptions {
  perThread?: BucketRate;
  perTenant?: BucketRate;
  maxWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const TEAMS_PER_THREAD: BucketRate = { capacity: 7, perSecond: 7 };
export const TEAMS_PER_TENANT: BucketRate = { capacity: 30, perSecond: 30 };

interface Bucket {
  tokens: number;
  at: number;
}

export type PaceResult = { ok: true; waitedMs: number } | { ok: false; retryAfterMs: number };

export class Pacer {
  private readonly threads = new Map<string, Bucket>();
  private readonly tenants = new Map<string, Bucket>();
  private readonly perThread: BucketRate;
  private readonly perTenant: BucketRate;
  private readonly maxWaitMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: PacerOptions = {}) {
    this.perThread = options.perThread ?? TEAMS_PER_THREAD;
    this.perTenant = options.perTenant ?? TEAMS_PER_TENANT;
    this.maxWaitMs = options.maxWaitMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  private refill(map: Map<string, Bucket>, key: string, rate: BucketRate, now: number): Bucket {
    const b = map.get(key) ?? { tokens: rate.capacity, at: now };
    b.tokens = Math.min(rate.capacity, b.tokens + ((now - b.at) / 1000) * rate.perSecond);
    b.at = now;
    map.set(key, b);
    return b;
  }

  /** Reserves one send on `thread` within `tenant`, waiting for the slot if needed. */
  async take(thread: string, tenant: string): Promise<PaceResult> {
    const now = this.now();
    this.prune(now);
    const t = this.refill(this.threads, thread, this.perThread, now);
    const a = this.refill(this.tenants, tenant, this.perTenant, now);
    t.tokens -= 1;
    a.tokens -= 1;
    const waitMs = Math.ceil(
      Math.max(
        0,
        (-t.tokens / this.perThread.perSecond) * 1000,
        (-a.tokens / this.perTenant.perSecond) * 1000,
      ),
    );
    if (waitMs > this.maxWaitMs) {
      t.tokens += 1;
      a.tokens += 1;
      return { ok: false, retryAfterMs: waitMs };
    }
    if (waitMs > 0) await this.sleep(waitMs);
    return { ok: true, waitedMs: waitMs };
  }

  /** Forget buckets that have been full for a minute, so the maps do not grow without end. */
  private prune(now: number): void {
    if (this.threads.size + this.tenants.size < 1000) return;
    for (const [map, rate] of [
      [this.threads, this.perThread],
      [this.tenants, this.perTenant],
    ] as const) {
      for (const [key, b] of map) {
        if (now - b.at > 60_000 && b.tokens >= rate.capacity - 1) map.delete(key);
      }
    }
  }
}
