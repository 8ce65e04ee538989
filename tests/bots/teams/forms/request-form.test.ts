import { describe, expect, it } from 'vitest';
import { parseRequestForm } from '../../../../bots/teams/forms/request-form.js';
import { validForm } from '../support/teams-activities.js';
import { SERGEANT } from '../support/views.js';
import { teamsProtocol } from '../support/teams-protocol.js';

const protocol = teamsProtocol();
const parse = (over: Record<string, string>, nowIso = new Date().toISOString()) =>
  parseRequestForm(validForm({ custodyRecordNumber: 'NC-2013-0218', ...over }), {
    actor: SERGEANT,
    protocol,
    nowIso,
  });

describe('the Teams form submission, validated by bedRequestInputSchema', () => {
  it('accepts a valid form and turns the pickers into instants in Europe/London', () => {
    const r = parseRequestForm(
      validForm({
        custodyRecordNumber: 'nc-2013-0218',
        chargedDate: '2013-07-01',
        chargedTime: '21:40',
        courtDate: '2013-07-02',
      }),
      { actor: SERGEANT, protocol, nowIso: '2013-07-01T22:00:00+01:00' },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.input.custodyRecordNumber).toBe('NC-2013-0218');
    expect(r.input.chargedAt).toBe('2013-07-01T21:40:00+01:00');
    expect(r.input.age).toBe(15);
    expect(r.input.requestingOfficer).toEqual(SERGEANT);
    expect(r.input.child).toEqual({ pncId: '13/123456A' });
  });

  // Every field, at least one bad value each: the error lands on that field, in words.
  const cases: Array<[string, Record<string, string>, string, RegExp]> = [
    ['custody record missing', { custodyRecordNumber: '' }, 'custodyRecordNumber', /4 to 30 letters/],
    ['custody record malformed', { custodyRecordNumber: 'NC 12!' }, 'custodyRecordNumber', /4 to 30 letters/],
    ['custody suite missing', { custodySuiteId: '' }, 'custodySuiteId', /Choose the custody suite/],
    ['custody suite unknown', { custodySuiteId: 'atlantis' }, 'custodySuiteId', /not in the protocol file/],
    ['PNC ID malformed', { pncId: 'ABC123' }, 'child.pncId', /PNC ID must look like 13\/123456A/],
    ['no PNC ID and no name', { pncId: '' }, 'child.pncId', /Give the PNC ID, or the given name/],
    [
      'name without date of birth',
      { pncId: '', givenName: 'Jo', familyName: 'Bloggs' },
      'child.pncId',
      /date of birth/,
    ],
    ['given name too long', { givenName: 'x'.repeat(101) }, 'child.givenName', /at most 100/],
    ['family name too long', { familyName: 'y'.repeat(101) }, 'child.familyName', /at most 100/],
    ['date of birth not real', { dateOfBirth: '2000-02-30' }, 'child.dateOfBirth', /not a real date/],
    ['age missing', { age: '' }, 'age', /Give the child’s age/],
    ['age under 10', { age: '9' }, 'age', /under 10 cannot be charged/],
    ['age 18', { age: '18' }, 'age', /18 or over/],
    ['age not whole', { age: '15.5' }, 'age', /whole number/],
    ['age not a number', { age: 'fifteen' }, 'age', /whole number/],
    [
      'home LA missing',
      { homeLocalAuthorityId: '' },
      'homeLocalAuthorityId',
      /Choose the child’s home local authority/,
    ],
    [
      'home LA unknown',
      { homeLocalAuthorityId: 'atlantis' },
      'homeLocalAuthorityId',
      /not in the protocol file/,
    ],
    ['charge date missing', { chargedDate: '' }, 'chargedAt', /Give the date of charge/],
    ['charge time missing', { chargedTime: '' }, 'chargedAt', /Give the time of charge/],
    ['charge time malformed', { chargedTime: 'late' }, 'chargedAt', /must look like 21:40/],
    [
      'charge time skipped by DST',
      { chargedDate: '2026-03-29', chargedTime: '01:30' },
      'chargedAt',
      /clocks went forward/,
    ],
    ['bail ground missing', { bailRefusalGround: '' }, 'bailRefusalGround', /Choose the ground/],
    ['bail ground unknown', { bailRefusalGround: 'because' }, 'bailRefusalGround', /Choose the ground/],
    ['court date missing', { courtDate: '' }, 'nextCourtSitting', /Give the date of the next court sitting/],
    [
      'court before charge',
      { chargedDate: '2013-02-19', courtDate: '2013-02-18' },
      'nextCourtSitting',
      /after the time of charge/,
    ],
    ['accommodation unknown', { accommodation: 'luxury' }, 'accommodation', /Choose secure or non-secure/],
    [
      'secure under 12',
      { accommodation: 'secure', age: '11', seriousHarmJustification: 'x'.repeat(30) },
      'accommodation',
      /12 or over/,
    ],
    ['secure without justification', { accommodation: 'secure' }, 'seriousHarmJustification', /serious harm/],
    [
      'needs and risks too long',
      { needsAndRisks: 'z'.repeat(2001) },
      'needsAndRisks',
      /under 2000 characters/,
    ],
  ];

  it.each(cases)('%s → an error on %s', (_name, over, path, message) => {
    const r = parse(over);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[path]).toMatch(message);
  });

  it('checks the date of birth against the age at charge', () => {
    const r = parse(
      { dateOfBirth: '2000-01-01', chargedDate: '2013-02-18', courtDate: '2013-02-19' },
      '2013-02-18T22:00:00Z',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.age).toMatch(/makes the child 13 at charge, not 15/);
  });

  // Issue 11, item 6: against the desk's clock, in the force's zone (domain/intake.ts).
  const night = {
    chargedDate: '2013-02-18',
    chargedTime: '21:40',
    courtDate: '2013-02-19',
    courtTime: '10:00',
  };
  it.each([
    [
      'a charge two hours in the future',
      { ...night, chargedTime: '23:40' },
      '2013-02-18T21:40:00Z',
      'chargedAt',
      /in the future/,
    ],
    ['a court sitting already passed', night, '2013-02-19T11:00:00Z', 'nextCourtSitting', /already passed/],
    [
      'a date of birth in the future',
      { ...night, dateOfBirth: '2013-03-01' },
      '2013-02-18T22:00:00Z',
      'child.dateOfBirth',
      /in the future/,
    ],
    [
      'a date of birth giving age 8',
      { ...night, dateOfBirth: '2005-01-01' },
      '2013-02-18T22:00:00Z',
      'child.dateOfBirth',
      /makes the child 8 at charge/,
    ],
  ])('refuses %s on its field', (_name, over, now, path, message) => {
    const r = parse(over, now);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[path]).toMatch(message);
  });

  it('counts the age in the force’s zone: 00:30 BST on the 15th birthday is 15, not 14 (UTC)', () => {
    const r = parse(
      {
        dateOfBirth: '1998-07-02',
        age: '15',
        chargedDate: '2013-07-02',
        chargedTime: '00:30',
        courtDate: '2013-07-02',
      },
      '2013-07-02T00:00:00Z',
    );
    expect(r.ok).toBe(true);
  });

  it('keeps what was typed and ignores keys the form does not have', () => {
    const r = parseRequestForm(
      { ...validForm({ age: '9' }), evil: { nested: true }, verb: 'x' },
      { actor: SERGEANT, protocol, nowIso: new Date().toISOString() },
    );
    expect(r.ok).toBe(false);
    expect(r.values.age).toBe('9');
    expect(r.values).not.toHaveProperty('evil');
  });

  it('treats a payload that is not an object as an empty form', () => {
    const r = parseRequestForm('<script>', { actor: SERGEANT, protocol, nowIso: new Date().toISOString() });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(Object.keys(r.errors)).toEqual(
        expect.arrayContaining(['custodyRecordNumber', 'age', 'chargedAt']),
      );
  });
});
