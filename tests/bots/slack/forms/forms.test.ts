import { describe, expect, it } from 'vitest';
import { parseActionSubmission, type ModalActionKind } from '../../../../bots/slack/forms/action-forms.js';
import { parseBedRequestSubmission } from '../../../../bots/slack/forms/bed-request-form.js';
import { toLocalIso } from '../../../../bots/slack/forms/datetime.js';
import { el, stateValues, type ElementState } from '../../../fakes/slack/payloads.js';
import { requestForm } from '../support/harness.js';
import { testProtocol } from '../support/protocol.js';

const actor = { platform: 'slack' as const, userId: 'U0SERGEANT' };

describe('datetime', () => {
  it('turns the picker’s Unix seconds into Europe/London ISO with the right offset, GMT and BST', () => {
    expect(toLocalIso(Date.UTC(2013, 1, 18, 21, 40) / 1000, 'Europe/London')).toBe(
      '2013-02-18T21:40:00+00:00',
    );
    expect(toLocalIso(Date.UTC(2024, 6, 1, 21, 40) / 1000, 'Europe/London')).toBe(
      '2024-07-01T22:40:00+01:00',
    );
    // The night the clocks go back: 01:30 happens twice; each instant keeps its own offset.
    expect(toLocalIso(Date.UTC(2024, 9, 27, 0, 30) / 1000, 'Europe/London')).toBe(
      '2024-10-27T01:30:00+01:00',
    );
    expect(toLocalIso(Date.UTC(2024, 9, 27, 1, 30) / 1000, 'Europe/London')).toBe(
      '2024-10-27T01:30:00+00:00',
    );
    expect(toLocalIso(undefined, 'Europe/London')).toBeUndefined();
  });
});

describe('request form parsing', () => {
  const protocol = testProtocol();
  it('parses a good form into the domain input', () => {
    const r = parseBedRequestSubmission(
      stateValues(requestForm()),
      actor,
      protocol,
      new Date().toISOString(),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      custodySuiteId: 'northampton-cjc',
      age: 15,
      accommodation: 'non_secure',
      child: { pncId: '13/123456A' },
    });
  });

  it('accepts name and date of birth without a PNC ID', () => {
    const charged = Math.floor(Date.UTC(2024, 1, 18, 21, 40) / 1000);
    const r = parseBedRequestSubmission(
      stateValues(
        requestForm({
          'child.pncId': el.text(null),
          'child.dateOfBirth': el.date('2009-01-01'),
          chargedAt: el.dateTime(charged),
          nextCourtSitting: el.dateTime(charged + 43200),
        }),
      ),
      actor,
      protocol,
      '2024-02-19T00:00:00Z',
    );
    expect(r.ok).toBe(true);
  });

  it('never throws on junk state', () => {
    const r = parseBedRequestSubmission(
      { x: { y: { type: 'weird' } } },
      actor,
      protocol,
      new Date().toISOString(),
    );
    expect(r.ok).toBe(false);
  });
});

