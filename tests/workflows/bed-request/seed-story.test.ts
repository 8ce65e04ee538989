// The seed's story (HMIC, Northamptonshire 2013, "Children held in police detention"), end to
// end on its real dates: the same 15-year-old is charged and refused bail on Monday 18 and Monday
// 25 February 2013 at about 21:00, out of hours. Custody asks the EDT, the EDT declines both
// times, and the sergeant records that the child stays. A stay is not the end (docs/legal-rules.md):
// review pages go out through the night until the child leaves for court at 10:00 the next
// morning, and the time held and the overnight flag come from that time. On the second night the
// leads are alerted within a minute of the request and the cards show the earlier detention; the
// end-of-request alert still goes, once. A third night, known only by name and date of birth, is
// linked to the first two (the second carried both the PNC ID and the name).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChildIdentity } from '../../../domain/bed-request.js';
import type { RequestView } from '../../../domain/request-view.js';
import { repeatLine } from '../../../bots/shared/view-text.js';
import {
  PEOPLE,
  actAs,
  bedRequest,
  createHarness,
  eventually,
  viewWhen,
  type Harness,
} from '../../support/workflow-harness.js';

const PNC = '13/123456A';
const NAME = { givenName: 'Jordan', familyName: 'Quennell-Abara', dateOfBirth: '1997-06-01' };
const EDT_WORKER = { ...PEOPLE.responder, displayName: 'EDT social worker' };

let h: Harness;

beforeAll(async () => {
  h = await createHarness({ startAt: '2013-02-18T20:58:00Z', taskQueue: 'bed-request-seed-story' });
});
afterAll(async () => {
  await h?.teardown();
});

/**
 * One night: requests at 21:05, the EDT acknowledges at 21:20 and declines at 22:30, the sergeant
 * records the stay at 00:30, and at 10:05 records that the child left for court at 10:00. Returns
 * the workflow IDs, in the order of `children`.
 */
async function night(day: string, children: Array<{ custodyRecordNumber: string; child: ChildIdentity }>) {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const all = (f: (id: string) => Promise<unknown>) => Promise.all(ids.map(f));
  await h.advanceTo(`${day}T21:05:00Z`);
  const ids: string[] = [];
  for (const c of children) {
    const started = await h.client.start(
      bedRequest({
        custodyRecordNumber: c.custodyRecordNumber,
        child: c.child,
        age: 15,
        chargedAt: `${day}T21:00:00Z`,
        nextCourtSitting: `${next}T10:00:00Z`,
        requestingOfficer: PEOPLE.sergeant,
      }),
      `${day}T21:05:00Z`,
    );
    expect(started.status).toBe('started');
    ids.push(started.workflowId);
  }
  await all(async (id) => {
    const v = await eventually(() => h.client.view(id));
    expect(v).toMatchObject({ route: 'out_of_hours', age: 15, accommodation: 'non_secure' });
  });

  await h.advanceTo(`${day}T21:20:00Z`);
  await all((id) => actAs(h, id, EDT_WORKER, { kind: 'acknowledge' }));
  await all((id) => viewWhen(h, id, (x) => x.status === 'acknowledged'));
  await h.advanceTo(`${day}T22:30:00Z`);
  await all((id) =>
    actAs(h, id, EDT_WORKER, {
      kind: 'decline',
      reason: 'no_non_secure_placement',
      notes: 'No suitable placement available tonight',
    }),
  );
  await all((id) => viewWhen(h, id, (x) => x.status === 'declined'));
  await h.advanceTo(`${next}T00:30:00Z`);
  await all((id) =>
    actAs(h, id, PEOPLE.sergeant, {
      kind: 'record_stay',
      reason: 'no_accommodation_provided',
      explanation:
        'EDT contacted at 21:05 and escalated; no accommodation was provided by the local authority.',
    }),
  );
  // Held, bed still sought: the request is open, and the certificate is produced.
  await all((id) => viewWhen(h, id, (x) => x.status === 'held_bed_sought' && x.stay !== undefined));
  await h.advanceTo(`${next}T10:05:00Z`);
  await all((id) =>
    actAs(h, id, PEOPLE.sergeant, {
      kind: 'record_left_cells',
      leftFor: 'court',
      leftAt: `${next}T10:00:00Z`,
    }),
  );
  return ids;
}

