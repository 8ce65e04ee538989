import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ActionEnvelope } from '../domain/actions.js';
import {
  bedRequestInputSchema,
  bedRequestWorkflowId,
  correctionWorkflowId,
  type BedRequestInput,
} from '../domain/bed-request.js';
import type { RequestView } from '../domain/request-view.js';
import type { PendingStartsStore } from '../store/pending-starts.js';
import { bedRequestWorkflow } from '../workflows/bed-request/bed-request-workflow.js';
import { actionSignal, stateQuery } from '../workflows/bed-request/messages.js';
import type { Logger } from './logger.js';
import { describeTemporalError, isTemporalUnreachable } from './temporal-unreachable.js';

/** The task queue the worker polls and the bots start bed requests on. */
export const TASK_QUEUE = 'concordat';

/**
 * How long a start may wait for Temporal before it counts as unreachable. Without a deadline the
 * client retries UNAVAILABLE for about 20 s; this keeps a queued answer inside Teams' 5-second
 * invoke (the bot's budget is 4 s).
 */
export const DEFAULT_START_DEADLINE_MS = 3_000;

export type StartStatus = 'started' | 'already_open' | 'already_closed' | 'queued';

/** How many times one custody record's request may be entered in error and made again. */
export const MAX_CORRECTIONS = 20;

/** How long a start asks a running request whether it has just been cancelled in error. */
const RUNNING_QUERY_DEADLINE_MS = 1_500;

export interface BedRequestClient {
  /**
   * Starts the request's workflow. The ID comes from the custody suite and record number, so a
   * double submit or a retried webhook starts nothing: it answers `already_open` (or
   * `already_closed` when that request has ended) with the existing workflow ID.
   * With an outbox, a start that cannot reach Temporal is kept and answers `queued`; so does any
   * submit of that record while it waits (docs/queued-submits.md).
   * Throws a ZodError when the input is not a valid bed request (the edge validates first).
   */
  start(
    input: BedRequestInput,
    requestedAt: string,
  ): Promise<{
    status: StartStatus;
    workflowId: string;
    /** A correction: the request, cancelled as entered in error, that this one replaces. */
    supersedes?: string;
  }>;
  /** Sends a button click or form submission into the request (checked there for role and state). */
  act(workflowId: string, envelope: ActionEnvelope): Promise<void>;
  /** The request's current view model, or null when there is no such request (or it is not registered yet). */
  view(workflowId: string): Promise<RequestView | null>;
}

export interface BedRequestClientOptions {
  taskQueue: string;
  /** Where a start that cannot reach Temporal is kept. Absent: such a start throws, as before. */
  outbox?: PendingStartsStore | undefined;
  /**
   * Deadline of one start call. Default: {@link DEFAULT_START_DEADLINE_MS} with an outbox (a late
   * answer is queued), none without one (the call waits out the client's own retries).
   */
  startDeadlineMs?: number | undefined;
  /** Called after a start reached Temporal: the drainer's cue that queued starts can go now. */
  onReachable?: (() => void) | undefined;
  log?: Logger | undefined;
  /**
   * The clock that stamps each action's `sentAt`, which the workflow decides the action's time by
   * (docs/durability.md, "The stale clock"). Default: the system clock. Time-skipping tests pass
   * the test server's clock.
   */
  actionClock?: (() => number | Promise<number>) | undefined;
}

/**
 * How long the server waits for a started workflow task before handing it to another worker. A
 * worker killed mid-task is only noticed when this runs out. 5 s was tried: under overload tasks
 * ran past it and were redone, adding load when there was none to spare (docs/durability.md,
 * "Recovery after a crash"). The server's default, 10 s, stated here so it is a choice.
 */
export const WORKFLOW_TASK_TIMEOUT = '10 seconds';

/**
 * Starts one bed-request workflow with the options every start must share (the bots' and the
 * outbox drainer's): the workflow ID is the request's, and neither a running nor a closed request
 * is ever replaced. `already_exists` covers both.
 */
