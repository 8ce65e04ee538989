// "A stay is not the end" and "a transfer arranged by phone" (docs/legal-rules.md), on the
// time-skipping test server with the real worker, real activities and a PGlite store: a recorded
// stay produces the certificate and leaves the request open (held, bed still sought); review pages
// follow the protocol's interval and fixed times; a later bed becomes a transfer with the time
// held; nobody recording the child leaving ends the request at court + grace, assumed; and a
// transfer never offered in chat is confirmed as arranged outside chat.
import { describe, expect, it } from 'vitest';
import type { RequestAction } from '../../../domain/actions.js';
import { FailureCode } from '../../../domain/failures.js';
import type { Actor } from '../../../domain/people.js';
import type { RequestView } from '../../../domain/request-view.js';
import { HOUR, MIN, bedRequestSuite, iso } from '../../support/bed-request-suite.js';
import { PEOPLE, actAs, eventually, testProtocol, viewWhen } from '../../support/workflow-harness.js';

const { h, open } = bedRequestSuite({
  // A Tuesday evening in January 2026 (GMT, so local time is UTC), out of office hours.
  startAt: '2026-01-06T19:00:00Z',
  taskQueue: 'bed-request-held',
  recordPrefix: 'NC-HELD',
  pncBase: 200000,
  pncLetter: 'C',
});

const act = (id: string, actor: Actor, action: RequestAction) => actAs(h, id, actor, action);
const stay = (id: string) =>
  act(id, PEOPLE.sergeant, {
    kind: 'record_stay',
    reason: 'impracticable_extreme_weather',
    explanation: 'Roads closed by snow between the suite and every placement tonight.',
  });

function reviewPages(id: string) {
  return h.chat
    .ofKind('escalation_page')
    .filter((s) => s.op === 'post' && s.message.view.request.workflowId === id)
    .filter((s) => s.message.view.reason === 'held_review')
    .map((s) => ({ at: iso(s.atMs).slice(11, 16), to: s.destination.address }));
}

