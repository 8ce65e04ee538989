/**
 * Schedules on a throwaway Temporal dev server (the time-skipping server has no Schedules):
 * created from the config in Europe/London, DST-correct, unchanged by a second start, updated in
 * place (keeping a pause) by a config change, and a scheduled digest runs end to end.
 */
import { fileURLToPath } from 'node:url';
import { Client, Connection, type ScheduleDescription } from '@temporalio/client';
import { msToTs, tsToMs } from '@temporalio/common/lib/time.js';
import { NativeConnection, Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDigestActivities } from '../../activities/digest/digest-activities.js';
import { createRetentionActivities } from '../../activities/retention/retention-activities.js';
import type { Protocol } from '../../domain/protocol.js';
import { requestDigestNow } from '../../runtime/digest-client.js';
import { dstWarnings, ensureSchedules, SCHEDULE_IDS } from '../../runtime/schedules.js';
import type { Store } from '../../store/open-store.js';
import type { DigestWorkflowResult } from '../../workflows/digest/digest-workflow.js';
import { recordingChat } from '../activities/digest/recording-chat.js';
import { buildSeed, seedStore, testProtocol } from '../activities/digest/seed.js';
import { pgliteBackend } from '../store/helpers.js';
import { startTestDevServer, type TestDevServer } from '../support/temporal.js';

const ZONE = 'Europe/London';
const TASK_QUEUE = 'concordat-schedules-test';
const workflowsPath = fileURLToPath(new URL('../workflows/digest/workflows.ts', import.meta.url));

let server: TestDevServer;
let connection: Connection;
let client: Client;
const protocol = testProtocol();

beforeAll(async () => {
  server = await startTestDevServer();
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection, namespace: server.namespace });
}, 300_000);

afterAll(async () => {
  await connection?.close();
  await server?.stop();
});

async function describeAll(): Promise<Record<keyof typeof SCHEDULE_IDS, ScheduleDescription>> {
  const [dailyDigest, weeklyDigest, retentionPurge, watchdog] = await Promise.all(
    Object.values(SCHEDULE_IDS).map((id) => client.schedule.getHandle(id).describe()),
  );
  return {
    dailyDigest: dailyDigest!,
    weeklyDigest: weeklyDigest!,
    retentionPurge: retentionPurge!,
    watchdog: watchdog!,
  };
}

/** The instants a schedule fires in [start, end), from the server itself. */
async function matchingTimes(scheduleId: string, start: string, end: string): Promise<string[]> {
  const res = await client.workflowService.listScheduleMatchingTimes({
    namespace: server.namespace,
    scheduleId,
    startTime: msToTs(Date.parse(start)),
    endTime: msToTs(Date.parse(end)),
  });
  return (res.startTime ?? []).map((ts) => new Date(tsToMs(ts)).toISOString());
}

const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toFormat('ccc yyyy-MM-dd HH:mm');

