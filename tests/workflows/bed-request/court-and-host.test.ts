// The court-sitting warning and the out-of-area courtesy notice (docs/legal-rules.md, "The court
// sitting is the hard deadline" and "Out-of-area children"), on the time-skipping test server with
// the real worker and store.
import { describe, expect, it } from 'vitest';
import type { RequestView } from '../../../domain/request-view.js';
import { HOUR, MIN, bedRequestSuite, iso } from '../../support/bed-request-suite.js';
import { PEOPLE, actAs, eventually, testProtocol, viewWhen } from '../../support/workflow-harness.js';

const { h, open } = bedRequestSuite({
  // A Tuesday evening in January 2026 (GMT), out of office hours.
  startAt: '2026-01-06T19:00:00Z',
  taskQueue: 'bed-request-court-host',
  recordPrefix: 'NC-CRT',
  pncBase: 300000,
  pncLetter: 'E',
});

const close = async (id: string) => {
  await actAs(h, id, PEOPLE.sergeant, { kind: 'cancel', reason: 'bailed', notes: '' });
  await h.result(id);
};

const courtesyTo = (id: string) =>
  h.chat
    .ofKind('event_note')
    .filter((s) => s.message.view.workflowId === id && s.message.event.type === 'courtesy_notice')
    .map((s) => s.destination.address)
    .sort();

describe('out-of-area children', () => {
  it('the host authority (where the suite is) gets a courtesy notice; the protocol can turn it off', async () => {
    // A Milton Keynes child held at Northampton (West Northamptonshire), out of hours.
    const id = await open({ homeLocalAuthorityId: 'milton-keynes' });
    const v = await viewWhen(h, id, () => true);
    expect(v.outOfArea).toBe(true);
    await eventually(() => courtesyTo(id).length === 2 || undefined);
    expect(courtesyTo(id)).toEqual(['19:edt@thread.tacv2', 'C0EDT']);
    // The home authority's EDT gets the request card, as always.
    expect(
      h.chat
        .ofKind('request_card')
        .some((s) => s.message.view.workflowId === id && s.destination.address === 'C0EDTMK'),
    ).toBe(true);
    expect((await h.store.listEvents(id)).find((e) => e.type === 'courtesy_notice')?.data).toEqual({
      hostAuthority: 'west-northamptonshire',
    });
    await close(id);

    h.setProtocol(testProtocol((p) => void (p.outOfArea = { courtesyNotice: false })));
    try {
      const off = await open({ homeLocalAuthorityId: 'milton-keynes' });
      await eventually(
        () => h.chat.ofKind('request_card').some((s) => s.message.view.workflowId === off) || undefined,
      );
      await close(off);
      expect(courtesyTo(off)).toEqual([]);
    } finally {
      h.setProtocol(testProtocol());
    }
    // A child from the suite's own authority gets none.
    const local = await open();
    await eventually(
      () => h.chat.ofKind('request_card').some((s) => s.message.view.workflowId === local) || undefined,
    );
    await close(local);
    expect(courtesyTo(local)).toEqual([]);
  });
});

