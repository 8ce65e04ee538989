// The seed's story (HMIC, Northamptonshire 2013, "Children held in police detention"), end to
// end on its real dates: the same 15-year-old is charged and refused bail on Monday 18 and Monday
// 25 February 2013 at about 21:00, out of hours. Custody asks the EDT, the EDT declines both
// times, and the sergeant records that the child stays. Two outcome records; one repeat alert to
// the strategic leads, on the second night, and none on the first.
import { afterAll, beforeAll, expect, it } from 'vitest';
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

const PNC = '13/123456A';
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
 * records the stay at 00:30. Returns the workflow IDs, in the order of `children`.
 */
async function night(day: string, children: Array<{ custodyRecordNumber: string; pncId: string }>) {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const all = (f: (id: string) => Promise<unknown>) => Promise.all(ids.map(f));
  await h.advanceTo(`${day}T21:05:00Z`);
  const ids: string[] = [];
  for (const child of children) {
    const started = await h.client.start(
      bedRequest({
        custodyRecordNumber: child.custodyRecordNumber,
        child: { pncId: child.pncId },
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
  return ids;
}

it('two nights a week apart: two outcome records, one repeat alert to the leads on the second night', async () => {
  // Night 1, Monday 18 February 2013 (and, for contrast, a different child in the same suite).
  const [first = '', other = ''] = await night('2013-02-18', [
    { custodyRecordNumber: 'NC-1302-0042', pncId: PNC },
    { custodyRecordNumber: 'NC-1302-0043', pncId: '12/654321B' },
  ]);
  const firstView = await h.result<RequestView>(first);
  await h.result(other);
  expect(firstView.outcome?.code).toBe('detained_no_bed_non_secure');
  // The ladder ran: no bed after an hour (level 2), not resolved after two (level 3), and midnight.
  expect(firstView.escalationLevel).toBe(3);
  expect(firstView.escalations.map((e) => [e.level, e.at.slice(11, 16)])).toEqual([
    [2, '22:05'],
    [3, '23:05'],
    [3, '00:00'],
  ]);
  expect(firstView.outcome?.certificate).toContain('Mon 18 Feb 2013, 21:00 GMT');
  expect(h.chat.ofKind('repeat_alert')).toEqual([]);

  // Night 2, Monday 25 February 2013: the same child.
  const [second = ''] = await night('2013-02-25', [{ custodyRecordNumber: 'NC-1302-0107', pncId: PNC }]);
  const secondView = await h.result<RequestView>(second);
  expect(secondView.outcome?.code).toBe('detained_no_bed_non_secure');

  // Two outcome records for the child, with every timestamp and the flags.
  const records = await Promise.all([h.store.getOutcome(first), h.store.getOutcome(second)]);
  expect(
    records.map((r) => r && [r.outcome, r.chargedAt, r.overnight, r.weekend, r.escalationLevel]),
  ).toEqual([
    ['detained_no_bed_non_secure', '2013-02-18T21:00:00.000Z', true, false, 3],
    ['detained_no_bed_non_secure', '2013-02-25T21:00:00.000Z', true, false, 3],
  ]);
  expect(records[1]).toMatchObject({
    requestedAt: '2013-02-25T21:05:00.000Z',
    acknowledgedAt: expect.stringMatching(/^2013-02-25T21:20/) as unknown,
    declineReasons: ['no_non_secure_placement'],
    stayReason: 'no_accommodation_provided',
    actors: {
      requested: PEOPLE.sergeant,
      acknowledged: EDT_WORKER,
      declined: EDT_WORKER,
      resolved: PEOPLE.sergeant,
    },
  });

  // One repeat alert, to each leads destination, on the second night; none on the first.
  const alerts = h.chat.ofKind('repeat_alert');
  expect(alerts.map((a) => [a.op, a.destination.address]).sort()).toEqual([
    ['post', '19:leads@thread.tacv2'],
    ['post', 'C0LEADS'],
  ]);
  for (const a of alerts) expect(new Date(a.atMs).toISOString()).toMatch(/^2013-02-26T00:3/);
  const alert = alerts[0]?.message.view;
  expect(alert?.windowDays).toBe(365);
  expect(alert?.detentions.map((d) => [d.custodyRecordNumber, d.chargedAt.slice(0, 10), d.outcome])).toEqual([
    ['NC-1302-0042', '2013-02-18', 'detained_no_bed_non_secure'],
    ['NC-1302-0107', '2013-02-25', 'detained_no_bed_non_secure'],
  ]);
  expect(alert?.detentions.every((d) => d.custodySuiteName === 'Northampton Criminal Justice Centre')).toBe(
    true,
  );
  // The child is named by a shortened keyed pseudonym, never by the PNC ID.
  expect(alert?.childRef).toMatch(/^.{6,12}$/);
  const registered = await h.store.getRequest(second);
  expect(registered?.childPseudonym.startsWith(alert?.childRef ?? '-')).toBe(true);
  expect(JSON.stringify(h.chat.sends)).not.toContain(PNC);
  expect((await h.store.listEvents(second)).map((e) => e.type)).toContain('repeat_alert');
  expect((await h.store.listEvents(first)).map((e) => e.type)).not.toContain('repeat_alert');
});
