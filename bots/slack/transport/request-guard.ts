import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type GuardVerdict =
  { ok: true } | { ok: false; reason: 'missing_headers' | 'stale' | 'ahead' | 'bad_signature' | 'replayed' };

export interface RequestGuardOptions {
  signingSecret: string;
  /** How far the request timestamp may differ from our clock, either way (Slack: 5 minutes). */
  maxSkewSeconds?: number;
  now?: () => number;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? undefined : v;
}

/**
 * Checks a Slack HTTP request before Bolt sees it: the v0 HMAC signature of `v0:${ts}:${body}`,
 * a timestamp no more than 5 minutes old *or ahead* (Bolt checks only "old"), and a replay of an
 * identical signed body inside that window (Bolt does not check this). A signature is remembered
 * only once it has verified, so a forger cannot burn a real request's signature.
 *
 * The memory is per process: with several bot replicas, a replay sent to a second replica within
 * the window passes here, and is then a no-op because every action carries a stable action ID and
 * the workflow ignores repeats.
 */
export function createRequestGuard(options: RequestGuardOptions) {
  const skew = options.maxSkewSeconds ?? 300;
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  let prunedAt = 0;

  // Past 10,000 remembered signatures, expired ones are dropped, at most once a second: a sweep
  // of the map on every request would put O(n) work before every ack under a burst.
  function prune(nowMs: number) {
    if (nowMs - prunedAt < 1_000) return;
    prunedAt = nowMs;
    for (const [sig, expires] of seen) if (expires <= nowMs) seen.delete(sig);
  }

  return {
    check(headers: IncomingHttpHeaders, rawBody: Buffer): GuardVerdict {
      const signature = header(headers, 'x-slack-signature');
      const tsText = header(headers, 'x-slack-request-timestamp');
      if (!signature || !tsText || !/^\d{1,12}$/.test(tsText))
        return { ok: false, reason: 'missing_headers' };
      const nowMs = now();
      const ts = Number(tsText);
      const nowSec = Math.floor(nowMs / 1000);
      if (ts < nowSec - skew) return { ok: false, reason: 'stale' };
      if (ts > nowSec + skew) return { ok: false, reason: 'ahead' };
      const expected = `v0=${createHmac('sha256', options.signingSecret)
        .update(`v0:${tsText}:`)
        .update(rawBody)
        .digest('hex')}`;
      const a = Buffer.from(signature);
      const b = Buffer.from(expected);
      if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'bad_signature' };
      if (seen.size > 10_000) prune(nowMs);
      const expires = seen.get(signature);
      if (expires !== undefined && expires > nowMs) return { ok: false, reason: 'replayed' };
      seen.set(signature, (ts + skew + 60) * 1000);
      return { ok: true };
    },
    /** For tests and metrics: how many signatures are remembered now. */
    size(): number {
      return seen.size;
    },
  };
}
export type RequestGuard = ReturnType<typeof createRequestGuard>;

const SSL_CHECK = Buffer.from('ssl_check=1');

/**
 * Slack's SSL check (`ssl_check=1`) is unsigned by design; Bolt answers it and strips the rest.
 * On the ack path of every request: the body is parsed only when the bytes `ssl_check=1` are in
 * it (they cannot be inside a form field's value, where `=` is percent-encoded).
 */
export function isSslCheck(headers: IncomingHttpHeaders, rawBody: Buffer): boolean {
  return (
    header(headers, 'content-type')?.startsWith('application/x-www-form-urlencoded') === true &&
    rawBody.includes(SSL_CHECK) &&
    new URLSearchParams(rawBody.toString('utf8')).get('ssl_check') === '1'
  );
}