/** Review pages (held, bed still sought) of one request, as HH:MM to one destination. */
function reviewTimes(id: string, to: string): string[] {
  return h.chat
    .ofKind('escalation_page')
    .filter((s) => s.op === 'post' && s.message.view.request.workflowId === id)
    .filter((s) => s.message.view.reason === 'held_review' && s.destination.address === to)
    .map((s) => new Date(s.atMs).toISOString().slice(11, 16));
}

it('18 February: the child stays, review pages go out through the night, the child leaves for court at 10:00; time held and overnight from that time', async () => {
  // Night 1, Monday 18 February 2013 (and, for contrast, a different child in the same suite).
  const [first = '', other = ''] = await night('2013-02-18', [
    { custodyRecordNumber: 'NC-1302-0042', child: { pncId: PNC } },
    { custodyRecordNumber: 'NC-1302-0043', child: { pncId: '12/654321B' } },
  ]);
  const firstView = await h.result<RequestView>(first);
  await h.result(other);
  expect(firstView.outcome).toMatchObject({
    code: 'detained_no_bed_non_secure',
    leftCellsAt: '2013-02-19T10:00:00Z',
    leftCellsAssumed: false,
    leftCellsFor: 'court',
    stayReason: 'no_accommodation_provided',
  });
  // The ladder ran until the stay: no bed after an hour (level 2), not resolved after two (level 3),
  // and midnight. Then the review ladder: every 2 h from the stay and at 07:00, up to the sitting.
  expect(firstView.escalationLevel).toBe(3);
  expect(firstView.escalations.map((e) => [e.level, e.at.slice(11, 16)])).toEqual([
    [2, '22:05'],
    [3, '23:05'],
    [3, '00:00'],
  ]);
  for (const to of ['C0EDT', 'U0CUSTINSP']) {
    expect(reviewTimes(first, to)).toEqual(['02:30', '04:30', '06:30', '07:00', '09:00']);
  }
  expect(firstView.outcome?.certificate).toContain('Mon 18 Feb 2013, 21:00 GMT');
  expect(h.chat.ofKind('repeat_alert')).toEqual([]);

  // The outcome record: held from 21:00 to 10:00 the next morning (13 h), so overnight.
  const record = await h.store.getOutcome(first);
  expect(record).toMatchObject({
    outcome: 'detained_no_bed_non_secure',
    chargedAt: '2013-02-18T21:00:00.000Z',
    leftCellsAt: '2013-02-19T10:00:00.000Z',
    leftCellsAssumed: false,
    leftCellsFor: 'court',
    overnight: true,
    weekend: false,
    escalationLevel: 3,
  });
  expect(Date.parse(record?.leftCellsAt ?? '') - Date.parse(record?.chargedAt ?? '')).toBe(13 * 3_600_000);
  expect(record?.certificate).toContain('SECTION 38(6)');
  expect((await h.store.listEvents(first)).filter((e) => e.type === 'held_review')).toHaveLength(5);
});

