// bedRequestWorkflow on the time-skipping test server with the real worker, the real activities,
// a PGlite records store and a recording chat port: every outcome, the action checks, idempotent
// delivery, continue-as-new, and the history size of a request that stays open all night.
import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import type { ActionEnvelope, RequestAction } from '../../../domain/actions.js';
import { bedRequestWorkflowId, type BedRequestForm } from '../../../domain/bed-request.js';
import { FailureCode } from '../../../domain/failures.js';
import type { Actor } from '../../../domain/people.js';
import type { RequestView } from '../../../domain/request-view.js';
import { bedRequestWorkflow } from '../../../workflows/bed-request/bed-request-workflow.js';
import {
  bedRequest,
  createHarness,
  eventually,
  testProtocol,
  type Harness,
} from '../../support/workflow-harness.js';

const SERGEANT: Actor = { platform: 'slack', userId: 'U0SERGEANT', displayName: 'Sgt Example' };
const RESPONDER: Actor = { platform: 'slack', userId: 'U0RESPONDER', displayName: 'Duty social worker' };
const EDT_MANAGER: Actor = { platform: 'slack', userId: 'U0EDTMGR', displayName: 'EDT manager' };
const LEAD: Actor = { platform: 'slack', userId: 'U0LEAD', displayName: 'Force custody lead' };
const STRANGER: Actor = { platform: 'slack', userId: 'U0NOBODY' };

const MIN = 60_000;
const HOUR = 60 * MIN;

let h: Harness;
let seq = 0;

beforeAll(async () => {
  // A Tuesday evening in January 2026, out of office hours.
  h = await createHarness({ startAt: '2026-01-06T19:00:00Z', taskQueue: 'bed-request-actions' });
});
afterAll(async () => {
  await h?.teardown();
});

const iso = (ms: number) => new Date(ms).toISOString();

/** Opens a request charged just now, court tomorrow 10:00; returns its workflow ID. */
async function open(over: Partial<BedRequestForm> = {}): Promise<string> {
  const now = await h.nowMs();
  seq += 1;
  const r = await h.client.start(
    bedRequest({
      custodyRecordNumber: `NC-2601-${String(seq).padStart(4, '0')}`,
      child: { pncId: `26/${100000 + seq}B` },
      chargedAt: iso(now - 10 * MIN),
      nextCourtSitting: iso(now + 14 * HOUR),
      ...over,
    }),
    iso(now),
  );
  expect(r.status).toBe('started');
  await eventually(() => h.client.view(r.workflowId));
  return r.workflowId;
}

async function act(workflowId: string, actor: Actor, action: RequestAction): Promise<ActionEnvelope> {
  seq += 1;
  const envelope: ActionEnvelope = { actionId: `act-${seq}`, actor, action, replyChannel: 'C0REPLY' };
  await h.client.act(workflowId, envelope);
  return envelope;
}

async function viewWhen(workflowId: string, check: (v: RequestView) => boolean): Promise<RequestView> {
  return eventually(async () => {
    const v = await h.client.view(workflowId);
    return v && check(v) ? v : undefined;
  });
}

/** A stay keeps the request open (held, bed still sought): the child leaves for court now. */
async function leftForCourt(workflowId: string): Promise<RequestView> {
  await eventually(async () => (await h.client.view(workflowId))?.status === 'held_bed_sought' || undefined);
  await act(workflowId, SERGEANT, {
    kind: 'record_left_cells',
    leftFor: 'court',
    leftAt: iso(await h.nowMs()),
  });
  return result(workflowId);
}

async function result(workflowId: string): Promise<RequestView> {
  return h.result<RequestView>(workflowId);
}

const offer = (accommodation: 'secure' | 'non_secure' = 'non_secure'): RequestAction => ({
  kind: 'offer_bed',
  accommodation,
  provider: 'Oakfield House',
  transport: 'la_collects',
  notes: '',
});

