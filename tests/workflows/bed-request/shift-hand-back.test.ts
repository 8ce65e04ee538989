// Shift changes with hand-back on (docs/legal-rules.md, "Shift changes"; protocol
// `shiftHandover.handBack`), on the time-skipping test server with the real worker, activities and
// store: a Monday 16:55 request goes to the EDT at 17:00 and back to the duty team at 09:00 on
// Tuesday, each team's card saying when it was handed over and losing its buttons; and one made on
// the Thursday before Easter goes to the EDT at 17:00 and stays with it over Good Friday, the
// weekend and Easter Monday (the real England and Wales calendar), back at 09:00 BST on Tuesday.
import { describe, expect, it } from 'vitest';
import { renderOutbound } from '../../../bots/slack/blocks/messages.js';
import { renderMessage } from '../../../bots/teams/chat-port/render-message.js';
import type { RequestView } from '../../../domain/request-view.js';
import { bedRequestSuite } from '../../support/bed-request-suite.js';
import { PEOPLE, actAs, eventually, testProtocol, viewWhen } from '../../support/workflow-harness.js';

const { h, open } = bedRequestSuite({
  // Monday 5 January 2026, GMT: office hours 09:00–17:00.
  startAt: '2026-01-05T16:50:00Z',
  taskQueue: 'bed-request-shift-hand-back',
  protocol: testProtocol((p) => void (p.shiftHandover = { enabled: true, handBack: true })),
  recordPrefix: 'NC-HB',
  pncBase: 400000,
  pncLetter: 'F',
});

const DUTY = 'C0DUTYWEST';
const EDT_SLACK = 'C0EDT';
const EDT_TEAMS = '19:edt@thread.tacv2';

const cardsTo = (id: string, address: string) =>
  h.chat
    .ofKind('request_card')
    .filter((s) => s.message.view.workflowId === id && s.destination.address === address);
const lastTo = (id: string, address: string) => cardsTo(id, address).at(-1);
const slackButtons = (s: ReturnType<typeof lastTo>) =>
  s ? JSON.stringify(renderOutbound(s.message, 'Europe/London').blocks).includes('"type":"button"') : false;
const handedRows = async (id: string) =>
  (await h.store.listEvents(id)).filter((e) => e.type === 'handed_over').map((e) => e.data);

describe('hand-back at 09:00', () => {
  it('a Monday 16:55 request is the EDT’s at 17:00 and the duty team’s again at 09:00, each old card handed over with no buttons', async () => {
    const id = await open(
      {
        custodyRecordNumber: 'NC-HB-165500',
        chargedAt: '2026-01-05T16:40:00Z',
        nextCourtSitting: '2026-01-06T14:00:00Z',
      },
      '2026-01-05T16:55:00Z',
    );
    await eventually(() => cardsTo(id, DUTY).length > 0 || undefined);
    await h.advanceTo('2026-01-05T17:01:00Z');
    await viewWhen(h, id, (v) => v.route === 'out_of_hours');
    await eventually(() => lastTo(id, DUTY)?.message.handedOver || undefined);
    expect(slackButtons(lastTo(id, DUTY))).toBe(false);

    // Overnight with the EDT; at 08:59 it is still theirs.
    await h.advanceTo('2026-01-06T08:59:00Z');
    expect((await h.client.view(id))?.route).toBe('out_of_hours');
    await h.advanceTo('2026-01-06T09:01:00Z');
    const back = await viewWhen(h, id, (v) => v.route === 'in_hours');
    expect(back.handovers).toEqual([
      { at: '2026-01-05T17:00:00.000Z', from: 'in_hours', to: 'out_of_hours' },
      { at: '2026-01-06T09:00:00.000Z', from: 'out_of_hours', to: 'in_hours' },
    ]);
    expect(await handedRows(id)).toMatchObject([
      { from: 'in_hours', to: 'out_of_hours', reason: 'outside_office_hours' },
      { from: 'out_of_hours', to: 'in_hours', reason: 'office_hours', dueAt: '2026-01-06T09:00:00.000Z' },
    ]);

    // The EDT's cards, on both platforms, are edited to say it went back, with no actions.
    const handedBack = { to: 'in_hours', at: '2026-01-06T09:00:00.000Z' };
    const edtSlack = await eventually(() => {
      const s = lastTo(id, EDT_SLACK);
      return s?.message.handedOver?.to === 'in_hours' ? s : undefined;
    });
    expect(edtSlack.op).toBe('update');
    expect(edtSlack.message.handedOver).toEqual(handedBack);
    expect(JSON.stringify(renderOutbound(edtSlack.message, 'Europe/London').blocks)).toContain(
      'Handed over to the duty team at 09:00 on Tue 6 Jan 2026',
    );
    expect(slackButtons(edtSlack)).toBe(false);
    const edtTeams = await eventually(() => {
      const s = lastTo(id, EDT_TEAMS);
      return s?.message.handedOver?.to === 'in_hours' ? s : undefined;
    });
    const teamsCard = JSON.stringify(
      renderMessage(edtTeams.message, '2026-01-06T09:00:00Z', 'Europe/London'),
    );
    expect(teamsCard).toContain('Handed over to the duty team at 09:00');
    expect(teamsCard).not.toContain('Action.Execute');

    // The duty team's own card, edited in place, is the full card again, buttons and all.
    const duty = await eventually(() => {
      const s = lastTo(id, DUTY);
      return s && s.message.view.route === 'in_hours' && !s.message.handedOver ? s : undefined;
    });
    expect(duty.op).toBe('update');
    expect(duty.ref.messageId).toBe(cardsTo(id, DUTY)[0]?.ref.messageId);
    expect(slackButtons(duty)).toBe(true);
    // The sergeant's thread hears of both moves.
    expect(
      h.chat
        .ofKind('event_note')
        .filter((s) => s.message.view.workflowId === id && s.message.event.type === 'handed_over')
        .map((s) => new Date(s.atMs).toISOString().slice(0, 16)),
    ).toEqual(expect.arrayContaining(['2026-01-05T17:00', '2026-01-06T09:00']));

    // The duty team acts on it again.
    await actAs(h, id, PEOPLE.responder, { kind: 'acknowledge' });
    await viewWhen(h, id, (v) => v.status === 'acknowledged');
    await actAs(h, id, PEOPLE.sergeant, { kind: 'cancel', reason: 'bailed', notes: '' });
    expect((await h.result<RequestView>(id)).outcome?.code).toBe('released_or_bailed');
  });
});