it('25 February: the leads are alerted within a minute of the request and the cards show the earlier detention; the end alert goes once', async () => {
  // Night 2, Monday 25 February 2013: the same child, known this time by PNC ID and by name.
  h.chat.clear();
  const [second = ''] = await night('2013-02-25', [
    { custodyRecordNumber: 'NC-1302-0107', child: { pncId: PNC, ...NAME } },
  ]);
  const secondView = await h.result<RequestView>(second);
  expect(secondView.outcome?.code).toBe('detained_no_bed_non_secure');
  expect(secondView.repeat).toEqual({
    count: 1,
    lastChargedAt: '2013-02-18T21:00:00.000Z',
    windowDays: 365,
  });

  // The alert at the start: within a minute of the 21:05 request, to each leads destination.
  const atStart = h.chat.ofKind('repeat_alert').filter((a) => a.message.view.now !== undefined);
  expect(atStart.map((a) => [a.op, a.destination.address]).sort()).toEqual([
    ['post', '19:leads@thread.tacv2'],
    ['post', 'C0LEADS'],
  ]);
  for (const a of atStart) {
    expect(a.atMs - Date.parse('2013-02-25T21:05:00Z')).toBeLessThan(60_000);
  }
  const startAlert = atStart[0]?.message.view;
  expect(
    startAlert?.detentions.map((d) => [d.custodyRecordNumber, d.chargedAt.slice(0, 10), d.outcome]),
  ).toEqual([['NC-1302-0042', '2013-02-18', 'detained_no_bed_non_secure']]);
  expect(startAlert?.now).toMatchObject({ custodyRecordNumber: 'NC-1302-0107' });

  // The cards, from the first post on: "held … 1 time in the last 12 months, last on Mon 18 Feb 2013".
  const firstCards = h.chat
    .ofKind('request_card')
    .filter((c) => c.message.view.workflowId === second && c.op === 'post');
  expect(firstCards.map((c) => c.message.audience).sort()).toEqual([
    'custody',
    'custody',
    'custody',
    'responder',
    'responder',
  ]);
  for (const c of firstCards) {
    expect(repeatLine(c.message.view)).toBe(
      'Repeat child: held in police custody after charge 1 time in the last 12 months, last on Mon 18 Feb 2013.',
    );
  }

  // The end-of-request alert stays, once for this detention: both nights.
  const atEnd = h.chat.ofKind('repeat_alert').filter((a) => a.message.view.now === undefined);
  expect(atEnd.map((a) => [a.op, a.destination.address]).sort()).toEqual([
    ['post', '19:leads@thread.tacv2'],
    ['post', 'C0LEADS'],
  ]);
  for (const a of atEnd) expect(new Date(a.atMs).toISOString()).toMatch(/^2013-02-26T10:0/);
  const alert = atEnd[0]?.message.view;
  expect(alert?.windowDays).toBe(365);
  expect(alert?.detentions.map((d) => [d.custodyRecordNumber, d.chargedAt.slice(0, 10), d.outcome])).toEqual([
    ['NC-1302-0042', '2013-02-18', 'detained_no_bed_non_secure'],
    ['NC-1302-0107', '2013-02-25', 'detained_no_bed_non_secure'],
  ]);
  expect(alert?.detentions.every((d) => d.custodySuiteName === 'Northampton Criminal Justice Centre')).toBe(
    true,
  );
  // The child is named by a shortened keyed pseudonym, never by the PNC ID or the name.
  expect(alert?.childRef).toMatch(/^.{6,12}$/);
  const registered = await h.store.getRequest(second);
  expect(registered?.childPseudonym.startsWith(alert?.childRef ?? '-')).toBe(true);
  const sent = JSON.stringify(h.chat.sends);
  for (const secret of [PNC, NAME.givenName, NAME.familyName, NAME.dateOfBirth])
    expect(sent).not.toContain(secret);
  const types = (await h.store.listEvents(second)).map((e) => e.type);
  expect(types.filter((t) => t === 'repeat_alert_at_start')).toHaveLength(1);
  expect(types.filter((t) => t === 'repeat_alert')).toHaveLength(1);
  expect(await h.store.getOutcome(second)).toMatchObject({
    overnight: true,
    leftCellsAt: '2013-02-26T10:00:00.000Z',
  });
});

it('a third night known only by name and date of birth is linked to the first two', async () => {
  h.chat.clear();
  await h.advanceTo('2013-03-04T21:05:00Z');
  const started = await h.client.start(
    bedRequest({
      custodyRecordNumber: 'NC-1303-0011',
      child: { ...NAME },
      age: 15,
      chargedAt: '2013-03-04T21:00:00Z',
      nextCourtSitting: '2013-03-05T10:00:00Z',
      requestingOfficer: PEOPLE.sergeant,
    }),
    '2013-03-04T21:05:00Z',
  );
  const third = started.workflowId;
  const v = await viewWhen(h, third, (x) => x.repeat !== undefined);
  expect(v.repeat).toEqual({ count: 2, lastChargedAt: '2013-02-25T21:00:00.000Z', windowDays: 365 });
  const alerts = await eventually(() => {
    const a = h.chat
      .ofKind('repeat_alert')
      .filter((x) => x.message.view.now?.custodyRecordNumber === 'NC-1303-0011');
    return a.length === 2 ? a : undefined;
  });
  for (const a of alerts) expect(a.atMs - Date.parse('2013-03-04T21:05:00Z')).toBeLessThan(60_000);
  expect(alerts[0]?.message.view.detentions.map((d) => d.custodyRecordNumber)).toEqual([
    'NC-1302-0042',
    'NC-1302-0107',
  ]);
  await actAs(h, third, PEOPLE.sergeant, { kind: 'cancel', reason: 'entered_in_error', notes: 'test ends' });
  await h.result(third);
});