export async function startBedRequestWorkflow(
  client: Client,
  opts: { taskQueue: string; workflowId: string; deadlineMs?: number | undefined },
  request: BedRequestInput,
  requestedAt: string,
): Promise<'started' | 'already_exists'> {
  const start = () =>
    client.workflow.start(bedRequestWorkflow, {
      taskQueue: opts.taskQueue,
      workflowId: opts.workflowId,
      args: [{ request, requestedAt }],
      // One request per custody record, ever: neither a running nor a closed one is replaced.
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
    });
  try {
    await (opts.deadlineMs === undefined
      ? start()
      : client.withDeadline(Date.now() + opts.deadlineMs, start));
    return 'started';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'already_exists';
    throw err;
  }
}

export function createBedRequestClient(client: Client, opts: BedRequestClientOptions): BedRequestClient {
  const deadlineMs = opts.startDeadlineMs ?? (opts.outbox ? DEFAULT_START_DEADLINE_MS : undefined);
  const { outbox, log } = opts;
  return {
    async start(input, requestedAt) {
      const request = bedRequestInputSchema.parse(input);
      const workflowId = bedRequestWorkflowId(request.custodySuiteId, request.custodyRecordNumber);
      // A record already waiting stays one request: the drainer starts it with its first submit time.
      if (outbox && (await outbox.status(workflowId))?.state === 'queued') {
        return { status: 'queued', workflowId };
      }
      // A request cancelled as entered in error may be made again on the same custody record: the
      // new one takes the next suffixed ID (`correctionWorkflowId`) and names the one it corrects.
      // Any other ending keeps the record closed (docs/legal-rules.md, "Correcting a mistake").
      let supersedes: string | undefined;
      for (let attempt = 1; ; attempt++) {
        const id = correctionWorkflowId(workflowId, attempt);
        let started: 'started' | 'already_exists';
        try {
          started = await startBedRequestWorkflow(
            client,
            { taskQueue: opts.taskQueue, workflowId: id, deadlineMs },
            request,
            requestedAt,
          );
        } catch (err) {
          if (!outbox || !isTemporalUnreachable(err)) throw err;
          const kept = await outbox.enqueue({ workflowId: id, input: request, requestedAt });
          // Queued before and since started: Temporal has the request, but cannot say in what state.
          if (kept.outcome === 'already_started') throw err;
          log?.warn(
            {
              workflowId: id,
              outcome: kept.outcome,
              requestedAt: kept.requestedAt,
              err: describeTemporalError(err),
            },
            'Temporal unreachable: bed request kept in the outbox',
          );
          // A correction queued in an outage still names the request it corrects, so the desk
          // links the two in the audit now, not never (docs/legal-rules.md, "Correcting a mistake").
          return { status: 'queued', workflowId: id, ...(supersedes ? { supersedes } : {}) };
        }
        opts.onReachable?.();
        if (started === 'started') {
          return { status: 'started', workflowId: id, ...(supersedes ? { supersedes } : {}) };
        }
        const handle = client.workflow.getHandle<typeof bedRequestWorkflow>(id);
        const description = await handle.describe();
        // A request just cancelled in error may still be recording its outcome: it counts as ended.
        const running = description.status.name === 'RUNNING';
        const final = running
          ? // Asked of a worker: without one in time, the request is taken as open (as before).
            await client
              .withDeadline(Date.now() + RUNNING_QUERY_DEADLINE_MS, () => handle.query(stateQuery))
              .catch(() => null)
          : description.status.name === 'COMPLETED'
            ? await handle.result()
            : null;
        const enteredInError = attempt < MAX_CORRECTIONS && final?.outcome?.code === 'cancelled_in_error';
        if (running && !enteredInError) return { status: 'already_open', workflowId: id };
        if (!enteredInError) return { status: 'already_closed', workflowId: id };
        supersedes = id;
      }
    },

    async act(workflowId, envelope) {
      const sentAt = new Date(await (opts.actionClock ?? Date.now)()).toISOString();
      await client.workflow.getHandle(workflowId).signal(actionSignal, { ...envelope, sentAt });
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
