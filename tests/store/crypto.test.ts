import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  childPseudonyms,
  decryptField,
  deriveCaseRef,
  encryptField,
  normaliseName,
  normalisePnc,
} from '../../store/crypto.js';

const key = randomBytes(32);

describe('normaliseName', () => {
  it.each([
    ['Zoë', 'zoe'],
    ['ZOE', 'zoe'],
    ['  Zoe  ', 'zoe'],
    ['O’Brien-Smith', 'obriensmith'],
    ["o'brien smith", 'obriensmith'],
    ['O BRIEN  SMITH', 'obriensmith'],
    ['Zoe\u0308', 'zoe'],
    ['Ségolène', 'segolene'],
    ['Łukasz', 'lukasz'],
    ['Søren', 'soren'],
    ['Weiß', 'weiss'],
    ['Æthelred', 'aethelred'],
    ['Иван', 'иван'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseName(input)).toBe(expected);
  });
});

describe('normalisePnc', () => {
  it.each([
    ['13/123456A', '13/123456A'],
    ['13/0123456a', '13/123456A'],
    [' 2013/0123456A ', '13/123456A'],
    ['13 / 123456A', '13/123456A'],
  ])('%s → %s', (input, expected) => {
    expect(normalisePnc(input)).toBe(expected);
  });
});

describe('childPseudonyms', () => {
  it('gives a PNC pseudonym and a name+DOB pseudonym, PNC first', () => {
    const ps = childPseudonyms(
      { pncId: '13/123456A', givenName: 'Zoë', familyName: 'Smith', dateOfBirth: '1997-11-03' },
      key,
    );
    expect(ps.map((p) => p.kind)).toEqual(['pnc', 'nd']);
    for (const p of ps) expect(p.pseudonym).toMatch(/^[0-9a-f]{64}$/);
  });

  it('agrees across spellings of the same child, and not across children', () => {
    const a = childPseudonyms(
      { givenName: 'Zoë', familyName: 'O’Brien-Smith', dateOfBirth: '1997-11-03' },
      key,
    );
    const b = childPseudonyms(
      { givenName: 'ZOE', familyName: "o'brien smith", dateOfBirth: '1997-11-03' },
      key,
    );
    const otherDob = childPseudonyms(
      { givenName: 'Zoe', familyName: 'OBrien Smith', dateOfBirth: '1997-11-04' },
      key,
    );
    const swapped = childPseudonyms(
      { givenName: 'Smith', familyName: 'Zoe OBrien', dateOfBirth: '1997-11-03' },
      key,
    );
    expect(a).toEqual(b);
    expect(otherDob[0]?.pseudonym).not.toBe(a[0]?.pseudonym);
    expect(swapped[0]?.pseudonym).not.toBe(a[0]?.pseudonym);
    expect(childPseudonyms({ pncId: '2013/0123456a' }, key)).toEqual(
      childPseudonyms({ pncId: '13/123456A' }, key),
    );
  });

  it('depends on the key', () => {
    const id = { pncId: '13/123456A' };
    expect(childPseudonyms(id, key)).not.toEqual(childPseudonyms(id, randomBytes(32)));
  });

  it('yields nothing from an incomplete identity', () => {
    expect(childPseudonyms({ givenName: 'Zoe', familyName: 'Smith' }, key)).toEqual([]);
  });
});

describe('deriveCaseRef', () => {
  it('is CN- plus 6 Crockford base32 characters, stable and key-dependent', () => {
    const ref = deriveCaseRef('bed-request:NORTHAMPTON:CR-1', key);
    expect(ref).toMatch(/^CN-[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(deriveCaseRef('bed-request:NORTHAMPTON:CR-1', key)).toBe(ref);
    expect(deriveCaseRef('bed-request:NORTHAMPTON:CR-2', key)).not.toBe(ref);
    expect(deriveCaseRef('bed-request:NORTHAMPTON:CR-1', randomBytes(32))).not.toBe(ref);
    expect(deriveCaseRef('bed-request:NORTHAMPTON:CR-1', key, 8).startsWith(ref)).toBe(true);
  });

  it('spreads over the alphabet (few collisions in 10,000)', () => {
    const refs = new Set(Array.from({ length: 10_000 }, (_, i) => deriveCaseRef(`w-${i}`, key)));
    expect(refs.size).toBeGreaterThan(9_990);
  });
});

describe('encryptField / decryptField', () => {
  it('round-trips, with a fresh IV each time, in the v1 format', () => {
    const a = encryptField('Zoë', key, 'ctx');
    const b = encryptField('Zoë', key, 'ctx');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]+$/);
    expect(decryptField(a, key, 'ctx')).toBe('Zoë');
  });

  it('fails on the wrong key, the wrong context, a tampered value or an unknown format', () => {
    const sealed = encryptField('secret', key, 'ctx');
    expect(() => decryptField(sealed, randomBytes(32), 'ctx')).toThrow(/did not authenticate/);
    expect(() => decryptField(sealed, key, 'other')).toThrow(/did not authenticate/);
    const parts = sealed.split(':');
    const ct = Buffer.from(parts[3] ?? '', 'base64');
    ct[0] = (ct[0] ?? 0) ^ 1;
    expect(() =>
      decryptField([parts[0], parts[1], parts[2], ct.toString('base64')].join(':'), key, 'ctx'),
    ).toThrow(/did not authenticate/);
    expect(() => decryptField('v2:a:b:c', key, 'ctx')).toThrow(/v1 format/);
  });
});
