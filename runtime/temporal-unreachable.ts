import { isGrpcServiceError, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ZodError } from 'zod';

/**
 * gRPC codes that mean "the server did not answer", not "the server said no". UNAVAILABLE is a
 * refused or dropped connection; DEADLINE_EXCEEDED is our start deadline passing with no reply.
 * Anything the server itself decided (INVALID_ARGUMENT, NOT_FOUND namespace, PERMISSION_DENIED,
 * ALREADY_EXISTS…) would fail the same way again, so it must not be queued.
 */
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;
const UNREACHABLE_GRPC_CODES: ReadonlySet<number> = new Set([GRPC_UNAVAILABLE, GRPC_DEADLINE_EXCEEDED]);

/** Socket errors from a connection attempt (Node's errno codes). */
const UNREACHABLE_ERRNO: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);

function field(err: object, key: string): unknown {
  return (err as Record<string, unknown>)[key];
}

/**
 * True when a Temporal call failed because the server could not be reached, so the same call is
 * worth making again later: a gRPC UNAVAILABLE or DEADLINE_EXCEEDED (bare, or as the cause of the
 * client's ServiceError) or a socket error such as ECONNREFUSED. An already-started workflow, a
 * validation error or any answer from the server is not. Walks the `cause` chain a few levels.
 */
export function isTemporalUnreachable(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    if (current instanceof WorkflowExecutionAlreadyStartedError || current instanceof ZodError) return false;
    if (isGrpcServiceError(current)) {
      // The server's (or the channel's) own status: the code decides, whatever lies beneath.
      return UNREACHABLE_GRPC_CODES.has(current.code);
    }
    const code = field(current, 'code');
    if (typeof code === 'string' && UNREACHABLE_ERRNO.has(code)) return true;
    current = field(current, 'cause');
  }
  return false;
}

/**
 * A short description of a Temporal failure for logs and the outbox's last_error: the error's
 * class, gRPC code and message, never the request (the client's messages do not include payloads).
 */
export function describeTemporalError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  const causeText =
    cause instanceof Error
      ? ` (${cause.name}${typeof field(cause, 'code') !== 'undefined' ? ` ${String(field(cause, 'code'))}` : ''}: ${cause.message})`
      : '';
  return `${err.name}: ${err.message}${causeText}`.slice(0, 500);
}