describe('a handover at the start of a weekend and bank holidays', () => {
  it('the Thursday before Easter: the EDT’s at 17:00 BST, kept over Good Friday, the weekend and Easter Monday, back at 09:00 BST on Tuesday', async () => {
    // Thursday 2 April 2026, 16:55 BST (15:55Z); court on Tuesday 7 April at 14:00 BST.
    const id = await open(
      { custodyRecordNumber: 'NC-HB-020426', nextCourtSitting: '2026-04-07T13:00:00Z' },
      '2026-04-02T15:55:00Z',
    );
    expect((await h.client.view(id))?.route).toBe('in_hours');
    await h.advanceTo('2026-04-02T16:01:00Z');
    await viewWhen(h, id, (v) => v.route === 'out_of_hours');
    // No hand-back at 09:00 on Good Friday, Saturday, Sunday or Easter Monday.
    for (const at of [
      '2026-04-03T08:30:00Z',
      '2026-04-04T08:30:00Z',
      '2026-04-05T08:30:00Z',
      '2026-04-06T08:30:00Z',
    ]) {
      await h.advanceTo(at);
      expect((await h.client.view(id))?.route, at).toBe('out_of_hours');
    }
    await h.advanceTo('2026-04-07T07:59:00Z');
    expect((await h.client.view(id))?.handovers).toHaveLength(1);
    await h.advanceTo('2026-04-07T08:01:00Z');
    const back = await viewWhen(h, id, (v) => v.route === 'in_hours');
    expect(back.handovers).toEqual([
      { at: '2026-04-02T16:00:00.000Z', from: 'in_hours', to: 'out_of_hours' },
      { at: '2026-04-07T08:00:00.000Z', from: 'out_of_hours', to: 'in_hours' },
    ]);
    expect((await handedRows(id)).map((d) => d.dueAt)).toEqual([
      '2026-04-02T16:00:00.000Z',
      '2026-04-07T08:00:00.000Z',
    ]);
    // The duty team's card said at 17:00 BST that the EDT had it.
    const dutyHanded = cardsTo(id, DUTY).find((s) => s.message.handedOver?.to === 'out_of_hours');
    expect(JSON.stringify(renderOutbound(dutyHanded!.message, 'Europe/London').blocks)).toContain(
      'Handed over to the Emergency Duty Team (EDT) at 17:00 on Thu 2 Apr 2026',
    );
    await actAs(h, id, PEOPLE.sergeant, { kind: 'cancel', reason: 'bailed', notes: '' });
    await h.result(id);
  });
});