describe('action modal parsing', () => {
  const cases: Array<[ModalActionKind, Record<string, ElementState>, string, RegExp]> = [
    [
      'offer_bed',
      { accommodation: el.radio(null), provider: el.text('Oak House'), transport: el.select('la_collects') },
      'accommodation',
      /type of accommodation/,
    ],
    [
      'offer_bed',
      {
        accommodation: el.radio('luxury'),
        provider: el.text('Oak House'),
        transport: el.select('la_collects'),
      },
      'accommodation',
      /Invalid enum/,
    ],
    [
      'offer_bed',
      { accommodation: el.radio('non_secure'), provider: el.text('x'), transport: el.select('la_collects') },
      'provider',
      /provider or placement/,
    ],
    [
      'offer_bed',
      { accommodation: el.radio('non_secure'), provider: el.text('Oak House'), transport: el.select(null) },
      'transport',
      /transport/,
    ],
    [
      'offer_bed',
      {
        accommodation: el.radio('non_secure'),
        provider: el.text('Oak House'),
        transport: el.select('la_collects'),
        notes: el.text('x'.repeat(1001)),
      },
      'notes',
      /1000/,
    ],
    ['decline', { reason: el.select(null) }, 'reason', /Choose a reason/],
    ['decline', { reason: el.select('other'), notes: el.text('hm') }, 'notes', /Explain the reason/],
    ['request_info', { question: el.text('why') }, 'question', /at least 5/],
    ['request_info', { question: el.text(null) }, 'question', /at least 5/],
    ['answer_info', { answer: el.text('  ') }, 'answer', /Write the answer/],
    ['confirm_transfer', { leftCustodyAt: el.dateTime(null) }, 'leftCustodyAt', /left custody/],
    [
      'record_stay',
      { reason: el.select(null), explanation: el.text('Long enough explanation') },
      'reason',
      /Choose a reason/,
    ],
    [
      'record_stay',
      { reason: el.select('impracticable_other'), explanation: el.text('short') },
      'explanation',
      /at least 10/,
    ],
    [
      'record_stay',
      { reason: el.select('child_behaviour'), explanation: el.text('Long enough explanation') },
      'reason',
      /Note 16D/,
    ],
    [
      'record_stay',
      { reason: el.select('nature_of_offence'), explanation: el.text('Long enough explanation') },
      'reason',
      /Note 16D/,
    ],
    ['cancel', { reason: el.select(null) }, 'reason', /Choose a reason/],
    ['cancel', { reason: el.select('bored') }, 'reason', /Invalid enum/],
  ];

  it.each(cases)('%s: refuses bad input on its field (%s)', (kind, fields, field, message) => {
    const r = parseActionSubmission(kind, stateValues(fields), { workflowId: 'w', questionId: 'q1' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[field]).toMatch(message);
  });

  it('tells the sergeant when the question is gone, on the answer field', () => {
    const r = parseActionSubmission('answer_info', stateValues({ answer: el.text('Salbutamol') }), {
      workflowId: 'w',
    });
    expect(r).toMatchObject({
      ok: false,
      errors: { answer: expect.stringMatching(/no longer open/) as unknown },
    });
  });

  it('parses good submissions into domain actions', () => {
    expect(
      parseActionSubmission(
        'offer_bed',
        stateValues({
          accommodation: el.radio('non_secure'),
          provider: el.text('Oak House'),
          transport: el.select('la_collects'),
        }),
        {},
      ),
    ).toEqual({
      ok: true,
      value: {
        kind: 'offer_bed',
        accommodation: 'non_secure',
        provider: 'Oak House',
        transport: 'la_collects',
        notes: '',
      },
    });
    expect(
      parseActionSubmission('answer_info', stateValues({ answer: el.text('Salbutamol') }), {
        questionId: 'q1',
      }),
    ).toEqual({
      ok: true,
      value: { kind: 'answer_info', questionId: 'q1', answer: 'Salbutamol' },
    });
    const left = parseActionSubmission(
      'confirm_transfer',
      stateValues({ leftCustodyAt: el.dateTime(Date.UTC(2024, 6, 1, 21, 0) / 1000) }),
      {},
    );
    expect(left).toEqual({
      ok: true,
      value: { kind: 'confirm_transfer', leftCustodyAt: '2024-07-01T22:00:00+01:00' },
    });
  });

  it('refuses an amended court sitting already passed, or not after the charge, on its field; a later one parses', () => {
    const meta = { workflowId: 'w', chargedAt: '2026-01-06T18:50:00Z' };
    const now = '2026-01-06T19:00:00Z';
    const amend = (utcSeconds: number) =>
      parseActionSubmission(
        'amend_court_sitting',
        stateValues({ nextCourtSitting: el.dateTime(utcSeconds), reason: el.text('Relisted') }),
        meta,
        'Europe/London',
        now,
      );
    const at = (iso: string) => Date.parse(iso) / 1000;
    expect(amend(at('2026-01-06T18:55:00Z'))).toEqual({
      ok: false,
      errors: {
        nextCourtSitting: expect.stringMatching(
          /^That court sitting \(6 Jan 2026 18:55\) has already passed/,
        ) as unknown,
      },
    });
    expect(amend(at('2026-01-06T18:00:00Z'))).toEqual({
      ok: false,
      errors: { nextCourtSitting: 'The next court sitting must be after the time of charge' },
    });
    expect(amend(at('2026-01-07T14:00:00Z'))).toEqual({
      ok: true,
      value: {
        kind: 'amend_court_sitting',
        nextCourtSitting: '2026-01-07T14:00:00+00:00',
        reason: 'Relisted',
      },
    });
  });
});
