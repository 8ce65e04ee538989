import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ActionEnvelope } from '../domain/actions.js';
import { bedRequestInputSchema, bedRequestWorkflowId, type BedRequestInput } from '../domain/bed-request.js';
import type { RequestView } from '../domain/request-view.js';
import { bedRequestWorkflow } from '../workflows/bed-request/bed-request-workflow.js';
import { actionSignal, stateQuery } from '../workflows/bed-request/messages.js';

/** The task queue the worker polls and the bots start bed requests on. */
export const TASK_QUEUE = 'concordat';

export type StartStatus = 'started' | 'already_open' | 'already_closed';

export interface BedRequestClient {
  /**
   * Starts the request's workflow. The ID comes from the custody suite and record number, so a
   * double submit or a retried webhook starts nothing: it answers `already_open` (or
   * `already_closed` when that request has ended) with the existing workflow ID.
   * Throws a ZodError when the input is not a valid bed request (the edge validates first).
   */
  start(input: BedRequestInput, requestedAt: string): Promise<{ status: StartStatus; workflowId: string }>;
  /** Sends a button click or form submission into the request (checked there for role and state). */
  act(workflowId: string, envelope: ActionEnvelope): Promise<void>;
  /** The request's current view model, or null when there is no such request (or it is not registered yet). */
  view(workflowId: string): Promise<RequestView | null>;
}

export function createBedRequestClient(client: Client, opts: { taskQueue: string }): BedRequestClient {
  return {
    async start(input, requestedAt) {
      const request = bedRequestInputSchema.parse(input);
      const workflowId = bedRequestWorkflowId(request.custodySuiteId, request.custodyRecordNumber);
      try {
        await client.workflow.start(bedRequestWorkflow, {
          taskQueue: opts.taskQueue,
          workflowId,
          args: [{ request, requestedAt }],
          // One request per custody record, ever: neither a running nor a closed one is replaced.
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
        return { status: 'started', workflowId };
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        const description = await client.workflow.getHandle(workflowId).describe();
        return {
          status: description.status.name === 'RUNNING' ? 'already_open' : 'already_closed',
          workflowId,
        };
      }
    },

    async act(workflowId, envelope) {
      await client.workflow.getHandle(workflowId).signal(actionSignal, envelope);
    },

    async view(workflowId) {
      try {
        return await client.workflow.getHandle(workflowId).query(stateQuery);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return null;
        throw err;
      }
    },
  };
}
