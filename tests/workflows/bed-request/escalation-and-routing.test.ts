// The escalation ladder and routing on the time-skipping test server, with the real worker and
// activities: every step at its time, escalation after an acknowledgement without a bed, the
// overnight trigger on the nights the clocks change, and in-hours vs EDT routing on a weekday, a
// weekend and England & Wales bank holidays. The test server's clock starts in March 2026 and
// only moves forward, so the tests run in date order.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BedRequestForm } from '../../../domain/bed-request.js';
import { FailureCode } from '../../../domain/failures.js';
import type { RequestView } from '../../../domain/request-view.js';
import {
  PEOPLE,
  actAs,
  bedRequest,
  createHarness,
  eventually,
  viewWhen,
  type Harness,
} from '../../support/workflow-harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const LONDON = 'Europe/London';

let h: Harness;
let seq = 0;

beforeAll(async () => {
  // Tuesday 3 March 2026, 10:55 GMT: office hours.
  h = await createHarness({ startAt: '2026-03-03T10:55:00Z', taskQueue: 'bed-request-escalation' });
});
afterAll(async () => {
  await h?.teardown();
});

const iso = (ms: number) => new Date(ms).toISOString();
const london = (ms: number) => DateTime.fromMillis(ms).setZone(LONDON).setLocale('en-GB');

/** Moves the clock to `at`, then opens a request charged 5 minutes earlier. Returns ID and request time. */
async function openAt(
  at: string,
  over: Partial<BedRequestForm> = {},
): Promise<{ id: string; requestedAtMs: number }> {
  await h.advanceTo(at);
  const now = await h.nowMs();
  seq += 1;
  const r = await h.client.start(
    bedRequest({
      custodyRecordNumber: `WW-26-${String(seq).padStart(4, '0')}`,
      custodySuiteId: 'northampton-cjc',
      child: { pncId: `26/${200000 + seq}C` },
      chargedAt: iso(now - 5 * MIN),
      nextCourtSitting: iso(now + 36 * HOUR),
      ...over,
    }),
    iso(now),
  );
  expect(r.status).toBe('started');
  await eventually(() => h.client.view(r.workflowId));
  return { id: r.workflowId, requestedAtMs: now };
}

async function close(id: string): Promise<RequestView> {
  await actAs(h, id, PEOPLE.sergeant, { kind: 'cancel', reason: 'bailed', notes: '' });
  return h.result<RequestView>(id);
}

/** Escalation pages of one request: [minutes after the request, level, step name, destinations]. */
function pagesOf(id: string, requestedAtMs: number) {
  return (
    h.chat
      .ofKind('escalation_page')
      .filter((s) => s.op === 'post' && s.message.view.request.workflowId === id)
      .map((s) => ({
        minutes: Math.round((s.atMs - requestedAtMs) / MIN),
        level: s.message.view.level,
        step: s.message.view.stepName,
        reason: s.message.view.reason,
        to: s.destination.address,
        atMs: s.atMs,
      }))
      // Pages of one escalation go out in parallel: order them by the minute, then by address.
      .sort((a, b) => a.minutes - b.minutes || a.to.localeCompare(b.to))
  );
}

function responderCardsOf(id: string): string[] {
  return h.chat
    .ofKind('request_card')
    .filter((s) => s.op === 'post' && s.message.audience === 'responder' && s.message.view.workflowId === id)
    .map((s) => s.destination.address);
}

/**
 * The responder cards once `count` are posted, sorted: a request answers queries before its first
 * cards are out (each destination is its own activity), so looking at once races them.
 */
async function responderCards(id: string, count: number): Promise<string[]> {
  await eventually(() => responderCardsOf(id).length >= count);
  return responderCardsOf(id).sort();
}

