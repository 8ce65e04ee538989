import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { retryAfterMs, toDeliveryFailure } from '../../../../bots/teams/chat-port/connector-failure.js';
import { FailureCode } from '../../../../domain/failures.js';

function restError(status: number, headers: Record<string, string> = {}) {
  const err = new Error(`HTTP ${status}`) as Error & { statusCode: number; response: unknown };
  err.name = 'RestError';
  err.statusCode = status;
  err.response = { status, headers: { get: (name: string) => headers[name.toLowerCase()] } };
  return err;
}

describe('Bot Connector errors → coded activity failures', () => {
  it('429 → retryable ChatRateLimited with Retry-After as the next retry delay', () => {
    const f = toDeliveryFailure(restError(429, { 'retry-after': '3' }), 'card');
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f.type).toBe(FailureCode.ChatRateLimited);
    expect(f.nonRetryable).toBe(false);
    expect(f.nextRetryDelay).toBe(3000);
  });

  it('5xx, 408 and network errors → retryable ChatUnavailable', () => {
    for (const err of [
      restError(500),
      restError(503),
      restError(408),
      Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
    ]) {
      const f = toDeliveryFailure(err, 'card');
      expect(f.type).toBe(FailureCode.ChatUnavailable);
      expect(f.nonRetryable).toBe(false);
    }
  });

  it('other 4xx → ChatRejected, not retried', () => {
    for (const status of [400, 401, 403, 404]) {
      const f = toDeliveryFailure(restError(status), 'card');
      expect(f.type).toBe(FailureCode.ChatRejected);
      expect(f.nonRetryable).toBe(true);
    }
  });

  it('reads Retry-After as seconds or an HTTP date, within sane bounds', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('0.5')).toBe(500);
    expect(retryAfterMs(undefined)).toBe(1000);
    expect(retryAfterMs('soon')).toBe(1000);
    expect(retryAfterMs('0')).toBe(250);
    expect(retryAfterMs('86400')).toBe(300_000);
    const now = Date.parse('2013-02-18T21:00:00Z');
    expect(retryAfterMs('Mon, 18 Feb 2013 21:00:07 GMT', now)).toBe(7000);
  });
});
