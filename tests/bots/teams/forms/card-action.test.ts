import { describe, expect, it } from 'vitest';
import { parseCardAction, type ActionVerb } from '../../../../bots/teams/forms/card-action.js';
import type { Actor } from '../../../../domain/people.js';
import { RESPONDER, SERGEANT } from '../support/views.js';

const ref = { workflowId: 'bed-request:NORTHAMPTON-CJC:NC-2013-0218', audience: 'responder' };
const ctx = { actor: RESPONDER, actionId: 'f:1', replyChannel: '19:edt@thread.tacv2', zone: 'Europe/London' };

function parse(verb: ActionVerb, data: Record<string, unknown>, actor: Actor = RESPONDER) {
  return parseCardAction(verb, { ...ref, ...data }, { ...ctx, actor });
}

describe('card buttons → the workflow’s ActionEnvelope', () => {
  it('builds each action from the card inputs', () => {
    expect(parse('acknowledge', {})).toMatchObject({
      ok: true,
      envelope: { action: { kind: 'acknowledge' } },
    });
    expect(
      parse('offer_bed', {
        offer_accommodation: 'non_secure',
        offer_provider: ' Oak House ',
        offer_transport: 'la_collects',
      }),
    ).toMatchObject({
      ok: true,
      envelope: {
        actionId: 'f:1',
        actor: RESPONDER,
        replyChannel: '19:edt@thread.tacv2',
        action: {
          kind: 'offer_bed',
          accommodation: 'non_secure',
          provider: 'Oak House',
          transport: 'la_collects',
          notes: '',
        },
      },
    });
    expect(parse('decline', { decline_reason: 'no_non_secure_placement' })).toMatchObject({ ok: true });
    expect(parse('request_info', { info_question: 'Any medication?' })).toMatchObject({ ok: true });
    expect(parse('answer_info', { questionId: 'q1', answer_q1: 'Inhaler' }, SERGEANT)).toMatchObject({
      ok: true,
      envelope: { action: { kind: 'answer_info', questionId: 'q1', answer: 'Inhaler' } },
    });
    expect(
      parse('confirm_transfer', { left_date: '2013-07-01', left_time: '23:05' }, SERGEANT),
    ).toMatchObject({
      ok: true,
      envelope: { action: { kind: 'confirm_transfer', leftCustodyAt: '2013-07-01T23:05:00+01:00' } },
    });
    expect(
      parse(
        'record_stay',
        { stay_reason: 'impracticable_extreme_weather', stay_explanation: 'Roads closed by snow' },
        SERGEANT,
      ),
    ).toMatchObject({ ok: true });
    expect(parse('cancel', { cancel_reason: 'bailed' }, SERGEANT)).toMatchObject({ ok: true });
  });

  // Every input of every action, at least one bad value each: the problem names the field.
  const cases: Array<[ActionVerb, Record<string, unknown>, RegExp]> = [
    [
      'offer_bed',
      { offer_accommodation: 'palace', offer_provider: 'Oak House', offer_transport: 'la_collects' },
      /^Accommodation: Choose secure or non-secure/,
    ],
    [
      'offer_bed',
      { offer_accommodation: 'secure', offer_provider: 'O', offer_transport: 'la_collects' },
      /^Provider or placement: Name the provider/,
    ],
    [
      'offer_bed',
      { offer_accommodation: 'secure', offer_provider: 'Oak House', offer_transport: 'teleport' },
      /^Transport: Choose the transport/,
    ],
    [
      'offer_bed',
      {
        offer_accommodation: 'secure',
        offer_provider: 'Oak House',
        offer_transport: 'other',
        offer_notes: 'n'.repeat(1001),
      },
      /^Notes: /,
    ],
    ['decline', {}, /^Reason for declining: Choose a reason/],
    ['decline', { decline_reason: 'other', decline_notes: 'no' }, /^Notes: Explain the reason/],
    ['request_info', { info_question: 'Why' }, /^Question: Write the question/],
    ['answer_info', { questionId: 'q1', answer_q1: '  ' }, /^Answer: Write the answer/],
    ['answer_info', { answer_q1: 'Inhaler' }, /^Question: /],
    [
      'confirm_transfer',
      { left_date: '', left_time: '23:05' },
      /^When the child left custody: Give the date/,
    ],
    [
      'confirm_transfer',
      { left_date: '2013-07-01', left_time: '' },
      /^When the child left custody: Give the time/,
    ],
    ['confirm_transfer', { left_date: '01/07/2013', left_time: '23:05' }, /must look like 2013-02-18/],
    [
      'record_stay',
      { stay_reason: 'felt_like_it', stay_explanation: 'long enough text' },
      /^Reason the child stays: Choose a reason/,
    ],
    [
      'record_stay',
      { stay_reason: 'impracticable_other', stay_explanation: 'short' },
      /^Circumstances: Explain the circumstances/,
    ],
    ['cancel', { cancel_reason: 'bored' }, /^Reason for cancelling: Choose a reason/],
    ['cancel', { cancel_reason: 'bailed', cancel_notes: 'x'.repeat(1001) }, /^Notes: /],
  ];

  it.each(cases)('%s with %j → refused, naming the field', (verb, data, message) => {
    const r = parse(verb, data, SERGEANT);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.join('\n')).toMatch(message);
  });

  it('refuses a card that names no request', () => {
    expect(parseCardAction('acknowledge', { audience: 'responder' }, ctx)).toMatchObject({
      ok: false,
      ref: null,
    });
    expect(parseCardAction('acknowledge', 'nonsense', ctx)).toMatchObject({ ok: false, ref: null });
    expect(parseCardAction('acknowledge', { workflowId: 'x', audience: 'admin-panel' }, ctx)).toMatchObject({
      ok: false,
      ref: null,
    });
  });
});