describe('the default ladder', () => {
  it('routes a weekday 11:00 request to the duty team, and fires every step at its time', async () => {
    const { id, requestedAtMs: t0 } = await openAt('2026-03-03T11:00:00Z');
    const v0 = await h.client.view(id);
    expect(v0).toMatchObject({ route: 'in_hours', outOfArea: false, escalationLevel: 0 });
    expect(await responderCards(id, 2)).toEqual(['19:duty-west@thread.tacv2', 'C0DUTYWEST']);

    await h.advanceTo(iso(t0 + 29 * MIN));
    expect(pagesOf(id, t0)).toEqual([]);

    await h.advanceTo(iso(t0 + 31 * MIN));
    // Level 1 at +30m: re-page the duty team (both its destinations) and the EDT manager.
    expect(
      pagesOf(id, t0)
        .map((p) => [p.minutes, p.level, p.to])
        .sort(),
    ).toEqual([
      [30, 1, '19:duty-west@thread.tacv2'],
      [30, 1, 'C0DUTYWEST'],
      [30, 1, 'U0EDTMGR'],
    ]);
    expect((await h.client.view(id))?.escalationLevel).toBe(1);

    await h.advanceTo(iso(t0 + 6 * HOUR + MIN));
    const pages = pagesOf(id, t0).filter((p) => p.minutes > 30);
    expect(pages.map((p) => [p.minutes, p.level, p.to])).toEqual([
      [60, 2, 'U0CUSTINSP'],
      [60, 2, 'U0LAONCALL'],
      [120, 3, 'U0LAHOS'],
      [120, 3, 'U0SUPT'],
      [240, 3, 'U0LAHOS'],
      [240, 3, 'U0SUPT'],
      [360, 3, 'U0LAHOS'], // the third and last repeat (maxRepeats: 3)
      [360, 3, 'U0SUPT'],
    ]);

    const v = await h.client.view(id);
    expect(v?.escalationLevel).toBe(3);
    // Each escalation is recorded with its time and level, to the second.
    expect(v?.escalations.map((e) => [e.level, Math.round((Date.parse(e.at) - t0) / 1000)])).toEqual([
      [1, 1800],
      [1, 1800],
      [2, 3600],
      [3, 7200],
      [3, 14400],
      [3, 21600],
    ]);
    const audited = (await h.store.listEvents(id))
      .filter((e) => e.type === 'escalated')
      .sort((a, b) => a.at.localeCompare(b.at) || String(a.data.step).localeCompare(String(b.data.step)));
    expect(audited.map((e) => [e.data.level, e.data.step, e.data.occurrence])).toEqual([
      [1, '0', 1],
      [1, '1', 1],
      [2, '2', 1],
      [3, '3', 1],
      [3, '3', 2],
      [3, '3', 3],
    ]);
    // The sergeant's thread heard of each new level once.
    const notes = h.chat
      .ofKind('event_note')
      .filter((s) => s.message.view.workflowId === id && s.destination.address === 'C0CUSTODYNTH');
    expect(notes.map((n) => n.message.event)).toEqual([
      { type: 'escalated', level: 1 },
      { type: 'escalated', level: 2 },
      { type: 'escalated', level: 3 },
      // 17:00, no offer accepted: the request moves to the EDT (docs/legal-rules.md, "Shift changes").
      { type: 'handed_over' },
    ]);

    // Still open at midnight: reaching 00:00 is itself an escalation.
    await h.advanceTo('2026-03-04T00:01:00Z');
    const overnight = pagesOf(id, t0).filter((p) => p.reason === 'overnight');
    expect(overnight.map((p) => [london(p.atMs).toFormat('HH:mm'), p.level, p.to])).toEqual([
      ['00:00', 3, 'U0LAHOS'],
      ['00:00', 3, 'U0SUPT'],
    ]);
    const final = await close(id);
    expect(final.escalationLevel).toBe(3);
    expect((await h.store.getOutcome(id))?.escalationLevel).toBe(3);
  });

  it('keeps escalating after an acknowledgement without a bed', async () => {
    // Wednesday 4 March, 00:30 GMT: out of hours, so the EDT.
    const { id, requestedAtMs: t0 } = await openAt('2026-03-04T00:30:00Z');
    expect(await responderCards(id, 2)).toEqual(['19:edt@thread.tacv2', 'C0EDT']);
    await h.advanceTo(iso(t0 + 10 * MIN));
    await actAs(h, id, PEOPLE.responder, { kind: 'acknowledge' });
    await viewWhen(h, id, (v) => v.status === 'acknowledged');

    await h.advanceTo(iso(t0 + 2 * HOUR + MIN));
    // No "not acknowledged" pages; "no bed offered" at +1h and "not resolved" at +2h still fire.
    expect(pagesOf(id, t0).map((p) => [p.minutes, p.level, p.reason, p.to])).toEqual([
      [60, 2, 'no_bed_offered', 'U0CUSTINSP'],
      [60, 2, 'no_bed_offered', 'U0LAONCALL'],
      [120, 3, 'not_resolved', 'U0LAHOS'],
      [120, 3, 'not_resolved', 'U0SUPT'],
    ]);

    // A bed stops "no bed offered"; only "not resolved" goes on.
    await actAs(h, id, PEOPLE.responder, {
      kind: 'offer_bed',
      accommodation: 'non_secure',
      provider: 'Oakfield House',
      transport: 'la_collects',
      notes: '',
    });
    await viewWhen(h, id, (v) => v.status === 'bed_offered');
    await h.advanceTo(iso(t0 + 4 * HOUR + MIN));
    expect(
      pagesOf(id, t0)
        .filter((p) => p.minutes > 120)
        .map((p) => [p.minutes, p.reason]),
    ).toEqual([
      [240, 'not_resolved'],
      [240, 'not_resolved'],
    ]);
    await actAs(h, id, PEOPLE.sergeant, { kind: 'confirm_transfer', leftCustodyAt: iso(await h.nowMs()) });
    const final = await h.result<RequestView>(id);
    expect(final.outcome?.code).toBe('transferred_non_secure');
    // Charged 00:25, left about 04:31: 4h+ between 00:00 and 08:00.
    expect(await h.store.getOutcome(id)).toMatchObject({
      overnight: true,
      weekend: false,
      escalationLevel: 3,
    });
  });
});