describe('a stay is not the end', () => {
  it('the stay gives the certificate and the request stays open; a bed at 21:10 becomes a transfer with the time held', async () => {
    const id = await open(); // 19:00, charged 18:50, court 10:00 tomorrow
    await stay(id);
    const held = await viewWhen(h, id, (v) => v.status === 'held_bed_sought');
    expect(held.outcome).toBeUndefined();
    expect(held.stay?.certificate).toContain('SECTION 38(6)');
    expect(held.stay?.code).toBe('detained_impracticable');
    expect(await h.store.getOutcome(id)).toBeNull();
    // Both cards and the sergeant's thread say so; both bots render the same status.
    await eventually(() =>
      h.chat
        .ofKind('request_card')
        .some((s) => s.message.view.workflowId === id && s.message.view.status === 'held_bed_sought'),
    );
    await eventually(() =>
      h.chat
        .ofKind('event_note')
        .some((s) => s.message.view.workflowId === id && s.message.event.type === 'stay_recorded'),
    );
    // Recording a second stay is refused: it is already recorded.
    h.chat.clear();
    await stay(id);
    await eventually(() => h.chat.notifications.length > 0 || undefined);
    expect(h.chat.notifications.map((n) => n.refusal.code)).toEqual([FailureCode.StayAlreadyRecorded]);

    // The first review page, 2 h after the stay (the default protocol: every 2h, and at 00:00, 07:00).
    await h.advanceTo('2026-01-06T21:06:00Z');
    await eventually(() => reviewPages(id).length >= 3 || undefined);
    const reviewAt = iso(Date.parse(held.stay?.at ?? '') + 2 * HOUR).slice(11, 16);
    // The example protocol pages the responders (the EDT, both platforms) and the custody inspector.
    expect(reviewPages(id).sort((a, b) => a.to.localeCompare(b.to))).toEqual([
      { at: reviewAt, to: '19:edt@thread.tacv2' },
      { at: reviewAt, to: 'C0EDT' },
      { at: reviewAt, to: 'U0CUSTINSP' },
    ]);

    // A bed turns up, and the child leaves at 21:30.
    await act(id, PEOPLE.responder, {
      kind: 'offer_bed',
      accommodation: 'non_secure',
      provider: 'Oak House',
      transport: 'la_collects',
      notes: '',
    });
    await viewWhen(h, id, (v) => v.status === 'bed_offered');
    await h.advanceTo('2026-01-06T21:31:00Z');
    await act(id, PEOPLE.sergeant, { kind: 'confirm_transfer', leftCustodyAt: '2026-01-06T21:30:00Z' });
    const final = await h.result<RequestView>(id);
    expect(final.outcome).toMatchObject({
      code: 'transferred_non_secure',
      leftCellsAt: '2026-01-06T21:30:00Z',
      leftCellsAssumed: false,
      leftCellsFor: 'transfer',
      stayReason: 'impracticable_extreme_weather',
    });
    const rec = await h.store.getOutcome(id);
    expect(rec).toMatchObject({
      outcome: 'transferred_non_secure',
      leftCellsAt: '2026-01-06T21:30:00.000Z',
      leftCellsAssumed: false,
      leftCellsFor: 'transfer',
      transferArrangedOutsideChat: false,
      stayReason: 'impracticable_extreme_weather',
      overnight: false,
    });
    expect(rec?.certificate).toContain('SECTION 38(6)');
    const types = (await h.store.listEvents(id)).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['record_stay', 'held_review', 'confirm_transfer', 'resolved']),
    );
  });

  it('with the protocol’s own review times, pages go out through the night; nobody records the child leaving, so it ends at court + grace, assumed', async () => {
    h.setProtocol(
      testProtocol((p) => {
        p.heldInCustody = {
          review: { every: '3h', at: ['00:00', '07:00'], notify: ['responders', 'custody-inspector'] },
          courtGrace: '1h',
        };
      }),
    );
    try {
      await h.advanceTo('2026-01-06T21:40:00Z');
      const id = await open({ nextCourtSitting: '2026-01-07T10:00:00Z' });
      await stay(id);
      await viewWhen(h, id, (v) => v.status === 'held_bed_sought');
      await h.advanceTo('2026-01-07T10:59:00Z');
      expect((await h.client.view(id))?.outcome).toBeUndefined();
      await h.advanceTo('2026-01-07T11:01:00Z');
      const final = await h.result<RequestView>(id);
      // Reviews: 00:00 (sooner than 3 h on), 03:00, 06:00, 07:00 (fixed), none at or after court.
      const atInspector = reviewPages(id)
        .filter((p) => p.to === 'U0CUSTINSP')
        .map((p) => p.at);
      expect(atInspector).toEqual(['00:00', '03:00', '06:00', '07:00']);
      expect(reviewPages(id).filter((p) => p.to === 'C0EDT')).toHaveLength(4);
      expect(final.outcome).toMatchObject({
        code: 'detained_impracticable',
        leftCellsAt: '2026-01-07T10:00:00Z', // the court sitting, as the request gave it
        leftCellsAssumed: true,
        leftCellsFor: 'court',
      });
      expect(await h.store.getOutcome(id)).toMatchObject({
        outcome: 'detained_impracticable',
        leftCellsAt: '2026-01-07T10:00:00.000Z',
        leftCellsAssumed: true,
        leftCellsFor: 'court',
        overnight: true,
      });
      expect((await h.store.listEvents(id)).map((e) => e.type)).toContain('left_cells_assumed');
    } finally {
      h.setProtocol(testProtocol());
    }
  });

  it('the sergeant records the child was bailed: the request ends with the stay’s outcome and that time', async () => {
    const id = await open();
    await stay(id);
    await viewWhen(h, id, (v) => v.status === 'held_bed_sought');
    const now = await h.nowMs();
    await act(id, PEOPLE.sergeant, { kind: 'record_left_cells', leftFor: 'bailed', leftAt: iso(now) });
    const final = await h.result<RequestView>(id);
    expect(final.outcome).toMatchObject({
      code: 'detained_impracticable',
      leftCellsFor: 'bailed',
      leftCellsAssumed: false,
    });
    expect(await h.store.getOutcome(id)).toMatchObject({ leftCellsFor: 'bailed', leftCellsAssumed: false });
  });
});

