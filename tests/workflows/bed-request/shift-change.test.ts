// Shift changes and live rosters (docs/legal-rules.md, "Shift changes"), on the time-skipping test
// server with the real worker and store: a request made at 16:55 on a Monday, with the duty team
// silent, is handed to the EDT at 17:00 with its history so far, and the duty team's card says it
// moved; one with an accepted offer stays where it is; and an EDT worker rostered after the request
// started can act on it (the workflow reads the people list as it is now).
import { expect, it } from 'vitest';
import { timelineLines } from '../../../bots/shared/view-text.js';
import { renderOutbound } from '../../../bots/slack/blocks/messages.js';
import { FailureCode } from '../../../domain/failures.js';
import type { Actor } from '../../../domain/people.js';
import type { RequestView } from '../../../domain/request-view.js';
import { bedRequestSuite } from '../../support/bed-request-suite.js';
import { PEOPLE, actAs, eventually, testProtocol, viewWhen } from '../../support/workflow-harness.js';

const NIGHT_WORKER: Actor = { platform: 'slack', userId: 'U0EDTNIGHT', displayName: 'EDT night worker' };

const suite = bedRequestSuite({
  // Monday 5 January 2026, GMT: office hours end at 17:00.
  startAt: '2026-01-05T16:50:00Z',
  taskQueue: 'bed-request-shift-change',
  recordPrefix: 'NC-SC',
  pncBase: 100000,
  pncLetter: 'D',
});
const { h } = suite;

/** A request made at `at` (charged 16:40, court 10:00 tomorrow), numbered by its custody record. */
const open = (record: string, at: string): Promise<string> =>
  suite.open(
    {
      custodyRecordNumber: record,
      child: { pncId: `26/${record.slice(-6)}D` },
      chargedAt: '2026-01-05T16:40:00Z',
      nextCourtSitting: '2026-01-06T10:00:00Z',
    },
    at,
  );

const cardsTo = (id: string, address: string) =>
  h.chat
    .ofKind('request_card')
    .filter((s) => s.message.view.workflowId === id && s.destination.address === address);