describe('ensureSchedules', () => {
  let firstDescriptions: Awaited<ReturnType<typeof describeAll>>;

  it('creates the daily, weekly, purge and watchdog schedules from the config, in Europe/London', async () => {
    const result = await ensureSchedules(client, protocol, { taskQueue: TASK_QUEUE });
    // The watchdog would start workflows this file's worker does not register: keep it still.
    await client.schedule.getHandle(SCHEDULE_IDS.watchdog).pause('schedules test');
    expect(result).toEqual({
      created: ['dailyDigest', 'weeklyDigest', 'retentionPurge', 'watchdog'],
      updated: [],
      unchanged: [],
      warnings: [],
    });
    firstDescriptions = await describeAll();
    const daily = firstDescriptions.dailyDigest;
    expect(daily.spec.timezone).toBe(ZONE);
    expect(daily.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 7, end: 7, step: 1 }],
      minute: [{ start: 30, end: 30, step: 1 }],
    });
    expect(daily.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'digestWorkflow',
      taskQueue: TASK_QUEUE,
      args: [{ kind: 'daily' }],
    });
    expect(daily.policies.overlap).toBe('SKIP');
    expect(firstDescriptions.weeklyDigest.action).toMatchObject({ args: [{ kind: 'weekly' }] });
    expect(firstDescriptions.retentionPurge.action).toMatchObject({ workflowType: 'retentionPurgeWorkflow' });
    for (const t of daily.info.nextActionTimes) {
      expect(DateTime.fromJSDate(t, { zone: ZONE }).toFormat('HH:mm')).toBe('07:30');
    }
    for (const t of firstDescriptions.weeklyDigest.info.nextActionTimes) {
      expect(DateTime.fromJSDate(t, { zone: ZONE }).toFormat('ccc HH:mm')).toBe('Mon 08:00');
    }
    const watchdog = firstDescriptions.watchdog;
    expect(watchdog.spec.intervals).toMatchObject([{ every: 60_000 }]);
    expect(watchdog.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'stuckRequestWatchdogWorkflow',
      taskQueue: TASK_QUEUE,
      args: [],
    });
    expect(watchdog.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 60_000 });
  });

  it('fires at the local time on both sides of each DST change', async () => {
    const spring = await matchingTimes(
      SCHEDULE_IDS.dailyDigest,
      '2026-03-27T00:00:00Z',
      '2026-04-01T00:00:00Z',
    );
    expect(spring).toEqual([
      '2026-03-27T07:30:00.000Z',
      '2026-03-28T07:30:00.000Z',
      '2026-03-29T06:30:00.000Z', // BST from 01:00 GMT on 29 March
      '2026-03-30T06:30:00.000Z',
      '2026-03-31T06:30:00.000Z',
    ]);
    const autumn = await matchingTimes(
      SCHEDULE_IDS.weeklyDigest,
      '2026-10-13T00:00:00Z',
      '2026-11-03T00:00:00Z',
    );
    expect(autumn.map(local)).toEqual([
      'Mon 2026-10-19 08:00',
      'Mon 2026-10-26 08:00',
      'Mon 2026-11-02 08:00',
    ]);
    expect(autumn).toEqual([
      '2026-10-19T07:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
      '2026-11-02T08:00:00.000Z',
    ]);
    const purge = await matchingTimes(
      SCHEDULE_IDS.retentionPurge,
      '2026-10-24T12:00:00Z',
      '2026-10-26T12:00:00Z',
    );
    expect(purge.map(local)).toEqual(['Sun 2026-10-25 03:15', 'Mon 2026-10-26 03:15']);
  });

  it('a second start changes nothing', async () => {
    const result = await ensureSchedules(client, protocol, { taskQueue: TASK_QUEUE });
    expect(result).toMatchObject({
      created: [],
      updated: [],
      unchanged: ['dailyDigest', 'weeklyDigest', 'retentionPurge', 'watchdog'],
    });
    const again = await describeAll();
    for (const key of Object.keys(SCHEDULE_IDS) as Array<keyof typeof SCHEDULE_IDS>) {
      expect(again[key].raw.conflictToken, key).toEqual(firstDescriptions[key].raw.conflictToken);
      expect(again[key].info.lastUpdatedAt, key).toEqual(firstDescriptions[key].info.lastUpdatedAt);
      expect(again[key].spec, key).toEqual(firstDescriptions[key].spec);
    }
  });

  it('a config change updates in place, only what changed, and keeps an operator’s pause', async () => {
    await client.schedule.getHandle(SCHEDULE_IDS.weeklyDigest).pause('paused for maintenance');
    const changed: Protocol = {
      ...protocol,
      digest: { ...protocol.digest, daily: '06:45', weekly: { day: 5, time: '16:00' } },
    };
    const result = await ensureSchedules(client, changed, { taskQueue: TASK_QUEUE });
    expect(result).toMatchObject({
      created: [],
      updated: ['dailyDigest', 'weeklyDigest'],
      unchanged: ['retentionPurge', 'watchdog'],
    });
    const now = await describeAll();
    expect(now.dailyDigest.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 6, end: 6, step: 1 }],
      minute: [{ start: 45, end: 45, step: 1 }],
    });
    expect(now.weeklyDigest.spec.calendars?.[0]?.dayOfWeek).toEqual([
      { start: 'FRIDAY', end: 'FRIDAY', step: 1 },
    ]);
    expect(now.weeklyDigest.state).toMatchObject({ paused: true, note: 'paused for maintenance' });
    expect(now.retentionPurge.raw.conflictToken).toEqual(firstDescriptions.retentionPurge.raw.conflictToken);
    // And once more: nothing.
    const third = await ensureSchedules(client, changed, { taskQueue: TASK_QUEUE });
    expect(third.unchanged).toHaveLength(4);
  });

  it('the watchdog follows watchdog.every, and only it is updated', async () => {
    const before = await describeAll();
    const changed: Protocol = {
      ...protocol,
      digest: { ...protocol.digest, daily: '06:45', weekly: { day: 5, time: '16:00' } },
      watchdog: { ...protocol.watchdog, every: 30_000 },
    };
    const result = await ensureSchedules(client, changed, { taskQueue: TASK_QUEUE });
    expect(result).toMatchObject({
      created: [],
      updated: ['watchdog'],
      unchanged: ['dailyDigest', 'weeklyDigest', 'retentionPurge'],
    });
    const now = await describeAll();
    expect(now.watchdog.spec.intervals).toMatchObject([{ every: 30_000 }]);
    expect(now.watchdog.policies.catchupWindow).toBe(30_000);
    expect(now.watchdog.state).toMatchObject({ paused: true, note: 'schedules test' });
    expect(now.dailyDigest.raw.conflictToken).toEqual(before.dailyDigest.raw.conflictToken);
  });

  it('warns about a time the clocks skip or repeat', () => {
    const risky: Protocol = { ...protocol, digest: { ...protocol.digest, daily: '01:30' } };
    const warnings = dstWarnings(risky);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^digest\.daily 01:30: (does not exist|happens twice) on \d{4}-\d{2}-\d{2} in Europe\/London/,
    );
  });
});

