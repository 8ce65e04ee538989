import type { Client } from '@temporalio/client';
import type { PendingStart, PendingStartsStore } from '../store/pending-starts.js';
import { startBedRequestWorkflow } from './bed-request-client.js';
import type { Logger } from './logger.js';
import { describeTemporalError, isTemporalUnreachable } from './temporal-unreachable.js';

export interface StartOutboxOptions {
  client: Client;
  taskQueue: string;
  outbox: PendingStartsStore;
  log: Logger;
  /** Time between passes while nothing kicks the drainer (default 5 s). */
  intervalMs?: number;
  /** Deadline of one start (default 5 s: nobody is waiting on it, but a dead server should not stall a pass). */
  startDeadlineMs?: number;
  /** Requests read per pass (default 50; a full batch is followed at once by another pass). */
  batchSize?: number;
  now?: () => Date;
  /** Told once a queued request has started (or was found already started). */
  onStarted?: (
    entry: Omit<PendingStart, 'input'> & { requestingOfficer: PendingStart['input']['requestingOfficer'] },
  ) => void | Promise<void>;
}

export interface DrainResult {
  started: number;
  /** Still waiting after this pass (unreachable, or refused by the server). */
  waiting: number;
  /** True when the pass stopped early because Temporal could not be reached. */
  unreachable: boolean;
}

export interface StartOutboxDrainer {
  /** Runs a pass now (or straight after the one under way): Temporal just answered someone. */
  kick(): void;
  /** One pass over the queued requests; used by the loop and by tests. */
  drainOnce(): Promise<DrainResult>;
  /** Stops the loop and waits for a pass under way. */
  stop(): Promise<void>;
}

/**
 * Starts the bed requests that were queued while Temporal was unreachable (docs/queued-submits.md).
 * Each keeps its workflow ID and the sergeant's `requestedAt`, so the ladder's clock runs from the
 * submit, not from the outage's end. Starting is idempotent: the ID policy refuses a second
 * workflow, and "already started" counts as done, so two bots draining one database, or a start
 * whose answer was lost, still make one request.
 */
export function createStartOutboxDrainer(opts: StartOutboxOptions): StartOutboxDrainer {
  const log = opts.log.child({ component: 'start-outbox' });
  const intervalMs = opts.intervalMs ?? 5_000;
  const deadlineMs = opts.startDeadlineMs ?? 5_000;
  const batchSize = opts.batchSize ?? 50;
  const now = opts.now ?? (() => new Date());

  async function startOne(entry: PendingStart): Promise<'started' | 'unreachable' | 'refused'> {
    const { workflowId } = entry;
    try {
      const result = await startBedRequestWorkflow(
        opts.client,
        { taskQueue: opts.taskQueue, workflowId, deadlineMs },
        entry.input,
        entry.requestedAt,
      );
      await opts.outbox.markStarted(workflowId, now().toISOString());
      log.info(
        {
          workflowId,
          requestedAt: entry.requestedAt,
          attempts: entry.attempts + 1,
          alreadyStarted: result === 'already_exists',
        },
        'queued bed request started',
      );
      const { input, ...rest } = entry;
      await Promise.resolve(opts.onStarted?.({ ...rest, requestingOfficer: input.requestingOfficer })).catch(
        (err: unknown) => log.warn({ workflowId, err: (err as Error).message }, 'onStarted failed'),
      );
      return 'started';
    } catch (err) {
      const description = describeTemporalError(err);
      const unreachable = isTemporalUnreachable(err);
      await opts.outbox.recordFailure(workflowId, description, now().toISOString());
      if (unreachable) {
        log.debug(
          { workflowId, attempts: entry.attempts + 1, err: description },
          'Temporal still unreachable',
        );
        return 'unreachable';
      }
      // Kept, not dropped: a request for a child must not vanish on an unexpected answer. It is
      // retried every pass and the error is on the row for an operator.
      log.error({ workflowId, attempts: entry.attempts + 1, err: description }, 'queued bed request refused');
      return 'refused';
    }
  }

  async function drainOnce(): Promise<DrainResult> {
    const queued = await opts.outbox.listQueued(batchSize);
    const result: DrainResult = { started: 0, waiting: 0, unreachable: false };
    for (const [i, entry] of queued.entries()) {
      const outcome = await startOne(entry);
      if (outcome === 'started') {
        result.started += 1;
        continue;
      }
      if (outcome === 'unreachable') {
        // The rest would fail the same way: wait for the next pass.
        result.unreachable = true;
        result.waiting += queued.length - i;
        break;
      }
      result.waiting += 1;
    }
    if (result.started > 0 || result.waiting > 0) log.info({ ...result }, 'start outbox pass');
    return result;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref();
  };

  function run(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = (async () => {
      let next = intervalMs;
      try {
        const r = await drainOnce();
        // A full batch got through: there may be more behind it.
        if (!r.unreachable && r.started === batchSize) next = 0;
      } catch (err) {
        log.error({ err: (err as Error).message }, 'start outbox pass failed');
      } finally {
        running = undefined;
      }
      if (again) {
        again = false;
        next = 0;
      }
      schedule(next);
    })();
  }

  schedule(0);
  return {
    kick: () => run(),
    drainOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
