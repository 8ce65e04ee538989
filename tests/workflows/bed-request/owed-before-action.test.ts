// A page that fell due before a person acted is owed, even when the action reaches the workflow
// before the timer's wake-up does (a worker catching up after a crash, docs/durability.md): the
// workflow decides by the action's own stamp, pages first, then applies the action.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBedRequestClient } from '../../../runtime/bed-request-client.js';
import {
  PEOPLE,
  bedRequest,
  createHarness,
  eventually,
  viewWhen,
  type Harness,
} from '../../support/workflow-harness.js';

const MIN = 60_000;
let h: Harness;

beforeAll(async () => {
  // Tuesday 3 March 2026, 10:55 GMT: office hours; the first ladder step is 30 minutes on.
  h = await createHarness({ startAt: '2026-03-03T10:55:00Z', taskQueue: 'bed-request-owed' });
});
afterAll(async () => {
  await h?.teardown();
});

describe('an action stamped after a step fell due', () => {
  it('pages the step first, then applies the action', async () => {
    const now = await h.nowMs();
    const { workflowId } = await h.client.start(
      bedRequest({
        custodyRecordNumber: 'OWED-0001',
        chargedAt: new Date(now - 5 * MIN).toISOString(),
        nextCourtSitting: new Date(now + 24 * 60 * MIN).toISOString(),
      }),
      new Date(now).toISOString(),
    );
    await eventually(() => h.client.view(workflowId));
    // The responder acknowledged 31 minutes after the request, by their client's clock, but the
    // workflow hears of it before its own 30-minute timer has fired.
    const late = createBedRequestClient(h.temporal, {
      taskQueue: h.taskQueue,
      actionClock: () => now + 31 * MIN,
    });
    await late.act(workflowId, {
      actionId: 'owed-ack',
      actor: PEOPLE.responder,
      action: { kind: 'acknowledge' },
    });
    await viewWhen(h, workflowId, (v) => v.acknowledged !== undefined);

    // The audit rows are written by activities: wait for the action's row, not only the view.
    const types = await eventually(async () => {
      const t = (await h.store.listEvents(workflowId)).map((e) => e.type);
      return t.includes('acknowledge') ? t : undefined;
    });
    const escalatedAt = types.indexOf('escalated');
    expect(escalatedAt).toBeGreaterThan(-1);
    expect(types.indexOf('acknowledge')).toBeGreaterThan(escalatedAt);
    const pages = h.chat.sends.filter((s) => s.message.kind === 'escalation_page');
    expect(pages.length).toBeGreaterThan(0);
    expect((await h.client.view(workflowId))?.acknowledged?.at).toBe(new Date(now + 31 * MIN).toISOString());
  });
});