describe('the overnight trigger on the nights the clocks change', () => {
  it('spring forward: 00:00 GMT on Sunday 29 March, then 00:00 BST (23:00Z) on Monday 30 March', async () => {
    // Saturday 28 March 2026, 20:00 GMT: a weekend, so the EDT.
    const { id } = await openAt('2026-03-28T20:00:00Z', { nextCourtSitting: '2026-03-30T09:00:00Z' });
    const v = await h.client.view(id);
    expect(v?.route).toBe('out_of_hours');
    expect(await responderCards(id, 2)).toEqual(['19:edt@thread.tacv2', 'C0EDT']);
    const events = await h.store.listEvents(id);
    expect(events.find((e) => e.type === 'requested')?.data).toMatchObject({
      routeReason: 'not_an_office_day',
    });

    await h.advanceTo('2026-03-29T00:01:00Z');
    let overnight = pagesOf(id, 0).filter((p) => p.reason === 'overnight');
    expect(overnight.map((p) => iso(p.atMs).slice(0, 16))).toEqual(['2026-03-29T00:00', '2026-03-29T00:00']);
    expect(london(overnight[0]?.atMs ?? 0).toFormat('ccc HH:mm ZZZZ')).toBe('Sun 00:00 GMT');

    await h.advanceTo('2026-03-29T23:01:00Z');
    overnight = pagesOf(id, 0).filter((p) => p.reason === 'overnight');
    expect(overnight.map((p) => iso(p.atMs).slice(0, 16))).toEqual([
      '2026-03-29T00:00',
      '2026-03-29T00:00',
      '2026-03-29T23:00',
      '2026-03-29T23:00',
    ]);
    expect(london(overnight[2]?.atMs ?? 0).toFormat('ccc HH:mm ZZZZ')).toBe('Mon 00:00 BST');
    const escalations = (await h.client.view(id))?.escalations.filter((e) => e.name.startsWith('Overnight'));
    expect(escalations?.map((e) => e.at.slice(0, 16))).toEqual(['2026-03-29T00:00', '2026-03-29T23:00']);

    await actAs(h, id, PEOPLE.responder, {
      kind: 'offer_bed',
      accommodation: 'non_secure',
      provider: 'Oakfield House',
      transport: 'police_convey',
      notes: '',
    });
    await viewWhen(h, id, (x) => x.status === 'bed_offered');
    await actAs(h, id, PEOPLE.sergeant, { kind: 'confirm_transfer', leftCustodyAt: iso(await h.nowMs()) });
    await h.result(id);
    // Saturday 19:55 to Monday 00:01: overnight (Sunday 00:00-08:00) and weekend.
    expect(await h.store.getOutcome(id)).toMatchObject({ overnight: true, weekend: true });
  });
});

