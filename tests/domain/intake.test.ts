import { describe, expect, it } from 'vitest';
import { ageAt, intakeProblems } from '../../domain/intake.js';

const ZONE = 'Europe/London';
const night = { chargedAt: '2013-02-18T21:40:00Z', nextCourtSitting: '2013-02-19T10:00:00Z', age: 15 };

describe('intakeProblems (issue 11, item 6)', () => {
  it('passes a good night', () => {
    expect(intakeProblems(night, '2013-02-18T22:00:00Z', ZONE)).toEqual({});
  });

  it('allows a charge up to 5 minutes ahead of the clock, and refuses one two hours ahead', () => {
    expect(intakeProblems(night, '2013-02-18T21:36:00Z', ZONE)).toEqual({});
    const p = intakeProblems(night, '2013-02-18T19:40:00Z', ZONE);
    expect(p.chargedAt).toMatch(/18 Feb 2013 21:40\) is in the future/);
  });

  it('refuses a court sitting that has passed, and one before the charge', () => {
    expect(intakeProblems(night, '2013-02-19T10:00:00Z', ZONE).nextCourtSitting).toMatch(/already passed/);
    const before = { ...night, nextCourtSitting: '2013-02-18T20:00:00Z' };
    expect(intakeProblems(before, '2013-02-18T22:00:00Z', ZONE).nextCourtSitting).toMatch(
      /after the time of charge/,
    );
  });

  it('refuses a date of birth in the future, or one giving an age outside 10 to 17', () => {
    const now = '2013-02-18T22:00:00Z';
    expect(intakeProblems({ ...night, child: { dateOfBirth: '2013-02-19' } }, now, ZONE)).toEqual({
      'child.dateOfBirth': 'The date of birth is in the future: check it',
    });
    expect(
      intakeProblems({ ...night, child: { dateOfBirth: '2004-01-01' } }, now, ZONE)['child.dateOfBirth'],
    ).toMatch(/makes the child 9 at charge/);
    expect(
      intakeProblems({ ...night, child: { dateOfBirth: '1995-02-18' } }, now, ZONE)['child.dateOfBirth'],
    ).toMatch(/makes the child 18 at charge/);
    expect(intakeProblems({ ...night, child: { dateOfBirth: '1998-02-19' } }, now, ZONE)).toEqual({
      age: 'The date of birth makes the child 14 at charge, not 15',
    });
  });

  it('counts the age in the force’s zone, not UTC, near midnight in summer', () => {
    // 00:30 BST on 2 July 2013 is 23:30 UTC on 1 July: the child's 15th birthday, in London.
    expect(ageAt('1998-07-02', '2013-07-01T23:30:00Z', ZONE)).toBe(15);
    expect(ageAt('1998-07-02', '2013-07-01T23:30:00Z', 'UTC')).toBe(14);
    const summer = { chargedAt: '2013-07-01T23:30:00Z', nextCourtSitting: '2013-07-02T09:00:00Z', age: 15 };
    expect(
      intakeProblems({ ...summer, child: { dateOfBirth: '1998-07-02' } }, '2013-07-02T00:00:00Z', ZONE),
    ).toEqual({});
  });

  it('skips what it cannot read, so the schema’s own message stands', () => {
    expect(
      intakeProblems(
        { chargedAt: 'soon', age: 'x', child: { dateOfBirth: 'never' } },
        '2013-02-18T22:00:00Z',
        ZONE,
      ),
    ).toEqual({});
  });
});
