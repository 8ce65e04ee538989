import type { DigestRequestArgs, DigestRequests } from '../../../desk/digest-now.js';
import { computePeriod, PeriodError } from '../../../domain/digest/period.js';
import type { RequestDigestNowResult } from '../../../runtime/digest-client.js';

/**
 * A recording stand-in for `requestDigestNow` behind the bots' `digests` dependency. It answers as
 * the real client does: bad ranges are `invalid` with the period module's words, a request ID seen
 * before is `already_requested` with the same workflow ID, anything else is `started`.
 * `next` overrides the answer (or throws) for the next call only.
 */
export class FakeDigests implements DigestRequests {
  readonly calls: DigestRequestArgs[] = [];
  next: RequestDigestNowResult | Error | null = null;
  private readonly seen = new Map<string, string>();

  constructor(private readonly timeZone = 'Europe/London') {}

  requestNow(args: DigestRequestArgs): Promise<RequestDigestNowResult> {
    this.calls.push(structuredClone(args));
    const next = this.next;
    this.next = null;
    if (next instanceof Error) return Promise.reject(next);
    if (next) return Promise.resolve(next);
    let period;
    try {
      period = computePeriod({ kind: 'range', now: Date.now(), timeZone: this.timeZone, ...args });
    } catch (err) {
      if (err instanceof PeriodError) return Promise.resolve({ status: 'invalid', message: err.message });
      throw err;
    }
    const key = `${args.requestedBy.platform}:${args.requestId ?? `${args.from}:${args.to}`}`;
    const existing = this.seen.get(key);
    if (existing) return Promise.resolve({ status: 'already_requested', workflowId: existing, period });
    const workflowId = `digest-request:${key}`;
    this.seen.set(key, workflowId);
    return Promise.resolve({ status: 'started', workflowId, period });
  }

  reset(): void {
    this.calls.length = 0;
    this.next = null;
  }
}
