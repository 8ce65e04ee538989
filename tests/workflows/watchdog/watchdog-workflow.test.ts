/**
 * The watchdog workflow on a real dev server: it pages every stuck request it is given and counts
 * the pages that failed without holding up the others; and the Schedule ensureSchedules creates
 * runs it end to end against the records store, paging once however often it runs.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWatchdogActivities,
  type FindStuckResult,
  type PageResult,
  type StuckRequest,
} from '../../../activities/watchdog/index.js';
import { destinationKey } from '../../../domain/routing.js';
import { StuckReason } from '../../../domain/watchdog.js';
import { MetricsRegistry } from '../../../runtime/metrics.js';
import { ensureSchedules, SCHEDULE_IDS } from '../../../runtime/schedules.js';
import { openStore, type Store } from '../../../store/open-store.js';
import type { WatchdogRunResult } from '../../../workflows/watchdog/index.js';
import { stuckRequestWatchdogWorkflow } from '../../../workflows/watchdog/index.js';
import {
  NORTHAMPTON_PAGE_DESTINATIONS,
  newRequest,
  watchdogProtocol,
} from '../../activities/watchdog/support.js';
import { RecordingChatPort } from '../../support/recording-chat-port.js';
import { createLocalTestEnv } from '../../support/temporal.js';

const workflowsPath = fileURLToPath(new URL('./workflows.ts', import.meta.url));

let env: TestWorkflowEnvironment;
let store: Store;

beforeAll(async () => {
  [env, store] = await Promise.all([
    createLocalTestEnv(),
    openStore({ dataDir: 'memory://', secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) } }),
  ]);
}, 300_000);

afterAll(async () => {
  await env?.teardown();
  await store?.close();
});

function stuck(workflowId: string, reason: StuckReason): StuckRequest {
  return {
    view: { workflowId, reason, since: '2026-03-01T20:00:00Z', detectedAt: '2026-03-01T20:05:00Z' },
    step: `watchdog:${reason}:x`,
    incident: 'x',
    custodySuiteId: 'northampton-cjc',
  };
}

describe('stuckRequestWatchdogWorkflow', () => {
  it('pages each stuck request; one failed page does not stop the others', async () => {
    const taskQueue = 'watchdog-workflow-mocked';
    const paged: string[] = [];
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath,
      activities: {
        findStuckRequests: (): Promise<FindStuckResult> =>
          Promise.resolve({
            checked: 5,
            stuck: [stuck('wf-a', StuckReason.NoWorkflow), stuck('wf-b', StuckReason.WorkflowTaskFailing)],
          }),
        pageStuckRequest: (s: StuckRequest): Promise<PageResult> => {
          paged.push(s.view.workflowId);
          if (s.view.workflowId === 'wf-a')
            throw ApplicationFailure.nonRetryable('chat rejected', 'CHAT_REJECTED');
          return Promise.resolve({ workflowId: s.view.workflowId, posted: 3, alreadyPaged: 1 });
        },
      },
    });
    const result = await worker.runUntil(
      env.client.workflow.execute(stuckRequestWatchdogWorkflow, { taskQueue, workflowId: 'watchdog-mocked' }),
    );
    expect(result).toEqual<WatchdogRunResult>({
      checked: 5,
      stuck: [
        { workflowId: 'wf-a', reason: StuckReason.NoWorkflow },
        { workflowId: 'wf-b', reason: StuckReason.WorkflowTaskFailing },
      ],
      posted: 3,
      failedPages: 1,
    });
    expect(paged.sort()).toEqual(['wf-a', 'wf-b']);
  });

  it('runs on its Schedule against the store and pages a stuck request once, however often it runs', async () => {
    const taskQueue = 'watchdog-workflow-scheduled';
    const protocol = watchdogProtocol();
    const chat = new RecordingChatPort();
    const request = newRequest('NC-WD-SCHED');
    await store.registerRequest(request);
    const schedules = await ensureSchedules(env.client, protocol, { taskQueue });
    expect(schedules.created).toContain('watchdog');

    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath,
      activities: createWatchdogActivities({
        client: env.client,
        store,
        chat,
        protocol,
        metrics: new MetricsRegistry(),
      }),
    });
    const handle = env.client.schedule.getHandle(SCHEDULE_IDS.watchdog);
    const runOnce = async (): Promise<WatchdogRunResult> => {
      const before = (await handle.describe()).info.recentActions.length;
      await handle.trigger();
      for (let i = 0; i < 150; i++) {
        const actions = (await handle.describe()).info.recentActions;
        const started = actions.length > before ? actions.at(-1)?.action.workflow.workflowId : undefined;
        if (started) return (await env.client.workflow.getHandle(started).result()) as WatchdogRunResult;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('the watchdog schedule did not start a workflow');
    };
    const [first, second] = await worker.runUntil(async () => [await runOnce(), await runOnce()]);
    await handle.delete();

    expect(first?.stuck).toContainEqual({ workflowId: request.workflowId, reason: StuckReason.NoWorkflow });
    expect(first?.posted).toBe(4);
    expect(second?.stuck).toContainEqual({ workflowId: request.workflowId, reason: StuckReason.NoWorkflow });
    expect(second?.posted).toBe(0);
    const pages = chat.ofKind('stuck_request');
    expect(pages.map((p) => destinationKey(p.destination)).sort()).toEqual(
      [...NORTHAMPTON_PAGE_DESTINATIONS].sort(),
    );
    expect(chat.updates()).toEqual([]);
  }, 120_000);
});
