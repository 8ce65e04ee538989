import { describe, expect, it } from 'vitest';
import { bedRequestInputSchema } from '../../domain/bed-request.js';
import {
  ETHNICITY_CODES,
  ETHNIC_GROUPS,
  SEX_CODES,
  ethnicGroupOf,
  ethnicityCodeSchema,
  sexCodeSchema,
  sexGroupOf,
} from '../../domain/demographics.js';
import { demographicFigures } from '../../domain/digest/disproportionality.js';

/** A valid request, as the forms submit it (docs/demographics.md for the two optional codes). */
const form = (over: Record<string, unknown> = {}) => ({
  custodyRecordNumber: 'NC-2026-0001',
  custodySuiteId: 'northampton-cjc',
  child: { pncId: '13/123456A' },
  age: 15,
  homeLocalAuthorityId: 'west-northamptonshire',
  chargedAt: '2026-02-18T21:40:00Z',
  bailRefusalGround: 'commit_offence',
  nextCourtSitting: '2026-02-19T10:00:00Z',
  accommodation: 'non_secure',
  needsAndRisks: '',
  requestingOfficer: { platform: 'slack', userId: 'U1', displayName: 'Sgt A' },
  ...over,
});

describe('the 18+1 self-defined ethnicity codes', () => {
  it('are the 18 census categories and NS, exactly (Arab is O2; O1 is not a code)', () => {
    expect(ETHNICITY_CODES).toEqual([
      'W1', 'W2', 'W3', 'W9', 'M1', 'M2', 'M3', 'M9', 'A1', 'A2', 'A3', 'A4', 'A9',
      'B1', 'B2', 'B9', 'O2', 'O9', 'NS',
    ]); // prettier-ignore
    expect(ETHNICITY_CODES).toHaveLength(19);
  });

  it('group by their letter into the five top-level groups; NS is not stated; none is not recorded', () => {
    const byHand: Record<string, string> = {
      W1: 'white', W2: 'white', W3: 'white', W9: 'white',
      M1: 'mixed', M2: 'mixed', M3: 'mixed', M9: 'mixed',
      A1: 'asian', A2: 'asian', A3: 'asian', A4: 'asian', A9: 'asian',
      B1: 'black', B2: 'black', B9: 'black',
      O2: 'other', O9: 'other',
      NS: 'not_stated',
    }; // prettier-ignore
    for (const code of ETHNICITY_CODES) expect(ethnicGroupOf(code), code).toBe(byHand[code]);
    expect(ethnicGroupOf(undefined)).toBe('not_recorded');
    expect(ethnicGroupOf(null)).toBe('not_recorded');
    expect(ETHNIC_GROUPS).toEqual([
      'white',
      'mixed',
      'asian',
      'black',
      'other',
      'not_stated',
      'not_recorded',
    ]);
  });

  it('sex is the CJS gender type code: 1 male, 2 female, 0 and 9 not stated, none not recorded', () => {
    expect(SEX_CODES).toEqual(['1', '2', '9', '0']);
    expect(['1', '2', '9', '0', undefined].map((c) => sexGroupOf(c as never))).toEqual([
      'male',
      'female',
      'not_stated',
      'not_stated',
      'not_recorded',
    ]);
  });
});

describe('the intake schema takes the codes, optionally, and refuses anything else on its field', () => {
  it('accepts a request with neither, and one with both (a lower-case code read as upper case)', () => {
    const none = bedRequestInputSchema.parse(form());
    expect(none.ethnicity).toBeUndefined();
    expect(none.sex).toBeUndefined();
    const both = bedRequestInputSchema.parse(form({ ethnicity: 'w3', sex: '2' }));
    expect([both.ethnicity, both.sex]).toEqual(['W3', '2']);
    // An empty choice is "not recorded", not an error.
    const blank = bedRequestInputSchema.parse(form({ ethnicity: '', sex: '' }));
    expect([blank.ethnicity, blank.sex]).toEqual([undefined, undefined]);
    // What the workflow parses again on its side gives the same.
    expect(bedRequestInputSchema.parse(both)).toEqual(both);
  });

  it('an unknown code is an issue on its own field, naming it', () => {
    const r = bedRequestInputSchema.safeParse(form({ ethnicity: 'X7', sex: 'M' }));
    expect(r.success).toBe(false);
    const issues = r.success ? [] : r.error.issues;
    const on = (f: string) => issues.filter((i) => i.path.join('.') === f).map((i) => i.message);
    expect(on('ethnicity')).toEqual([
      expect.stringMatching(/^Self-defined ethnicity must be one of the 18\+1 codes/),
    ]);
    expect(on('sex')).toEqual([expect.stringMatching(/^Sex must be one of the listed codes/)]);
    expect(issues.map((i) => i.path.join('.')).sort()).toEqual(['ethnicity', 'sex']);
  });

  it('O1, the old 16+1 code for Chinese, is refused with the codes to use instead', () => {
    const r = ethnicityCodeSchema.safeParse('O1');
    expect(r.success).toBe(false);
    expect(r.success ? '' : r.error.issues[0]?.message).toMatch(/old 16\+1 code for Chinese.*A4.*O2/);
  });

  it('no prototype name passes as a code', () => {
    for (const s of ['toString', 'constructor', '__proto__', 'hasOwnProperty'])
      expect(sexCodeSchema.safeParse(s).success, s).toBe(false);
    expect(ethnicityCodeSchema.safeParse('CONSTRUCTOR').success).toBe(false);
  });
});

describe('demographicFigures groups the store’s counts by code, by hand', () => {
  it('adds codes into their groups, lists every group, and sends an unknown code to not recorded', () => {
    const f = demographicFigures([
      { ethnicity: 'W1', sex: '1', requests: 3, transferred: 1, detained: 2, overnight: 2 },
      { ethnicity: 'W9', sex: '2', requests: 2, transferred: 2, detained: 0, overnight: 0 },
      { ethnicity: 'B2', sex: '1', requests: 4, transferred: 1, detained: 3, overnight: 1 },
      { ethnicity: 'NS', sex: '9', requests: 1, transferred: 0, detained: 1, overnight: 1 },
      { ethnicity: null, sex: '0', requests: 5, transferred: 3, detained: 1, overnight: 2 },
      { ethnicity: 'ZZ', sex: null, requests: 1, transferred: 0, detained: 0, overnight: 0 },
    ]);
    expect(f.ethnicGroup).toEqual([
      { key: 'white', requests: 5, transferred: 3, detained: 2, overnight: 2 },
      { key: 'mixed', requests: 0, transferred: 0, detained: 0, overnight: 0 },
      { key: 'asian', requests: 0, transferred: 0, detained: 0, overnight: 0 },
      { key: 'black', requests: 4, transferred: 1, detained: 3, overnight: 1 },
      { key: 'other', requests: 0, transferred: 0, detained: 0, overnight: 0 },
      { key: 'not_stated', requests: 1, transferred: 0, detained: 1, overnight: 1 },
      { key: 'not_recorded', requests: 6, transferred: 3, detained: 1, overnight: 2 },
    ]);
    expect(f.sex).toEqual([
      { key: 'male', requests: 7, transferred: 2, detained: 5, overnight: 3 },
      { key: 'female', requests: 2, transferred: 2, detained: 0, overnight: 0 },
      { key: 'not_stated', requests: 6, transferred: 3, detained: 2, overnight: 3 },
      { key: 'not_recorded', requests: 1, transferred: 0, detained: 0, overnight: 0 },
    ]);
  });
});