describe('routing', () => {
  it('a Saturday goes to the EDT', async () => {
    const { id } = await openAt('2026-06-06T09:00:00Z'); // Saturday 10:00 BST
    expect((await h.client.view(id))?.route).toBe('out_of_hours');
    expect(await responderCards(id, 2)).toEqual(['19:edt@thread.tacv2', 'C0EDT']);
    await close(id);
  });

  it('the summer bank holiday (Monday 31 August 2026) goes to the EDT', async () => {
    const { id } = await openAt('2026-08-31T09:00:00Z'); // Monday 10:00 BST
    expect((await h.client.view(id))?.route).toBe('out_of_hours');
    expect(await responderCards(id, 2)).toEqual(['19:edt@thread.tacv2', 'C0EDT']);
    const requested = (await h.store.listEvents(id)).find((e) => e.type === 'requested');
    expect(requested?.data).toMatchObject({ routeReason: 'bank_holiday', holiday: 'Summer bank holiday' });
    await close(id);
  });

  it('the next morning at 09:00 BST goes to the duty team; 08:59 would not', async () => {
    const early = await openAt('2026-09-01T07:59:00Z'); // Tuesday 08:59 BST
    expect((await h.client.view(early.id))?.route).toBe('out_of_hours');
    await close(early.id);
    const { id } = await openAt('2026-09-01T08:00:00Z'); // Tuesday 09:00 BST
    expect((await h.client.view(id))?.route).toBe('in_hours');
    expect(await responderCards(id, 2)).toEqual(['19:duty-west@thread.tacv2', 'C0DUTYWEST']);
    await close(id);
  });

  it('routes to the child’s home LA and flags an out-of-area child', async () => {
    const { id } = await openAt('2026-09-01T10:00:00Z', { homeLocalAuthorityId: 'milton-keynes' });
    const v = await h.client.view(id);
    expect(v).toMatchObject({
      route: 'in_hours',
      outOfArea: true,
      localAuthorityName: 'Milton Keynes City Council',
    });
    expect(v?.warnings).toContain('out_of_area');
    expect(await responderCards(id, 1)).toEqual(['C0DUTYMK']);
    // A responder for West Northamptonshire may not act for Milton Keynes.
    await actAs(h, id, PEOPLE.responder, { kind: 'acknowledge' });
    await eventually(() =>
      h.chat.notifications.find((n) => n.refusal.code === FailureCode.NotResponderForAuthority),
    );
    await close(id);
  });
});

describe('the overnight trigger when the clocks go back', () => {
  it('fall back: 00:00 BST on Sunday 25 October (23:00Z Saturday), then 00:00 GMT on Monday 26 October', async () => {
    const { id } = await openAt('2026-10-24T19:00:00Z', { nextCourtSitting: '2026-10-26T10:00:00Z' });
    await h.advanceTo('2026-10-24T23:01:00Z');
    let overnight = pagesOf(id, 0).filter((p) => p.reason === 'overnight');
    expect(overnight.map((p) => london(p.atMs).toFormat('ccc d LLL HH:mm ZZZZ'))).toEqual([
      'Sun 25 Oct 00:00 BST',
      'Sun 25 Oct 00:00 BST',
    ]);
    await h.advanceTo('2026-10-26T00:01:00Z');
    overnight = pagesOf(id, 0).filter((p) => p.reason === 'overnight');
    expect(overnight.map((p) => iso(p.atMs).slice(0, 16))).toEqual([
      '2026-10-24T23:00',
      '2026-10-24T23:00',
      '2026-10-26T00:00',
      '2026-10-26T00:00',
    ]);
    expect(london(overnight[2]?.atMs ?? 0).toFormat('ccc d LLL HH:mm ZZZZ')).toBe('Mon 26 Oct 00:00 GMT');
    await actAs(h, id, PEOPLE.sergeant, {
      kind: 'record_stay',
      reason: 'no_accommodation_provided',
      explanation: 'No placement offered all weekend despite escalation.',
    });
    // A stay is not the end: the child is held until the court sitting (Monday 10:00) and nobody
    // records the departure, so the request ends at the sitting plus the grace, assumed.
    await h.advanceTo('2026-10-26T12:01:00Z');
    const final = await h.result<RequestView>(id);
    expect(final.outcome?.code).toBe('detained_no_bed_non_secure');
    expect(await h.store.getOutcome(id)).toMatchObject({
      overnight: true,
      weekend: true,
      escalationLevel: 3,
    });
  });

  it('Christmas Day 2026 goes to the EDT', async () => {
    const { id } = await openAt('2026-12-25T10:00:00Z');
    expect((await h.client.view(id))?.route).toBe('out_of_hours');
    const requested = (await h.store.listEvents(id)).find((e) => e.type === 'requested');
    expect(requested?.data).toMatchObject({ routeReason: 'bank_holiday', holiday: 'Christmas Day' });
    await close(id);
  });
});