describe('the court sitting near with no bed', () => {
  it('pages the contacts once, the set time before the sitting; a request with a bed offered is not paged', async () => {
    h.setProtocol(
      testProtocol((p) => void (p.courtSitting = { warnBefore: '2h', notify: ['custody-inspector'] })),
    );
    try {
      const now = await h.nowMs();
      const court = iso(now + 4 * HOUR);
      const noBed = await open({ nextCourtSitting: court });
      const offered = await open({ nextCourtSitting: court });
      await actAs(h, offered, PEOPLE.responder, {
        kind: 'offer_bed',
        accommodation: 'non_secure',
        provider: 'Oak House',
        transport: 'la_collects',
        notes: '',
      });
      await viewWhen(h, offered, (v) => v.status === 'bed_offered');
      await h.advanceTo(iso(Date.parse(court) - 2 * HOUR - MIN));
      const warnings = (id: string) =>
        h.chat
          .ofKind('escalation_page')
          .filter((s) => s.message.view.request.workflowId === id && s.message.view.reason === 'court_soon');
      expect(warnings(noBed)).toEqual([]);
      await h.advanceTo(iso(Date.parse(court) - 2 * HOUR + MIN));
      const sent = await eventually(() => (warnings(noBed).length > 0 ? warnings(noBed) : undefined));
      expect(sent.map((s) => s.destination.address)).toEqual(['U0CUSTINSP']);
      expect(sent[0]?.atMs).toBeGreaterThanOrEqual(Date.parse(court) - 2 * HOUR);
      await h.advanceTo(iso(Date.parse(court) - 30 * MIN));
      expect(warnings(noBed)).toHaveLength(1);
      expect(warnings(offered)).toEqual([]);
      expect((await h.store.listEvents(noBed)).filter((e) => e.type === 'court_warning')).toHaveLength(1);
      await close(noBed);
      await close(offered);
    } finally {
      h.setProtocol(testProtocol());
    }
  });
});

describe('the court warning follows an amended sitting', () => {
  const warnings = (id: string) =>
    h.chat
      .ofKind('escalation_page')
      .filter(
        (s) =>
          s.op === 'post' &&
          s.message.view.request.workflowId === id &&
          s.message.view.reason === 'court_soon',
      );
  const amend = (id: string, to: string) =>
    actAs(h, id, PEOPLE.sergeant, { kind: 'amend_court_sitting', nextCourtSitting: to, reason: 'Relisted' });
  const warnedAt = async (id: string, n: number) =>
    (await eventually(() => (warnings(id).length >= n ? warnings(id) : undefined)))[n - 1]?.atMs ?? 0;

  it('amended later or earlier before the warning, it is due the set time before the new sitting, not the old', async () => {
    h.setProtocol(
      testProtocol((p) => void (p.courtSitting = { warnBefore: '2h', notify: ['custody-inspector'] })),
    );
    try {
      const now = await h.nowMs();
      const later = await open({ nextCourtSitting: iso(now + 4 * HOUR) });
      const earlier = await open({ nextCourtSitting: iso(now + 10 * HOUR) });
      await amend(later, iso(now + 8 * HOUR));
      await amend(earlier, iso(now + 5 * HOUR));
      await viewWhen(h, later, (v) => v.nextCourtSitting === iso(now + 8 * HOUR));
      await viewWhen(h, earlier, (v) => v.nextCourtSitting === iso(now + 5 * HOUR));
      // The old sitting's warning time (2 h from now) passes with no page for the later one.
      await h.advanceTo(iso(now + 2 * HOUR + 10 * MIN));
      expect(warnings(later)).toEqual([]);
      expect(warnings(earlier)).toEqual([]);
      // The earlier one is warned at 3 h (5 h − 2 h), not at 8 h.
      await h.advanceTo(iso(now + 3 * HOUR + MIN));
      expect(await warnedAt(earlier, 1)).toBeGreaterThanOrEqual(now + 3 * HOUR);
      expect(warnings(earlier)[0]?.atMs).toBeLessThan(now + 3 * HOUR + MIN);
      expect(warnings(later)).toEqual([]);
      // The later one is warned at 6 h (8 h − 2 h).
      await h.advanceTo(iso(now + 6 * HOUR - MIN));
      expect(warnings(later)).toEqual([]);
      await h.advanceTo(iso(now + 6 * HOUR + MIN));
      expect(await warnedAt(later, 1)).toBeGreaterThanOrEqual(now + 6 * HOUR);
      expect(warnings(later).map((s) => s.destination.address)).toEqual(['U0CUSTINSP']);
      expect(warnings(earlier)).toHaveLength(1);
      await close(later);
      // The earlier one ended at its (amended) sitting, 5 h on.
      expect((await h.result<RequestView>(earlier)).outcome?.code).toBe('court_before_transfer');
    } finally {
      h.setProtocol(testProtocol());
    }
  });

  it('already sent, it is re-armed by a later sitting and pages again before it; a sitting amended earlier does not repeat it', async () => {
    h.setProtocol(
      testProtocol((p) => void (p.courtSitting = { warnBefore: '2h', notify: ['custody-inspector'] })),
    );
    try {
      const now = await h.nowMs();
      const relisted = await open({ nextCourtSitting: iso(now + 3 * HOUR) });
      const sooner = await open({ nextCourtSitting: iso(now + 3 * HOUR) });
      await h.advanceTo(iso(now + HOUR + MIN));
      await warnedAt(relisted, 1);
      await warnedAt(sooner, 1);
      // The sitting moves to the next day's list: the warning is due again 2 h before it.
      await amend(relisted, iso(now + 9 * HOUR));
      await amend(sooner, iso(now + 2 * HOUR));
      await viewWhen(h, relisted, (v) => v.nextCourtSitting === iso(now + 9 * HOUR));
      await viewWhen(h, sooner, (v) => v.nextCourtSitting === iso(now + 2 * HOUR));
      await h.advanceTo(iso(now + 7 * HOUR - MIN));
      expect(warnings(relisted)).toHaveLength(1);
      await h.advanceTo(iso(now + 7 * HOUR + MIN));
      expect(await warnedAt(relisted, 2)).toBeGreaterThanOrEqual(now + 7 * HOUR);
      // A new page, not an edit of the first.
      expect(new Set(warnings(relisted).map((s) => s.ref.messageId)).size).toBe(2);
      const rows = (await h.store.listEvents(relisted)).filter((e) => e.type === 'court_warning');
      expect(rows.map((e) => e.data.nextCourtSitting)).toEqual([iso(now + 3 * HOUR), iso(now + 9 * HOUR)]);
      expect(rows[1]?.data).toMatchObject({ rearmed: true, sent: 2 });
      // The sooner sitting (ended at its court time) was warned once.
      expect(warnings(sooner)).toHaveLength(1);
      await close(relisted);
    } finally {
      h.setProtocol(testProtocol());
    }
  });
});

