import { webApi } from '@slack/bolt';
import { ApplicationFailure } from '@temporalio/common';
import { FailureCode } from '../../domain/failures.js';

/** Slack `ok:false` errors that mean "try again later", not "this request is wrong". */
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/**
 * Turns a Web API error into the coded ApplicationFailure the activity throws. The Web API client
 * runs with retries off and rate-limited calls rejected, so Temporal's activity retry is the only
 * retry layer:
 *  - 429 → CHAT_RATE_LIMITED, retryable, `nextRetryDelay` = Retry-After;
 *  - 5xx, network errors, transient `ok:false` → CHAT_UNAVAILABLE, retryable;
 *  - other 4xx and `ok:false` (channel_not_found, not_in_channel, invalid_auth…) → CHAT_REJECTED,
 *    non-retryable: retrying cannot fix a wrong channel or a revoked token.
 * Messages carry the method and Slack's error code only, never the message text.
 */
export function toDeliveryFailure(error: unknown, method: string): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof webApi.WebAPIRateLimitedError) {
    const seconds = Math.max(1, error.retryAfter);
    return ApplicationFailure.create({
      type: FailureCode.ChatRateLimited,
      message: `Slack ${method} was rate limited; retry after ${seconds}s`,
      nextRetryDelay: `${seconds}s`,
      details: [{ method, retryAfterSeconds: seconds }],
    });
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    if (error.statusCode >= 500) {
      return ApplicationFailure.create({
        type: FailureCode.ChatUnavailable,
        message: `Slack ${method} answered HTTP ${error.statusCode}`,
        details: [{ method, status: error.statusCode }],
      });
    }
    return ApplicationFailure.create({
      type: FailureCode.ChatRejected,
      message: `Slack ${method} refused the call with HTTP ${error.statusCode}`,
      nonRetryable: true,
      details: [{ method, status: error.statusCode }],
    });
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = String(error.data.error);
    if (code === 'ratelimited' || code === 'rate_limited') {
      return ApplicationFailure.create({
        type: FailureCode.ChatRateLimited,
        message: `Slack ${method} was rate limited`,
        nextRetryDelay: '1s',
        details: [{ method, error: code }],
      });
    }
    if (TRANSIENT_PLATFORM_ERRORS.has(code)) {
      return ApplicationFailure.create({
        type: FailureCode.ChatUnavailable,
        message: `Slack ${method} failed: ${code}`,
        details: [{ method, error: code }],
      });
    }
    return ApplicationFailure.create({
      type: FailureCode.ChatRejected,
      message: `Slack ${method} refused the call: ${code}`,
      nonRetryable: true,
      details: [{ method, error: code }],
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return ApplicationFailure.create({
    type: FailureCode.ChatUnavailable,
    message: `Slack ${method} could not be reached: ${message}`,
    details: [{ method }],
  });
}

/** The Slack error code of a Web API failure (`message_not_found`…), or null. */
export function platformErrorCode(error: unknown): string | null {
  return error instanceof webApi.WebAPIPlatformError ? String(error.data.error) : null;
}
