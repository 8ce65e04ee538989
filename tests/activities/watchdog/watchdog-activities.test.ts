/**
 * The stuck-request watchdog against a real dev server (the time-skipping server lists workflows
 * poorly and has no Schedules): a request with no workflow, a workflow that ended without an
 * outcome, and a workflow stranded on purpose: run to its ladder timer by one build, then handed
 * to a non-deterministic build whose workflow task fails again and again. Each is paged once to
 * the admins and the custody suite, and a second run pages nothing.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWatchdogActivities,
  type FindStuckResult,
  type StuckRequest,
} from '../../../activities/watchdog/index.js';
import { destinationKey } from '../../../domain/routing.js';
import { StuckReason } from '../../../domain/watchdog.js';
import { MetricsRegistry } from '../../../runtime/metrics.js';
import { openStore, type Store } from '../../../store/open-store.js';
import type { NewRequest } from '../../../store/records-store.js';
import { RecordingChatPort } from '../../support/recording-chat-port.js';
import { createLocalTestEnv } from '../../support/temporal.js';
import { NORTHAMPTON_PAGE_DESTINATIONS, newRequest, recordingLog, watchdogProtocol } from './support.js';

const TASK_QUEUE = 'watchdog-activities-test';
const V1 = fileURLToPath(new URL('./fixtures/stranded-v1.ts', import.meta.url));
const CHANGED = fileURLToPath(
  new URL('../../workflows/bed-request/fixtures/changed-workflow.ts', import.meta.url),
);

const quietBundler = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string) => console.error(message),
};

let env: TestWorkflowEnvironment;
let client: Client;
let store: Store;
let v1: WorkflowBundleWithSourceMap;
let changed: WorkflowBundleWithSourceMap;
const chat = new RecordingChatPort();
const metrics = new MetricsRegistry();
const { lines, log } = recordingLog();
let activities: ReturnType<typeof createWatchdogActivities>;

beforeAll(async () => {
  [env, store, v1, changed] = await Promise.all([
    createLocalTestEnv(),
    openStore({ dataDir: 'memory://', secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) } }),
    bundleWorkflowCode({ workflowsPath: V1, logger: quietBundler }),
    bundleWorkflowCode({ workflowsPath: CHANGED, logger: quietBundler }),
  ]);
  client = env.client;
  activities = createWatchdogActivities({ client, store, chat, protocol: watchdogProtocol(), log, metrics });
}, 300_000);

afterAll(async () => {
  await env?.teardown();
  await store?.close();
});

/** One watchdog look, run as Temporal would run the activity. */
function find(): Promise<FindStuckResult> {
  return new MockActivityEnvironment().run(activities.findStuckRequests);
}

async function findFor(workflowId: string): Promise<StuckRequest | undefined> {
  return (await find()).stuck.find((s) => s.view.workflowId === workflowId);
}

/** One full run for one request: look, then page what was found. */
async function runFor(workflowId: string): Promise<StuckRequest | undefined> {
  const stuck = await findFor(workflowId);
  if (stuck) await new MockActivityEnvironment().run(activities.pageStuckRequest, stuck);
  return stuck;
}

function pagesFor(workflowId: string, reason?: StuckReason) {
  return chat
    .ofKind('stuck_request')
    .filter((s) => s.message.view.workflowId === workflowId && (!reason || s.message.view.reason === reason));
}