describe('each outcome code', () => {
  it('transferred_non_secure: acknowledge, offer, confirm the transfer', async () => {
    const id = await open();
    await act(id, RESPONDER, { kind: 'acknowledge' });
    await viewWhen(id, (v) => v.status === 'acknowledged');
    await act(id, RESPONDER, offer());
    const offered = await viewWhen(id, (v) => v.status === 'bed_offered');
    const left = iso((await h.nowMs()) - MIN);
    await act(id, SERGEANT, { kind: 'confirm_transfer', leftCustodyAt: left });
    const final = await result(id);
    expect(final.outcome).toMatchObject({
      code: 'transferred_non_secure',
      leftCustodyAt: left,
      by: SERGEANT,
    });
    const rec = await h.store.getOutcome(id);
    expect(rec).toMatchObject({
      outcome: 'transferred_non_secure',
      acknowledgedAt: final.acknowledged?.at,
      bedOfferedAt: offered.offer?.at,
      leftCustodyAt: left,
      endedAt: left,
      escalationLevel: 0,
      overnight: false,
      weekend: false,
    });
    expect(rec?.actors).toMatchObject({
      requested: SERGEANT,
      acknowledged: RESPONDER,
      offered: RESPONDER,
      resolved: SERGEANT,
    });
  });

  it('transferred_secure: a secure request and a secure bed', async () => {
    const id = await open({
      accommodation: 'secure',
      seriousHarmJustification: 'Charged with a serious violent offence; risk of serious harm to the public',
    });
    await act(id, RESPONDER, offer('secure'));
    await viewWhen(id, (v) => v.status === 'bed_offered');
    await act(id, SERGEANT, { kind: 'confirm_transfer', leftCustodyAt: iso(await h.nowMs()) });
    expect((await result(id)).outcome?.code).toBe('transferred_secure');
  });

  it('detained_no_bed_non_secure: the LA declines and the sergeant certifies', async () => {
    const id = await open();
    await act(id, RESPONDER, { kind: 'decline', reason: 'no_non_secure_placement', notes: '' });
    await viewWhen(id, (v) => v.status === 'declined');
    await act(id, SERGEANT, {
      kind: 'record_stay',
      reason: 'no_accommodation_provided',
      explanation: 'EDT could not find any placement in the county tonight.',
    });
    const final = await leftForCourt(id);
    expect(final.outcome?.code).toBe('detained_no_bed_non_secure');
    expect(final.outcome?.certificate).toContain('SECTION 38(6)');
    const rec = await h.store.getOutcome(id);
    expect(rec).toMatchObject({
      outcome: 'detained_no_bed_non_secure',
      stayReason: 'no_accommodation_provided',
      declineReasons: ['no_non_secure_placement'],
      // The flags come from when the child really left the cells (docs/legal-rules.md, "A stay is
      // not the end"): here a few minutes after charge, so not overnight.
      leftCellsFor: 'court',
      leftCellsAssumed: false,
      overnight: false,
      weekend: false,
    });
    expect(rec?.certificate).toContain('No accommodation was offered');
  });

  it('detained_no_secure_bed: secure request at 12+, no secure bed', async () => {
    const id = await open({
      age: 12,
      accommodation: 'secure',
      seriousHarmJustification: 'Repeated serious assaults; other accommodation would not protect the public',
    });
    const v = await h.client.view(id);
    expect(v?.warnings).toContain('secure_under_13_needs_secretary_of_state');
    await act(id, RESPONDER, { kind: 'decline', reason: 'no_secure_bed', notes: '' });
    await viewWhen(id, (x) => x.status === 'declined');
    await act(id, SERGEANT, {
      kind: 'record_stay',
      reason: 'no_secure_bed_serious_harm',
      explanation: 'No secure bed nationally; the risk assessment stands.',
    });
    expect((await leftForCourt(id)).outcome?.code).toBe('detained_no_secure_bed');
  });

  it('detained_impracticable: extreme weather', async () => {
    const id = await open();
    await act(id, SERGEANT, {
      kind: 'record_stay',
      reason: 'impracticable_extreme_weather',
      explanation: 'Roads closed by snow between the suite and the placement.',
    });
    expect((await leftForCourt(id)).outcome?.code).toBe('detained_impracticable');
  });

  it('released_or_bailed and cancelled_in_error (by an admin)', async () => {
    const a = await open();
    const b = await open();
    await act(a, SERGEANT, { kind: 'cancel', reason: 'bailed', notes: '' });
    await act(b, LEAD, { kind: 'cancel', reason: 'entered_in_error', notes: 'Duplicate of another record' });
    expect((await result(a)).outcome?.code).toBe('released_or_bailed');
    expect((await result(b)).outcome?.code).toBe('cancelled_in_error');
    expect(await h.store.getOutcome(b)).toMatchObject({ cancelReason: 'entered_in_error', overnight: false });
  });

  it('court_before_transfer: the court sitting is the hard deadline', async () => {
    const now = await h.nowMs();
    const court = iso(now + 3 * HOUR);
    const id = await open({ nextCourtSitting: court });
    await h.advanceTo(iso(Date.parse(court) + MIN)); // time skips to the sitting
    const final = await result(id);
    expect(final.outcome).toMatchObject({ code: 'court_before_transfer', by: { platform: 'system' } });
    expect(Date.parse(final.outcome?.at ?? '')).toBeGreaterThanOrEqual(Date.parse(court));
    expect(Date.parse(final.outcome?.at ?? '')).toBeLessThan(Date.parse(court) + MIN);
    // The ladder ran on the way: levels 1, 2 and 3 were reached before the sitting.
    expect(final.escalations.map((e) => e.level)).toEqual([1, 1, 2, 3]);
    expect(await h.store.getOutcome(id)).toMatchObject({
      outcome: 'court_before_transfer',
      escalationLevel: 3,
    });
    const events = await h.store.listEvents(id);
    expect(events.map((e) => e.type)).toContain('court_deadline');
  });
});