it('a 16:55 request with the duty team silent is the EDT’s at 17:00, with its history; someone rostered since can act', async () => {
  const silent = await open('NC-2601-165500', '2026-01-05T16:55:00Z');
  const offered = await open('NC-2601-165600', '2026-01-05T16:56:00Z');
  expect((await viewWhen(h, silent, () => true)).route).toBe('in_hours');
  await eventually(() => cardsTo(silent, 'C0DUTYWEST').length > 0 || undefined);
  expect(cardsTo(silent, 'C0EDT')).toEqual([]);
  // The second request has an accepted offer before 17:00: it stays with the duty team.
  await actAs(h, offered, PEOPLE.responder, {
    kind: 'offer_bed',
    accommodation: 'non_secure',
    provider: 'Oak House',
    transport: 'la_collects',
    notes: '',
  });
  await viewWhen(h, offered, (v) => v.status === 'bed_offered');

  await h.advanceTo('2026-01-05T17:01:00Z');
  const moved = await viewWhen(h, silent, (v) => v.route === 'out_of_hours');
  expect(moved.handovers).toEqual([{ at: '2026-01-05T17:00:00.000Z', from: 'in_hours', to: 'out_of_hours' }]);
  // The EDT gets the card, at 17:00, with the history so far.
  const edtCards = await eventually(() => {
    const c = cardsTo(silent, 'C0EDT').filter((s) => s.op === 'post');
    return c.length > 0 ? c : undefined;
  });
  expect(new Date(edtCards[0]?.atMs ?? 0).toISOString()).toMatch(/^2026-01-05T17:00/);
  const history = timelineLines(edtCards[0]!.message.view);
  expect(history[0]).toMatch(/^Requested Mon 5 Jan 2026, 16:55/);
  expect(history.some((l) => l.startsWith('Moved Mon 5 Jan 2026, 17:00 at the shift change'))).toBe(true);
  expect(cardsTo(silent, '19:edt@thread.tacv2').some((s) => s.op === 'post')).toBe(true);
  // The duty team's own card now says the request has moved to the EDT.
  const dutyLast = cardsTo(silent, 'C0DUTYWEST').at(-1);
  expect(dutyLast?.op).toBe('update');
  expect(dutyLast?.message.view.route).toBe('out_of_hours');
  expect(dutyLast?.message.view.handovers).toHaveLength(1);
  // …that it was handed over to the EDT at 17:00, with no buttons (the renderers, from that message).
  expect(dutyLast?.message.handedOver).toEqual({ to: 'out_of_hours', at: '2026-01-05T17:00:00.000Z' });
  const dutyCard = renderOutbound(dutyLast!.message, 'Europe/London');
  expect(JSON.stringify(dutyCard.blocks)).toContain('Handed over to the Emergency Duty Team (EDT) at 17:00');
  expect(JSON.stringify(dutyCard.blocks)).not.toContain('"type":"button"');
  // The EDT's cards are the full card, with its buttons.
  expect(edtCards.every((s) => s.message.handedOver === undefined)).toBe(true);
  expect(JSON.stringify(renderOutbound(edtCards[0]!.message, 'Europe/London').blocks)).toContain(
    '"type":"button"',
  );
  expect(
    h.chat
      .ofKind('event_note')
      .some((s) => s.message.view.workflowId === silent && s.message.event.type === 'handed_over'),
  ).toBe(true);
  expect((await h.store.listEvents(silent)).find((e) => e.type === 'handed_over')?.data).toMatchObject({
    from: 'in_hours',
    to: 'out_of_hours',
    reason: 'outside_office_hours',
  });
  // The offered request did not move.
  expect((await h.client.view(offered))?.route).toBe('in_hours');
  expect(cardsTo(offered, 'C0EDT')).toEqual([]);

  // The ladder's "responders" now means the EDT: the 30-minute re-page goes there, not to the duty team.
  await h.advanceTo('2026-01-05T17:26:00Z');
  const repage = h.chat
    .ofKind('escalation_page')
    .filter(
      (s) =>
        s.message.view.request.workflowId === silent && s.message.view.stepName === 'Re-page the duty team',
    );
  expect(repage.map((s) => s.destination.address).sort()).toEqual(['19:edt@thread.tacv2', 'C0EDT']);

  // An EDT worker not on the roster is refused; rostered now, after the request started, they can act.
  h.chat.clear();
  await actAs(h, silent, NIGHT_WORKER, { kind: 'acknowledge' });
  await eventually(() => h.chat.notifications.length > 0 || undefined);
  expect(h.chat.notifications.map((n) => n.refusal.code)).toEqual([FailureCode.RoleNotPermitted]);
  h.setProtocol(
    testProtocol((p) => {
      p.people = [
        ...(p.people ?? []),
        {
          name: 'EDT night worker',
          slack: NIGHT_WORKER.userId,
          roles: ['responder'],
          localAuthorities: ['west-northamptonshire'],
        },
      ];
    }),
  );
  try {
    await actAs(h, silent, NIGHT_WORKER, { kind: 'acknowledge' });
    const acknowledged = await viewWhen(h, silent, (v) => v.status === 'acknowledged');
    expect(acknowledged.acknowledged?.by.userId).toBe(NIGHT_WORKER.userId);
  } finally {
    h.setProtocol(testProtocol());
  }
  await actAs(h, silent, PEOPLE.sergeant, { kind: 'cancel', reason: 'bailed', notes: '' });
  await actAs(h, offered, PEOPLE.sergeant, { kind: 'cancel', reason: 'bailed', notes: '' });
  expect((await h.result<RequestView>(silent)).outcome?.code).toBe('released_or_bailed');
  await h.result(offered);
});
