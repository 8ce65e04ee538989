// The start path's decisions against a scripted Temporal client: which workflow ID a correction
// takes, and that a correction queued during an outage still names the request it corrects
// (docs/legal-rules.md, "Correcting a mistake"; docs/queued-submits.md).
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { bedRequestWorkflowId, correctionWorkflowId } from '../../domain/bed-request.js';
import { createBedRequestClient } from '../../runtime/bed-request-client.js';
import type { PendingStartsStore } from '../../store/pending-starts.js';
import { bedRequest } from '../support/workflow-harness.js';

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7233'), { code: 'ECONNREFUSED' });

/**
 * A client whose first workflow ID holds a request cancelled as entered in error, and which is
 * unreachable for every later start: the outage begins between the look and the new start.
 */
function scriptedClient(first: string) {
  const starts: string[] = [];
  const client = {
    withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn(),
    workflow: {
      start: (_wf: unknown, opts: { workflowId: string }) => {
        starts.push(opts.workflowId);
        return Promise.reject(
          opts.workflowId === first
            ? new WorkflowExecutionAlreadyStartedError('already started', first, 'bedRequestWorkflow')
            : refused(),
        );
      },
      getHandle: (id: string) => ({
        describe: () => Promise.resolve({ status: { name: id === first ? 'COMPLETED' : 'RUNNING' } }),
        result: () =>
          Promise.resolve({ outcome: { code: 'cancelled_in_error', at: '2026-02-18T19:00:00.000Z' } }),
      }),
    },
  };
  return { client: client as unknown as Client, starts };
}

function memoryOutbox() {
  const kept: string[] = [];
  const outbox = {
    status: () => Promise.resolve(null),
    enqueue: (entry: { workflowId: string; requestedAt: string }) => {
      kept.push(entry.workflowId);
      return Promise.resolve({ outcome: 'queued' as const, requestedAt: entry.requestedAt });
    },
  };
  return { outbox: outbox as unknown as PendingStartsStore, kept };
}

describe('starting a bed request', () => {
  it('queues a correction made during an outage under its own ID, still naming the request it corrects', async () => {
    const input = bedRequest({ custodyRecordNumber: 'C-OUTAGE-1' });
    const first = bedRequestWorkflowId(input.custodySuiteId, input.custodyRecordNumber);
    const { client, starts } = scriptedClient(first);
    const { outbox, kept } = memoryOutbox();
    const requests = createBedRequestClient(client, { taskQueue: 'q', outbox });

    const result = await requests.start(input, '2026-02-18T19:05:00.000Z');

    const second = correctionWorkflowId(first, 2);
    expect(starts).toEqual([first, second]);
    expect(kept).toEqual([second]);
    expect(result).toEqual({ status: 'queued', workflowId: second, supersedes: first });
  });

  it('without an outbox, an outage during a correction is thrown to the caller, not swallowed', async () => {
    const input = bedRequest({ custodyRecordNumber: 'C-OUTAGE-2' });
    const first = bedRequestWorkflowId(input.custodySuiteId, input.custodyRecordNumber);
    const { client } = scriptedClient(first);
    const requests = createBedRequestClient(client, { taskQueue: 'q' });
    await expect(requests.start(input, '2026-02-18T19:05:00.000Z')).rejects.toThrow(/ECONNREFUSED/);
  });
});