describe('action checks: refused with a private reply and no state change', () => {
  it('a double submit starts nothing and answers "already open", then "already closed"', async () => {
    const id = await open();
    const again = await h.client.start(
      bedRequest({
        custodyRecordNumber: id.split(':')[2] ?? '',
        child: { pncId: '26/999999Z' },
        chargedAt: iso((await h.nowMs()) - HOUR),
        nextCourtSitting: iso((await h.nowMs()) + HOUR * 10),
      }),
      iso(await h.nowMs()),
    );
    expect(again).toEqual({ status: 'already_open', workflowId: id });
    await act(id, SERGEANT, { kind: 'cancel', reason: 'charge_withdrawn', notes: '' });
    await result(id);
    const closed = await h.client.start(
      bedRequest({
        custodyRecordNumber: id.split(':')[2] ?? '',
        chargedAt: iso((await h.nowMs()) - HOUR),
        nextCourtSitting: iso((await h.nowMs()) + HOUR * 10),
      }),
      iso(await h.nowMs()),
    );
    expect(closed.status).toBe('already_closed');
    // The view of a closed request is still there for the bots (checkAction on it says
    // REQUEST_CLOSED); an action sent anyway is rejected by Temporal.
    expect((await h.client.view(id))?.status).toBe('resolved');
    await expect(act(id, RESPONDER, { kind: 'acknowledge' })).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(await h.client.view('bed-request:NOWHERE:NONE')).toBeNull();
  });

  it('wrong role: a sergeant cannot offer, a stranger cannot acknowledge', async () => {
    const id = await open();
    h.chat.clear();
    await act(id, SERGEANT, offer());
    await act(id, STRANGER, { kind: 'acknowledge' });
    await eventually(() => h.chat.notifications.length >= 2 || undefined);
    expect(h.chat.notifications.map((n) => [n.person.userId, n.person.channel, n.refusal.code])).toEqual([
      ['U0SERGEANT', 'C0REPLY', FailureCode.RoleNotPermitted],
      ['U0NOBODY', 'C0REPLY', FailureCode.RoleNotPermitted],
    ]);
    const v = await h.client.view(id);
    expect(v).toMatchObject({ status: 'awaiting_acknowledgement', declines: [], escalationLevel: 0 });
    expect(v?.offer).toBeUndefined();
    const refused = (await h.store.listEvents(id)).filter((e) => e.type === 'action_refused');
    expect(refused.map((e) => e.data.code)).toEqual([
      FailureCode.RoleNotPermitted,
      FailureCode.RoleNotPermitted,
    ]);
    await act(id, SERGEANT, { kind: 'cancel', reason: 'entered_in_error', notes: '' });
    await result(id);
  });

  it('wrong state: a second acknowledgement, a transfer before any bed, an unknown question', async () => {
    const id = await open();
    h.chat.clear();
    await act(id, RESPONDER, { kind: 'acknowledge' });
    await act(id, EDT_MANAGER, { kind: 'acknowledge' });
    await act(id, SERGEANT, { kind: 'confirm_transfer', leftCustodyAt: iso(await h.nowMs()) });
    await act(id, SERGEANT, { kind: 'answer_info', questionId: 'q7', answer: 'No' });
    await eventually(() => h.chat.notifications.length >= 3 || undefined);
    expect(h.chat.notifications.map((n) => [n.person.userId, n.refusal.code])).toEqual([
      ['U0EDTMGR', FailureCode.AlreadyAcknowledged],
      ['U0SERGEANT', FailureCode.NoBedOffered],
      ['U0SERGEANT', FailureCode.QuestionNotFound],
    ]);
    expect(h.chat.notifications[0]?.refusal.params).toMatchObject({ by: 'Duty social worker' });
    const v = await h.client.view(id);
    expect(v?.status).toBe('acknowledged');
    expect(v?.acknowledged?.by).toEqual(RESPONDER);
    await act(id, SERGEANT, { kind: 'cancel', reason: 'bailed', notes: '' });
    await result(id);
  });

  it('a concurrent double offer: one accepted, the other told who offered and when', async () => {
    const id = await open();
    h.chat.clear();
    // Two responders press "Offer bed" at the same moment: two signals back to back.
    await Promise.all([
      act(id, RESPONDER, { ...offer(), provider: 'Oakfield House' } as RequestAction),
      act(id, EDT_MANAGER, { ...offer(), provider: 'Beech Lodge' } as RequestAction),
    ]);
    await eventually(() => h.chat.notifications.length >= 1 || undefined);
    const v = await viewWhen(id, (x) => x.status === 'bed_offered');
    expect(h.chat.notifications).toHaveLength(1);
    const refusal = h.chat.notifications[0];
    const winner = v.offer?.by.userId;
    expect([RESPONDER.userId, EDT_MANAGER.userId]).toContain(winner);
    expect(refusal?.person.userId).not.toBe(winner);
    expect(refusal?.refusal).toEqual({
      code: FailureCode.OfferAlreadyAccepted,
      params: { by: v.offer?.by.displayName, at: v.offer?.at },
    });
    const offers = (await h.store.listEvents(id)).filter((e) => e.type === 'offer_bed');
    expect(offers).toHaveLength(1);
    await act(id, SERGEANT, { kind: 'confirm_transfer', leftCustodyAt: iso(await h.nowMs()) });
    await result(id);
  });

  it('a repeated action ID (a double click, a redelivered event) is a silent no-op', async () => {
    const id = await open();
    h.chat.clear();
    const envelope: ActionEnvelope = {
      actionId: 'same-click',
      actor: RESPONDER,
      action: { kind: 'acknowledge' },
    };
    await h.client.act(id, envelope);
    await h.client.act(id, envelope);
    await viewWhen(id, (v) => v.status === 'acknowledged');
    await act(id, SERGEANT, { kind: 'cancel', reason: 'bailed', notes: '' });
    await result(id);
    expect(h.chat.notifications).toEqual([]);
    expect((await h.store.listEvents(id)).filter((e) => e.type === 'acknowledge')).toHaveLength(1);
  });

  it('"impracticable" because of the child’s behaviour is refused (Note 16D)', async () => {
    const id = await open();
    h.chat.clear();
    await act(id, SERGEANT, {
      kind: 'record_stay',
      reason: 'child_behaviour',
      explanation: 'The child was aggressive to staff in the custody suite.',
    });
    await act(id, SERGEANT, {
      kind: 'record_stay',
      reason: 'nature_of_offence',
      explanation: 'The offence is serious and the child may abscond.',
    });
    await eventually(() => h.chat.notifications.length >= 2 || undefined);
    expect(h.chat.notifications.map((n) => n.refusal.code)).toEqual([
      FailureCode.StayReasonBehaviour,
      FailureCode.StayReasonOffence,
    ]);
    const v = await h.client.view(id);
    expect(v?.outcome).toBeUndefined();
    expect(v?.status).toBe('awaiting_acknowledgement');
    expect(await h.store.getOutcome(id)).toBeNull();
    await act(id, SERGEANT, { kind: 'cancel', reason: 'bailed', notes: '' });
    await result(id);
  });

  it('a malformed action is refused as invalid input', async () => {
    const id = await open();
    h.chat.clear();
    await h.client.act(id, {
      actionId: 'bad-1',
      actor: RESPONDER,
      action: { kind: 'decline', reason: 'other', notes: '' },
    });
    await h.client.act(id, {
      actionId: 'bad-2',
      actor: RESPONDER,
      action: {
        kind: 'offer_bed',
        accommodation: 'non_secure',
        provider: '',
        transport: 'la_collects',
        notes: '',
      },
    });
    await eventually(() => h.chat.notifications.length >= 2 || undefined);
    expect(h.chat.notifications.map((n) => [n.refusal.code, n.refusal.params?.field])).toEqual([
      [FailureCode.InvalidInput, 'notes'],
      [FailureCode.InvalidInput, 'action.provider'],
    ]);
    expect((await h.client.view(id))?.status).toBe('awaiting_acknowledgement');
    await act(id, SERGEANT, { kind: 'cancel', reason: 'bailed', notes: '' });
    await result(id);
  });

  it('a secure request for an 11-year-old is refused at schema level, by the client and by the workflow', async () => {
    const now = await h.nowMs();
    const form: BedRequestForm = {
      custodyRecordNumber: 'NC-2601-ELEVEN',
      custodySuiteId: 'northampton-cjc',
      child: { pncId: '26/111111C' },
      age: 11,
      homeLocalAuthorityId: 'west-northamptonshire',
      chargedAt: iso(now - MIN),
      bailRefusalGround: 'commit_offence',
      nextCourtSitting: iso(now + 12 * HOUR),
      accommodation: 'secure',
      seriousHarmJustification: 'A long enough justification for the test',
      requestingOfficer: SERGEANT,
    };
    await expect(h.client.start(form as never, iso(now))).rejects.toBeInstanceOf(ZodError);
    try {
      await h.client.start(form as never, iso(now));
    } catch (err) {
      expect((err as ZodError).issues.map((i) => i.message)).toContain(
        'Secure accommodation is only for a child aged 12 or over: request non-secure',
      );
    }
    // Straight to Temporal, past the client: the workflow validates again and fails, coded.
    const workflowId = bedRequestWorkflowId('northampton-cjc', 'NC-2601-ELEVEN');
    const err = await h.temporal.workflow
      .execute(bedRequestWorkflow, {
        taskQueue: h.taskQueue,
        workflowId,
        args: [{ request: form as never, requestedAt: iso(now) }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(FailureCode.InvalidInput);
    expect(await h.store.getRequest(workflowId)).toBeNull();
  });
});

describe('delivery', () => {
  it('is idempotent per (step, destination): a send failing twice then succeeding posts one card', async () => {
    h.chat.clear();
    h.chat.failNext(2);
    const id = await open();
    await eventually(() => (h.chat.posts().length >= 5 ? true : undefined));
    const deliveries = await h.store.listDeliveries(id);
    const posts = h.chat.forRequest(id).filter((s) => s.op === 'post');
    expect(h.chat.attempts).toBeGreaterThanOrEqual(7); // 5 cards + 2 failed attempts
    expect(deliveries.map((d) => d.step).sort()).toEqual([
      'card:custody',
      'card:custody',
      'card:officer',
      'card:responder',
      'card:responder',
    ]);
    const perKey = new Map<string, number>();
    for (const p of posts) {
      const key = `${p.message.kind}:${p.message.kind === 'request_card' ? p.message.audience : ''}:${p.destination.address}`;
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    expect([...perKey.values()].every((n) => n === 1)).toBe(true);
    expect(posts).toHaveLength(5);

    // A state change updates the same messages in place: no new cards.
    h.chat.failNext(1);
    await act(id, RESPONDER, { kind: 'acknowledge' });
    await eventually(() =>
      h.chat.updates((u) => u.message.kind === 'request_card').length >= 5 ? true : undefined,
    );
    expect(
      h.chat.forRequest(id).filter((s) => s.op === 'post' && s.message.kind === 'request_card'),
    ).toHaveLength(5);
    const updated = h.chat.updates((s) => s.message.kind === 'request_card');
    expect(
      updated.every((s) => s.message.kind === 'request_card' && s.message.view.status === 'acknowledged'),
    ).toBe(true);
    // The sergeant's thread got a note, threaded under the custody card.
    const notes = await eventually(() => {
      const n = h.chat.ofKind('event_note');
      return n.length >= 2 ? n : undefined;
    });
    expect(notes.map((n) => n.message.event)).toEqual([{ type: 'acknowledged' }, { type: 'acknowledged' }]);
    expect(notes.every((n) => n.options.threadOf !== undefined)).toBe(true);
    await act(id, SERGEANT, { kind: 'cancel', reason: 'bailed', notes: '' });
    await result(id);
  });

  it('never puts the child’s identity on a card', async () => {
    const dob = new Date((await h.nowMs()) - (15 * 365 + 100) * 86_400_000).toISOString().slice(0, 10);
    const id = await open({
      child: { pncId: '26/424242K', givenName: 'Alex', familyName: 'Quennell', dateOfBirth: dob },
    });
    await act(id, SERGEANT, { kind: 'cancel', reason: 'entered_in_error', notes: '' });
    await result(id);
    const text = JSON.stringify(h.chat.forRequest(id));
    for (const secret of ['26/424242K', 'Alex', 'Quennell', dob]) expect(text).not.toContain(secret);
    expect(await h.store.getIdentity(id)).toMatchObject({ pncId: '26/424242K', givenName: 'Alex' });
  });
});

describe('long requests', () => {
  it('continues as new with its state, and keeps answering actions and queries', async () => {
    const now = await h.nowMs();
    seq += 1;
    const request = bedRequest({
      custodyRecordNumber: `NC-2601-CAN${seq}`,
      child: { pncId: '26/777777D' },
      chargedAt: iso(now - MIN),
      nextCourtSitting: iso(now + 10 * HOUR),
    });
    const workflowId = bedRequestWorkflowId(request.custodySuiteId, request.custodyRecordNumber);
    const handle = await h.temporal.workflow.start(bedRequestWorkflow, {
      taskQueue: h.taskQueue,
      workflowId,
      args: [{ request, requestedAt: iso(now), continueAsNewAtHistoryLength: 60 }],
    });
    const firstRunId = handle.firstExecutionRunId;
    await act(workflowId, RESPONDER, { kind: 'acknowledge' });
    await h.advance(2 * HOUR + MIN); // levels 2 and 3 fire
    await act(workflowId, RESPONDER, { kind: 'acknowledge' }); // refused after the new run: still acknowledged
    await act(workflowId, RESPONDER, offer());
    const v = await viewWhen(workflowId, (x) => x.status === 'bed_offered');
    const described = await h.temporal.workflow.getHandle(workflowId).describe();
    expect(described.runId).not.toBe(firstRunId);
    // Acknowledged at once, so the not-acknowledged steps never fire; the others carried across runs.
    expect(v.escalations.map((e) => e.name)).toEqual(
      expect.arrayContaining([
        'Custody inspector and LA on-call manager',
        'Superintendent and LA head of service',
      ]),
    );
    expect(v.escalations.map((e) => e.level)).not.toContain(1);
    expect(v.escalationLevel).toBe(3);
    await act(workflowId, SERGEANT, { kind: 'confirm_transfer', leftCustodyAt: iso(await h.nowMs()) });
    const final = await result(workflowId);
    expect(final.outcome?.code).toBe('transferred_non_secure');
    expect(final.acknowledged?.by).toEqual(RESPONDER);
    expect((await h.store.getOutcome(workflowId))?.escalationLevel).toBe(3);
    // The continued run's input carries no identity of the child.
    const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(Buffer.from(payload?.data ?? new Uint8Array()).toString()).toContain('NC-2601-CAN');
    expect(Buffer.from(payload?.data ?? new Uint8Array()).toString()).not.toContain('777777');
  });

  it('stays far below the history limits when open all night with a repeating ladder', async () => {
    // A busy protocol: re-page every 30 minutes, up to 48 times.
    h.setProtocol(
      testProtocol((p) => {
        p.ladder.steps.push({
          level: 3,
          name: 'Every 30 minutes until resolved',
          condition: 'not_resolved',
          after: '30m',
          notify: ['superintendent'],
          repeat: '30m',
          maxRepeats: 48,
        });
      }),
    );
    const now = await h.nowMs();
    const id = await open({ nextCourtSitting: iso(now + 14 * HOUR) });
    h.setProtocol(testProtocol());
    await h.advance(20 * MIN);
    await act(id, RESPONDER, { kind: 'acknowledge' });
    await h.advance(HOUR);
    await act(id, RESPONDER, { kind: 'request_info', question: 'Any medication needs?' });
    await h.advance(10 * MIN);
    await act(id, SERGEANT, { kind: 'answer_info', questionId: 'q1', answer: 'None known' });
    await h.advance(HOUR);
    await act(id, RESPONDER, { kind: 'decline', reason: 'no_non_secure_placement', notes: '' });
    await h.advanceTo(iso(now + 14 * HOUR + MIN)); // on to the court sitting, 14 hours after the request
    const final = await result(id);
    expect(final.outcome?.code).toBe('court_before_transfer');
    expect(final.escalations.length).toBeGreaterThanOrEqual(28);
    const handle = h.temporal.workflow.getHandle(id);
    const history = await handle.fetchHistory();
    const length = history.events?.length ?? 0;
    const described = await handle.describe();
    console.log(
      `14-hour request: ${final.escalations.length} escalations; final run history ${length} events ` +
        `(${described.historyLength} per describe); continue-as-new threshold 4000, Temporal's limit 51200`,
    );
    expect(length).toBeLessThan(4000);
  });
});