describe('a transfer arranged by phone', () => {
  it('is confirmed without an offer in chat and recorded as arranged outside chat; a secure bed for a non-secure request is refused', async () => {
    const id = await open();
    const now = await h.nowMs();
    h.chat.clear();
    await act(id, PEOPLE.sergeant, {
      kind: 'confirm_transfer',
      leftCustodyAt: iso(now),
      arrangedOutsideChat: { provider: 'Elm Lodge', accommodation: 'secure', transport: 'police_convey' },
    });
    await eventually(() => h.chat.notifications.length > 0 || undefined);
    expect(h.chat.notifications.map((n) => n.refusal.code)).toEqual([FailureCode.OfferTypeMismatch]);
    await act(id, PEOPLE.sergeant, {
      kind: 'confirm_transfer',
      leftCustodyAt: iso(now),
      arrangedOutsideChat: { provider: 'Elm Lodge', accommodation: 'non_secure', transport: 'police_convey' },
    });
    const final = await h.result<RequestView>(id);
    expect(final.outcome).toMatchObject({
      code: 'transferred_non_secure',
      arrangedOutsideChat: { provider: 'Elm Lodge', accommodation: 'non_secure', transport: 'police_convey' },
      leftCellsFor: 'transfer',
    });
    expect(final.offer).toBeUndefined();
    expect(await h.store.getOutcome(id)).toMatchObject({
      outcome: 'transferred_non_secure',
      transferArrangedOutsideChat: true,
      leftCellsAt: new Date(now).toISOString(),
    });
    const audit = (await h.store.listEvents(id)).find((e) => e.type === 'confirm_transfer');
    expect(audit?.data).toMatchObject({ arrangedOutsideChat: true, accommodation: 'non_secure' });
  });
});

describe('a repeat child’s ladder may start higher (repeatDetention.startLevel)', () => {
  it('opens at level 2 and skips the level-1 steps', async () => {
    h.setProtocol(
      testProtocol((p) => {
        p.repeatDetention = { window: '365d', startLevel: 2 };
      }),
    );
    try {
      const child = { pncId: '26/999111R' };
      const first = await open({ child });
      await act(first, PEOPLE.sergeant, { kind: 'cancel', reason: 'bailed', notes: '' });
      // Bailed at once: not a detention, so the next request is not yet a repeat.
      await h.result(first);
      const second = await open({ child });
      expect((await h.client.view(second))?.escalationLevel).toBe(0);
      await stay(second);
      await viewWhen(h, second, (v) => v.status === 'held_bed_sought');
      await act(second, PEOPLE.sergeant, {
        kind: 'record_left_cells',
        leftFor: 'court',
        leftAt: iso(await h.nowMs()),
      });
      await h.result(second);
      const third = await open({ child });
      const v = await viewWhen(h, third, (x) => x.repeat !== undefined);
      expect(v.escalationLevel).toBe(2);
      expect(v.escalations.map((e) => e.name)).toEqual(['Repeat child: the ladder starts here']);
      const openedAt = await h.nowMs();
      await h.advanceTo(iso(openedAt + 31 * MIN));
      const pages = h.chat
        .ofKind('escalation_page')
        .filter((s) => s.message.view.request.workflowId === third)
        .map((s) => s.message.view.level);
      expect(pages.filter((l) => l < 2)).toEqual([]);
      await act(third, PEOPLE.sergeant, { kind: 'cancel', reason: 'bailed', notes: '' });
      await h.result(third);
    } finally {
      h.setProtocol(testProtocol());
    }
  });
});
