// A new request opens on ordinary activities (docs/durability.md, "Local activities in the
// opening"): the protocol snapshot, the registration and the repeat lookup are scheduled activity
// tasks in history, with no local-activity markers, and the history replays.
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PEOPLE,
  actAs,
  bedRequest,
  createHarness,
  eventually,
  workflowBundle,
  type Harness,
} from '../../support/workflow-harness.js';

const { EventType } = proto.temporal.api.enums.v1;
const iso = (ms: number) => new Date(ms).toISOString();
let h: Harness;

beforeAll(async () => {
  h = await createHarness({ startAt: '2026-01-06T19:00:00Z', taskQueue: 'bed-request-opening' });
});
afterAll(async () => {
  await h?.teardown();
});

describe('the opening of a new request', () => {
  it('runs its store calls as ordinary activities, never local ones, and replays', async () => {
    const now = await h.nowMs();
    const r = await h.client.start(
      bedRequest({
        custodyRecordNumber: 'NC-OPEN-0001',
        chargedAt: iso(now - 10 * 60_000),
        nextCourtSitting: iso(now + 15 * 3_600_000),
      }),
      iso(now),
    );
    await eventually(() => h.client.view(r.workflowId));
    await actAs(h, r.workflowId, PEOPLE.sergeant, { kind: 'cancel', reason: 'bailed', notes: '' });
    await h.result(r.workflowId);

    const history = await h.temporal.workflow.getHandle(r.workflowId).fetchHistory();
    const events = history.events ?? [];
    const scheduled = events
      .filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
    expect(scheduled).toEqual(
      expect.arrayContaining(['snapshotProtocol', 'registerRequest', 'repeatAtStart']),
    );
    const markers = events
      .filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED)
      .map((e) => e.markerRecordedEventAttributes?.markerName);
    expect(markers).not.toContain('core_local_activity');
    expect(markers).toContain('core_patch');
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, r.workflowId);
  });
});