describe('amending the court sitting', () => {
  it('is audited, refused before the charge, and the deadline follows the new sitting', async () => {
    const now = await h.nowMs();
    const id = await open({ nextCourtSitting: iso(now + 10 * HOUR) });
    h.chat.clear();
    await actAs(h, id, PEOPLE.sergeant, {
      kind: 'amend_court_sitting',
      nextCourtSitting: iso(now - 2 * HOUR),
      reason: 'Typed the wrong day',
    });
    await eventually(() => h.chat.notifications.length > 0 || undefined);
    expect(h.chat.notifications.map((n) => n.refusal)).toEqual([
      { code: 'INVALID_INPUT', params: { field: 'nextCourtSitting' } },
    ]);
    const earlier = iso(now + 3 * HOUR);
    await actAs(h, id, PEOPLE.sergeant, {
      kind: 'amend_court_sitting',
      nextCourtSitting: earlier,
      reason: 'Listed for the morning remand court',
    });
    const amended = await viewWhen(h, id, (v) => v.nextCourtSitting === earlier);
    expect(amended.courtSittingAmendments).toMatchObject([
      { from: iso(now + 10 * HOUR), to: earlier, reason: 'Listed for the morning remand court' },
    ]);
    const audit = (await h.store.listEvents(id)).find((e) => e.type === 'amend_court_sitting');
    expect(audit?.data).toMatchObject({ from: iso(now + 10 * HOUR), to: earlier });
    expect(audit?.actor).toMatchObject({ userId: PEOPLE.sergeant.userId });
    // The hard deadline is now the amended sitting.
    await h.advanceTo(iso(Date.parse(earlier) + MIN));
    const final = await h.result<RequestView>(id);
    expect(final.outcome).toMatchObject({
      code: 'court_before_transfer',
      leftCellsFor: 'court',
      leftCellsAssumed: true,
    });
    expect(Date.parse(final.outcome?.at ?? '')).toBe(Date.parse(earlier));
  });
});
