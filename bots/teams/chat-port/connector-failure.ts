import { ApplicationFailure } from '@temporalio/common';
import { FailureCode } from '../../../domain/failures.js';

/**
 * Turns a Bot Connector error into the coded, retry-aware failure the Temporal activity throws.
 * The adapter never retries itself: 429 → ChatRateLimited with Retry-After as the next retry
 * delay; 5xx, timeouts and network errors → ChatUnavailable (retryable); other 4xx → ChatRejected
 * (not retryable: the bot is not in the conversation, the ID is wrong, the card is invalid).
 */

export const DEFAULT_RETRY_AFTER_MS = 1_000;
const MIN_RETRY_AFTER_MS = 250;
const MAX_RETRY_AFTER_MS = 5 * 60_000;

export interface ConnectorErrorFacts {
  status?: number;
  retryAfter?: string;
  code?: string;
  message: string;
}

function headerFrom(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  if ('get' in headers && typeof headers.get === 'function') {
    const v: unknown = headers.get.call(headers, name);
    return typeof v === 'string' ? v : undefined;
  }
  const v: unknown = Reflect.get(headers, name) ?? Reflect.get(headers, name.toLowerCase());
  return typeof v === 'string' ? v : undefined;
}

/** Reads status, Retry-After and code from whatever botbuilder's connector threw. */
export function connectorErrorFacts(err: unknown): ConnectorErrorFacts {
  if (typeof err !== 'object' || err === null) return { message: String(err) };
  const message = err instanceof Error ? err.message : String(Reflect.get(err, 'message') ?? 'error');
  const response: unknown = Reflect.get(err, 'response');
  const statusRaw: unknown =
    Reflect.get(err, 'statusCode') ??
    (typeof response === 'object' && response !== null ? Reflect.get(response, 'status') : undefined);
  const headers: unknown =
    typeof response === 'object' && response !== null ? Reflect.get(response, 'headers') : undefined;
  const code: unknown = Reflect.get(err, 'code');
  const facts: ConnectorErrorFacts = { message };
  if (typeof statusRaw === 'number') facts.status = statusRaw;
  const retryAfter = headerFrom(headers, 'retry-after');
  if (retryAfter) facts.retryAfter = retryAfter;
  if (typeof code === 'string') facts.code = code;
  return facts;
}

/** Retry-After is seconds or an HTTP date; the result is clamped to a sane range. */
export function retryAfterMs(value: string | undefined, nowMs = Date.now()): number {
  if (!value) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(value.trim());
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - nowMs;
  if (!Number.isFinite(ms)) return DEFAULT_RETRY_AFTER_MS;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(MIN_RETRY_AFTER_MS, Math.round(ms)));
}

export function rateLimited(what: string, delayMs: number): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureCode.ChatRateLimited,
    message: `Teams rate limit on ${what}: retry after ${delayMs} ms`,
    nonRetryable: false,
    nextRetryDelay: delayMs,
    details: [{ retryAfterMs: delayMs }],
  });
}

export function toDeliveryFailure(err: unknown, what: string): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const f = connectorErrorFacts(err);
  if (f.status === 429) return rateLimited(what, retryAfterMs(f.retryAfter));
  if (f.status === undefined || f.status >= 500 || f.status === 408) {
    return ApplicationFailure.create({
      type: FailureCode.ChatUnavailable,
      message: `Teams unavailable for ${what}: ${f.status ?? f.code ?? 'no response'}`,
      nonRetryable: false,
      details: [{ status: f.status ?? null, code: f.code ?? null }],
    });
  }
  return ApplicationFailure.create({
    type: FailureCode.ChatRejected,
    message: `Teams refused ${what}: HTTP ${f.status}`,
    nonRetryable: true,
    details: [{ status: f.status }],
  });
}