async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the watchdog finds requests that have stopped moving', () => {
  it('a request in the store with no workflow behind it is paged once', async () => {
    const request = newRequest('NC-WD-NOWF');
    const { caseRef } = await store.registerRequest(request);

    const stuck = await runFor(request.workflowId);
    expect(stuck?.view).toMatchObject({
      workflowId: request.workflowId,
      caseRef,
      custodyRecordNumber: 'NC-WD-NOWF',
      custodySuiteName: 'Northampton Criminal Justice Centre',
      reason: StuckReason.NoWorkflow,
      since: request.requestedAt,
    });
    const pages = pagesFor(request.workflowId);
    expect(pages.map((p) => destinationKey(p.destination)).sort()).toEqual(
      [...NORTHAMPTON_PAGE_DESTINATIONS].sort(),
    );
    expect(pages.every((p) => p.op === 'post')).toBe(true);

    // A minute later the request is still stuck, and nobody is paged again.
    expect(await runFor(request.workflowId)).toMatchObject({ step: stuck?.step });
    expect(
      chat.sends.filter(
        (s) => s.message.kind === 'stuck_request' && s.message.view.workflowId === request.workflowId,
      ),
    ).toHaveLength(4);
    expect(metrics.gauge('concordat_stuck_requests', '').get({ reason: StuckReason.NoWorkflow })).toBe(1);
  });

  it('a workflow that ended without an outcome is paged once, with its status', async () => {
    const request = newRequest('NC-WD-TERM');
    await store.registerRequest(request);
    // Nobody polls this queue: the workflow never runs before it is terminated.
    const handle = await client.workflow.start('bedRequestWorkflow', {
      taskQueue: 'nobody-polls-this',
      workflowId: request.workflowId,
      args: [{ request, ladderMs: 1000 }],
    });
    await handle.terminate('watchdog test');

    const stuck = await runFor(request.workflowId);
    expect(stuck?.view).toMatchObject({ reason: StuckReason.WorkflowClosed, workflowStatus: 'TERMINATED' });
    await runFor(request.workflowId);
    expect(pagesFor(request.workflowId)).toHaveLength(4);
  });

  it('a request with its outcome recorded is not stuck, whatever its workflow did', async () => {
    const request = newRequest('NC-WD-DONE');
    await store.registerRequest(request);
    await store.recordOutcome({
      workflowId: request.workflowId,
      outcome: 'released_or_bailed',
      chargedAt: request.chargedAt,
      requestedAt: request.requestedAt,
      endedAt: new Date().toISOString(),
      escalationLevel: 0,
      overnight: false,
      weekend: false,
      declineReasons: [],
      actors: {},
    });
    expect(await findFor(request.workflowId)).toBeUndefined();
  });

  it('a stranded workflow: overdue while no worker runs, then failing under a changed build; one page each', async () => {
    const request: NewRequest = newRequest('NC-WD-STRAND');
    const activitiesV1 = { registerRequest: (r: NewRequest) => store.registerRequest(r) };
    const worker1 = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: v1,
      activities: activitiesV1,
    });
    const running1 = worker1.run();
    const handle = await client.workflow.start('bedRequestWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: request.workflowId,
      args: [{ request, ladderMs: 2000 }],
    });
    // Run to the ladder timer, then stop the worker.
    await eventually(
      async () => {
        const history = await handle.fetchHistory();
        return history.events?.some((e) => e.timerStartedEventAttributes) ? true : undefined;
      },
      30_000,
      'the ladder timer to start',
    );
    const { caseRef } = (await store.getRequest(request.workflowId))!;
    worker1.shutdown();
    await running1;

    // The timer fires with no worker to handle it: the request is overdue.
    const overdue = await eventually(
      async () => {
        const s = await findFor(request.workflowId);
        return s?.view.reason === StuckReason.WorkflowTaskOverdue ? s : undefined;
      },
      30_000,
      'the request to be overdue',
    );
    await new MockActivityEnvironment().run(activities.pageStuckRequest, overdue);
    expect(pagesFor(request.workflowId, StuckReason.WorkflowTaskOverdue)).toHaveLength(4);

    // A worker with a changed, non-deterministic build takes it over: its workflow task fails.
    const worker2 = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: changed,
      activities: activitiesV1,
    });
    const running2 = worker2.run();
    try {
      await eventually(
        async () => ((await handle.describe()).raw.pendingWorkflowTask?.attempt ?? 0) >= 3 || undefined,
        90_000,
        'the workflow task to fail three times',
      );
      const failing = await runFor(request.workflowId);
      expect(failing?.view).toMatchObject({
        workflowId: request.workflowId,
        caseRef,
        reason: StuckReason.WorkflowTaskFailing,
        custodySuiteName: 'Northampton Criminal Justice Centre',
      });
      expect(failing?.view.attempts).toBeGreaterThanOrEqual(3);
      expect(failing?.step).toMatch(/^watchdog:WORKFLOW_TASK_FAILING:/);

      const pages = pagesFor(request.workflowId, StuckReason.WorkflowTaskFailing);
      expect(pages.map((p) => destinationKey(p.destination)).sort()).toEqual(
        [...NORTHAMPTON_PAGE_DESTINATIONS].sort(),
      );
      expect(pages[0]?.message.view.caseRef).toBe(caseRef);

      // The next runs see the same incident (more failed attempts) and page nobody again.
      await eventually(
        async () =>
          ((await handle.describe()).raw.pendingWorkflowTask?.attempt ?? 0) > (failing?.view.attempts ?? 0) ||
          undefined,
        90_000,
        'another failed attempt',
      );
      const again = await runFor(request.workflowId);
      expect(again?.view.reason).toBe(StuckReason.WorkflowTaskFailing);
      expect(again?.step).toBe(failing?.step);
      expect(again?.view.since).toBe(failing?.view.since);
      expect(
        chat.sends.filter(
          (s) => s.message.kind === 'stuck_request' && s.message.view.workflowId === request.workflowId,
        ),
      ).toHaveLength(8);
    } finally {
      worker2.shutdown();
      await running2;
    }

    // A metric and a structured warning, each run.
    expect(metrics.render()).toContain('concordat_stuck_requests{reason="WORKFLOW_TASK_FAILING"} 1');
    expect(
      metrics
        .counter('concordat_stuck_request_incidents_total', '')
        .get({ reason: StuckReason.WorkflowTaskFailing }),
    ).toBe(1);
    expect(
      lines.filter(
        (l) =>
          l.level === 'warn' &&
          l.msg === 'stuck bed request' &&
          (l.obj as { workflowId?: string; reason?: string }).workflowId === request.workflowId &&
          (l.obj as { reason?: string }).reason === StuckReason.WorkflowTaskFailing,
      ).length,
    ).toBeGreaterThanOrEqual(2);
    await handle.terminate('watchdog test done');
  }, 240_000);
});
