// A new request opens in one ordinary activity (docs/benchmarks.md, "One activity to the first
// card"; docs/durability.md, "Local activities in the opening"): the protocol snapshot, the
// registration, the repeat lookup and the responder card, with no local-activity markers, and the
// history replays. The card that activity posted is not posted again; one it could not post is
// delivered by the workflow, once, even when the failed post had in fact landed.
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FailureCode } from '../../../domain/failures.js';
import type { RecordedSend } from '../../support/recording-chat-port.js';
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
beforeEach(() => h.chat.clear());

const card =
  (workflowId: string, audience: 'responder' | 'custody') =>
  (s: RecordedSend): boolean =>
    s.message.kind === 'request_card' &&
    s.message.audience === audience &&
    s.message.view.workflowId === workflowId;

/** Each responder destination's posts: exactly one each means no copy and none missing. */
const perDestination = (sends: RecordedSend[]) =>
  sends.map((s) => `${s.destination.platform}:${s.destination.address}`).sort();
let responderDestinations: string[];

async function open(custodyRecordNumber: string): Promise<string> {
  const now = await h.nowMs();
  const r = await h.client.start(
    bedRequest({
      custodyRecordNumber,
      chargedAt: iso(now - 10 * 60_000),
      nextCourtSitting: iso(now + 15 * 3_600_000),
    }),
    iso(now),
  );
  // The custody card goes out after the opening activity: once it is out, the opening is done.
  await eventually(() => (h.chat.posts(card(r.workflowId, 'custody')).length > 0 ? true : undefined));
  return r.workflowId;
}

describe('the opening of a new request', () => {
  it('is one ordinary activity that posts the responder card, never a local one, and replays', async () => {
    const workflowId = await open('NC-OPEN-0001');
    responderDestinations = perDestination(h.chat.posts(card(workflowId, 'responder')));
    expect(responderDestinations.length).toBeGreaterThan(0);
    expect(new Set(responderDestinations).size).toBe(responderDestinations.length);
    // Not re-sent by the workflow's first round of cards: no update of an unchanged card.
    expect(h.chat.updates(card(workflowId, 'responder'))).toHaveLength(0);
    const view = await h.client.view(workflowId);
    for (const post of h.chat.posts(card(workflowId, 'responder')))
      expect(post.message).toMatchObject({ view });

    await actAs(h, workflowId, PEOPLE.sergeant, { kind: 'cancel', reason: 'bailed', notes: '' });
    await h.result(workflowId);
    const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
    const events = history.events ?? [];
    const scheduled = events
      .filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
      .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
    expect(scheduled[0]).toBe('openAndPost');
    expect(scheduled).not.toContain('snapshotProtocol');
    expect(scheduled).not.toContain('registerRequest');
    expect(scheduled).not.toContain('repeatAtStart');
    const markers = events
      .filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED)
      .map((e) => e.markerRecordedEventAttributes?.markerName);
    expect(markers).not.toContain('core_local_activity');
    expect(markers).toContain('core_patch');
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId);
  });

  it('leaves a responder card it could not post to the workflow, which posts it once', async () => {
    // The opening's post is the request's first chat call.
    h.chat.failNext(1, FailureCode.ChatUnavailable);
    const workflowId = await open('NC-OPEN-0002');
    await eventually(() =>
      h.chat.posts(card(workflowId, 'responder')).length === responderDestinations.length ? true : undefined,
    );
    expect(perDestination(h.chat.posts(card(workflowId, 'responder')))).toEqual(responderDestinations);
    const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
    const delivers = (history.events ?? []).filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliver',
    );
    // The responder card's own delivery, beside the custody and officer cards.
    expect(
      delivers.some((e) => {
        const payload = e.activityTaskScheduledEventAttributes?.input?.payloads?.[0]?.data;
        return payload ? new TextDecoder().decode(payload).includes('"card:responder"') : false;
      }),
    ).toBe(true);
    await actAs(h, workflowId, PEOPLE.sergeant, { kind: 'cancel', reason: 'bailed', notes: '' });
    await h.result(workflowId);
  });

  it('does not post a second copy when the failed post had landed', async () => {
    h.chat.failAfterPosting(1, FailureCode.ChatUnavailable);
    const workflowId = await open('NC-OPEN-0003');
    // The workflow's delivery asks first, finds the landed post and updates it in place.
    await eventually(() => (h.chat.updates(card(workflowId, 'responder')).length > 0 ? true : undefined));
    expect(perDestination(h.chat.posts(card(workflowId, 'responder')))).toEqual(responderDestinations);
    await actAs(h, workflowId, PEOPLE.sergeant, { kind: 'cancel', reason: 'bailed', notes: '' });
    await h.result(workflowId);
  });
});