describe('scheduled and on-demand digests run on a worker', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let nativeConnection: NativeConnection;
  const chat = recordingChat();

  beforeAll(async () => {
    ({ store, cleanup } = await pgliteBackend.open());
    await seedStore(store, buildSeed(40, 11));
    nativeConnection = await NativeConnection.connect({ address: server.address });
  }, 120_000);
  afterAll(async () => {
    await nativeConnection?.close();
    await cleanup?.();
  });

  async function withWorker<T>(fn: () => Promise<T>): Promise<T> {
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: server.namespace,
      taskQueue: TASK_QUEUE,
      workflowsPath,
      activities: {
        ...createDigestActivities({ store, chat: chat.port, protocol }),
        ...createRetentionActivities({ store, protocol }),
      },
    });
    return worker.runUntil(fn());
  }

  it('triggering the daily schedule sends yesterday’s digest to the leads', async () => {
    const handle = client.schedule.getHandle(SCHEDULE_IDS.dailyDigest);
    const result = await withWorker(async () => {
      await handle.trigger();
      for (let i = 0; i < 100; i++) {
        const d = await handle.describe();
        const started = d.info.recentActions.at(-1)?.action.workflow.workflowId;
        if (started) return (await client.workflow.getHandle(started).result()) as DigestWorkflowResult;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('the schedule did not start a workflow');
    });
    const yesterday = DateTime.now().setZone(ZONE).minus({ days: 1 }).toISODate();
    expect(result.period).toMatchObject({ kind: 'daily', firstDay: yesterday });
    expect(result.delivered).toHaveLength(2);
    expect(chat.sends.map((s) => s.message.kind)).toEqual(['digest', 'digest']);
  });

  it('requestDigestNow starts a range digest once, however often it is clicked', async () => {
    chat.sends.length = 0;
    const requestedBy = { platform: 'teams' as const, userId: 'aad-lead', displayName: 'Lead' };
    const ask = () =>
      requestDigestNow(client, {
        from: '2026-01-01',
        to: '2026-06-30',
        requestedBy,
        taskQueue: TASK_QUEUE,
        requestId: 'activity-123',
        destinations: [{ platform: 'teams', address: '19:admin@thread.tacv2' }],
      });
    const first = await ask();
    expect(first).toMatchObject({ status: 'started', workflowId: 'digest-request:teams:activity-123' });
    expect(await ask()).toMatchObject({ status: 'already_requested' });
    await withWorker(() => client.workflow.getHandle('digest-request:teams:activity-123').result());
    expect(await ask()).toMatchObject({ status: 'already_requested' });
    expect(chat.sends.map((s) => s.destination.address)).toEqual(['19:admin@thread.tacv2']);

    const bad = await requestDigestNow(client, {
      from: '2026-06-30',
      to: '2026-01-01',
      requestedBy,
      taskQueue: TASK_QUEUE,
    });
    expect(bad).toEqual({
      status: 'invalid',
      message: 'The end date 2026-01-01 is before the start date 2026-06-30: give the earlier date first',
    });
  });
});
