import { describe, expect, it } from 'vitest';
import {
  formatLocal,
  isOvernight,
  isWeekend,
  nextLocalMidnight,
  nextLocalMidnightMs,
} from '../../domain/time-windows.js';

const LONDON = 'Europe/London';

describe('nextLocalMidnight (Europe/London)', () => {
  it.each([
    // Winter: local = UTC
    ['2013-02-18T21:00:00Z', '2013-02-19T00:00:00.000Z'],
    // Exactly midnight: the next one, a day later
    ['2013-02-19T00:00:00Z', '2013-02-20T00:00:00.000Z'],
    // Summer: local = UTC+1, so midnight is 23:00Z
    ['2026-07-01T12:00:00Z', '2026-07-01T23:00:00.000Z'],
    ['2026-07-01T23:30:00Z', '2026-07-02T23:00:00.000Z'],
    // Spring forward, Sunday 29 March 2026 (01:00 GMT -> 02:00 BST)
    ['2026-03-28T22:00:00Z', '2026-03-29T00:00:00.000Z'], // Sat 22:00 GMT -> Sun 00:00 GMT
    ['2026-03-29T12:00:00Z', '2026-03-29T23:00:00.000Z'], // Sun 13:00 BST -> Mon 00:00 BST
    // Fall back, Sunday 25 October 2026 (02:00 BST -> 01:00 GMT)
    ['2026-10-24T20:00:00Z', '2026-10-24T23:00:00.000Z'], // Sat 21:00 BST -> Sun 00:00 BST
    ['2026-10-25T12:00:00Z', '2026-10-26T00:00:00.000Z'], // Sun 12:00 GMT -> Mon 00:00 GMT
    // An offset input is read as an instant
    ['2026-10-24T23:30:00+01:00', '2026-10-24T23:00:00.000Z'],
  ])('after %s is %s', (now, expected) => {
    expect(nextLocalMidnight(now, LONDON)).toBe(expected);
    expect(nextLocalMidnightMs(Date.parse(now), LONDON)).toBe(Date.parse(expected));
  });

  it('works in another zone', () => {
    expect(nextLocalMidnight('2026-03-08T12:00:00Z', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
  });
});

describe('isOvernight: 4+ consecutive hours between 00:00 and 08:00 local', () => {
  it.each([
    ['charged 21:00, court 10:00 next day', '2013-02-18T21:00:00Z', '2013-02-19T10:00:00Z', true],
    ['exactly 4h from 00:00', '2013-02-19T00:00:00Z', '2013-02-19T04:00:00Z', true],
    ['3h59m from 00:00', '2013-02-19T00:00:00Z', '2013-02-19T03:59:00Z', false],
    ['04:00 to 08:00', '2013-02-19T04:00:00Z', '2013-02-19T08:00:00Z', true],
    ['05:00 to 12:00 is only 3h in the window', '2013-02-19T05:00:00Z', '2013-02-19T12:00:00Z', false],
    ['evening only', '2013-02-18T17:00:00Z', '2013-02-18T23:59:00Z', false],
    ['summer: 23:00Z is 00:00 BST; 4h to 03:00Z', '2026-07-01T23:00:00Z', '2026-07-02T03:00:00Z', true],
    ['summer: 00:00Z-03:30Z is 01:00-04:30 BST, 3.5h', '2026-07-02T00:00:00Z', '2026-07-02T03:30:00Z', false],
    ['ends before it starts', '2013-02-19T04:00:00Z', '2013-02-19T00:00:00Z', false],
    ['two nights, 3h each, not 4 consecutive', '2013-02-19T05:00:00Z', '2013-02-20T03:00:00Z', false],
  ])('%s', (_label, start, end, expected) => {
    expect(isOvernight(start, end, LONDON)).toBe(expected);
  });

  describe('across the clock changes (real elapsed time counts)', () => {
    it('spring forward, 29 March 2026: the night is 7 real hours', () => {
      // Sat 23:00 GMT to 05:30 BST = 4.5 real hours inside 00:00-08:00
      expect(isOvernight('2026-03-28T23:00:00Z', '2026-03-29T04:30:00Z', LONDON)).toBe(true);
      // 00:00 GMT to 04:30 BST looks like 4.5h on the wall but is 3.5h
      expect(isOvernight('2026-03-29T00:00:00Z', '2026-03-29T03:30:00Z', LONDON)).toBe(false);
      // 04:00 BST to 08:00 BST (03:00Z to 07:00Z) is 4 real hours
      expect(isOvernight('2026-03-29T03:00:00Z', '2026-03-29T07:00:00Z', LONDON)).toBe(true);
    });

    it('fall back, 25 October 2026: the night is 9 real hours', () => {
      // 01:30 BST (00:30Z) to 04:15 GMT looks like 2h45m on the wall but is 3h45m
      expect(isOvernight('2026-10-25T00:30:00Z', '2026-10-25T04:15:00Z', LONDON)).toBe(false);
      expect(isOvernight('2026-10-25T00:30:00Z', '2026-10-25T04:30:00Z', LONDON)).toBe(true);
      // The window opens at 00:00 BST (23:00Z the day before) and closes at 08:00 GMT
      expect(isOvernight('2026-10-24T23:00:00Z', '2026-10-25T03:00:00Z', LONDON)).toBe(true);
      expect(isOvernight('2026-10-25T05:00:00Z', '2026-10-25T09:00:00Z', LONDON)).toBe(false);
      expect(isOvernight('2026-10-25T04:00:00Z', '2026-10-25T09:00:00Z', LONDON)).toBe(true);
    });
  });
});

describe('isWeekend: 4+ consecutive hours between Saturday 00:00 and Monday 00:00 local', () => {
  it.each([
    ['Fri 22:00 to Sat 10:00 (court on Saturday)', '2013-02-22T22:00:00Z', '2013-02-23T10:00:00Z', true],
    ['Sat 10:00 to Mon 10:00', '2013-02-23T10:00:00Z', '2013-02-25T10:00:00Z', true],
    ['Sun 22:00 to Mon 10:00: only 2h in the weekend', '2013-02-24T22:00:00Z', '2013-02-25T10:00:00Z', false],
    ['Sun 19:00 to Sun 23:00', '2013-02-24T19:00:00Z', '2013-02-24T23:00:00Z', true],
    ['Sat 02:00 to Sat 05:00: 3h', '2013-02-23T02:00:00Z', '2013-02-23T05:00:00Z', false],
    ['Fri 20:00 to Sat 03:59', '2013-02-22T20:00:00Z', '2013-02-23T03:59:00Z', false],
    ['a Monday night (the seed)', '2013-02-18T21:00:00Z', '2013-02-19T10:00:00Z', false],
    ['summer: Fri 23:00Z is Sat 00:00 BST', '2026-07-03T23:00:00Z', '2026-07-04T03:00:00Z', true],
    ['spring-forward weekend (Sun 29 Mar 2026)', '2026-03-29T00:00:00Z', '2026-03-29T04:00:00Z', true],
    ['fall-back Sunday: 21:00 to Mon 01:00 is 3h', '2026-10-25T21:00:00Z', '2026-10-26T01:00:00Z', false],
    // 00:00 BST to 03:00 GMT: 3h on the wall, 4h in real time
    ['fall-back Sunday: the extra hour counts', '2026-10-24T23:00:00Z', '2026-10-25T03:00:00Z', true],
  ])('%s', (_label, start, end, expected) => {
    expect(isWeekend(start, end, LONDON)).toBe(expected);
  });
});

describe('formatLocal', () => {
  it('prints the wall clock with the zone abbreviation', () => {
    expect(formatLocal('2013-02-18T21:05:00Z', LONDON)).toBe('Mon 18 Feb 2013, 21:05 GMT');
    expect(formatLocal('2026-08-31T08:00:00Z', LONDON)).toBe('Mon 31 Aug 2026, 09:00 BST');
  });

  it('rejects a non-instant', () => {
    expect(() => isOvernight('yesterday', '2013-02-18T21:05:00Z', LONDON)).toThrow(RangeError);
  });
});
