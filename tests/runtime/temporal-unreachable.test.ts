import {
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { bedRequestInputSchema } from '../../domain/bed-request.js';
import { describeTemporalError, isTemporalUnreachable } from '../../runtime/temporal-unreachable.js';

/** What grpc-js rejects a call with: an Error carrying the status code, details and metadata. */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

const serviceError = (cause: Error) => new ServiceError('Failed to start Workflow', { cause });

describe('isTemporalUnreachable', () => {
  it.each([
    [
      'UNAVAILABLE under the client’s ServiceError (server down)',
      serviceError(grpcError(14, 'No connection established')),
    ],
    [
      'DEADLINE_EXCEEDED under ServiceError (our start deadline)',
      serviceError(grpcError(4, 'Deadline exceeded')),
    ],
    ['a bare gRPC UNAVAILABLE', grpcError(14, 'Connection dropped')],
    [
      'ECONNREFUSED from a connection attempt',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7233'), { code: 'ECONNREFUSED' }),
    ],
    [
      'ECONNRESET as a cause',
      new Error('Failed to connect', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }),
    ],
  ])('yes: %s', (_, err) => {
    expect(isTemporalUnreachable(err)).toBe(true);
  });

  const zodError = bedRequestInputSchema.safeParse({}).error;
  it.each([
    [
      'an already started workflow',
      new WorkflowExecutionAlreadyStartedError('exists', 'bed-request:X:1', 'bedRequestWorkflow'),
    ],
    ['a validation error', zodError],
    ['INVALID_ARGUMENT from the server', serviceError(grpcError(3, 'bad input'))],
    ['NOT_FOUND (no such namespace)', serviceError(grpcError(5, 'Namespace nope is not found'))],
    ['PERMISSION_DENIED', serviceError(grpcError(7, 'Request unauthorized'))],
    ['ALREADY_EXISTS as a raw gRPC status', grpcError(6, 'Workflow execution is already running')],
    ['a ServiceError with no cause', new ServiceError('Unexpected error')],
    ['a workflow not found', new WorkflowNotFoundError('gone', 'bed-request:X:1', undefined)],
    ['a plain error', new Error('something else')],
    ['a string', 'UNAVAILABLE'],
    ['undefined', undefined],
  ])('no: %s', (_, err) => {
    expect(isTemporalUnreachable(err)).toBe(false);
  });

  it('lets the gRPC code decide even when a socket error lies beneath it', () => {
    const refused = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    const denied = Object.assign(grpcError(7, 'denied'), { cause: refused });
    expect(isTemporalUnreachable(serviceError(denied))).toBe(false);
  });

  it('does not loop on a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isTemporalUnreachable(a)).toBe(false);
  });
});

describe('describeTemporalError', () => {
  it('names the class, message and gRPC code of the cause, briefly', () => {
    const text = describeTemporalError(serviceError(grpcError(14, 'No connection established')));
    expect(text).toBe('ServiceError: Failed to start Workflow (Error 14: 14 No connection established)');
    expect(describeTemporalError(new Error('x'.repeat(2000))).length).toBeLessThanOrEqual(500);
  });
});
