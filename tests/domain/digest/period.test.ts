import { describe, expect, it } from 'vitest';
import { computePeriod, PeriodError, trendWeeks, weekStartOf } from '../../../domain/digest/period.js';

const LONDON = 'Europe/London';
const hours = (p: { from: string; to: string }) => (Date.parse(p.to) - Date.parse(p.from)) / 3_600_000;

describe('computePeriod', () => {
  it('daily is the previous local day, in UTC instants at local midnights', () => {
    const p = computePeriod({ kind: 'daily', now: '2026-06-10T06:30:00Z', timeZone: LONDON });
    expect(p).toMatchObject({
      kind: 'daily',
      from: '2026-06-08T23:00:00.000Z',
      to: '2026-06-09T23:00:00.000Z',
      firstDay: '2026-06-09',
      lastDay: '2026-06-09',
      label: 'Tue 9 Jun 2026',
    });
  });

  it('the day the clocks go forward (29 March 2026) is 23 hours long', () => {
    const p = computePeriod({ kind: 'daily', now: '2026-03-30T06:30:00Z', timeZone: LONDON });
    expect(p.from).toBe('2026-03-29T00:00:00.000Z');
    expect(p.to).toBe('2026-03-29T23:00:00.000Z');
    expect(hours(p)).toBe(23);
  });

  it('the day the clocks go back (25 October 2026) is 25 hours long', () => {
    const p = computePeriod({ kind: 'daily', now: '2026-10-26T07:30:00Z', timeZone: LONDON });
    expect(p.from).toBe('2026-10-24T23:00:00.000Z');
    expect(p.to).toBe('2026-10-26T00:00:00.000Z');
    expect(hours(p)).toBe(25);
  });

  it('a daily run just after local midnight (still the previous day in UTC) covers the right day', () => {
    // 00:10 BST on 10 June is 23:10 UTC on 9 June: the previous local day is 9 June.
    const p = computePeriod({ kind: 'daily', now: '2026-06-09T23:10:00Z', timeZone: LONDON });
    expect(p.firstDay).toBe('2026-06-09');
  });

  it('weekly is the previous Monday–Sunday, whatever day it runs', () => {
    for (const now of ['2026-04-06T07:00:00Z', '2026-04-08T12:00:00Z', '2026-04-12T22:59:00Z']) {
      const p = computePeriod({ kind: 'weekly', now, timeZone: LONDON });
      expect(p.firstDay).toBe('2026-03-30');
      expect(p.lastDay).toBe('2026-04-05');
    }
  });

  it('the weeks holding a clock change are 167 and 169 hours long', () => {
    const spring = computePeriod({ kind: 'weekly', now: '2026-03-31T07:00:00Z', timeZone: LONDON });
    expect(spring.firstDay).toBe('2026-03-23');
    expect(spring.from).toBe('2026-03-23T00:00:00.000Z');
    expect(spring.to).toBe('2026-03-29T23:00:00.000Z');
    expect(hours(spring)).toBe(167);
    expect(spring.label).toBe('Mon 23 – Sun 29 Mar 2026');
    const autumn = computePeriod({ kind: 'weekly', now: '2026-10-27T07:00:00Z', timeZone: LONDON });
    expect(hours(autumn)).toBe(169);
  });

  it('range covers whole local days, both ends inclusive', () => {
    const p = computePeriod({
      kind: 'range',
      now: 0,
      timeZone: LONDON,
      from: '2026-01-01',
      to: '2026-03-31',
    });
    expect(p.from).toBe('2026-01-01T00:00:00.000Z');
    expect(p.to).toBe('2026-03-31T23:00:00.000Z'); // 1 April 00:00 BST
    expect(p.label).toBe('Thu 1 Jan – Tue 31 Mar 2026');
    const oneDay = computePeriod({
      kind: 'range',
      now: 0,
      timeZone: LONDON,
      from: '2026-03-29',
      to: '2026-03-29',
    });
    expect(hours(oneDay)).toBe(23);
  });

  it('refuses an end before the start, a bad date and a missing bound, with clear words', () => {
    const range = (from?: string, to?: string) => () =>
      computePeriod({
        kind: 'range',
        now: 0,
        timeZone: LONDON,
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      });
    expect(range('2026-03-31', '2026-01-01')).toThrow(
      /end date 2026-01-01 is before the start date 2026-03-31/,
    );
    expect(range('2026-02-30', '2026-03-01')).toThrow(/"2026-02-30" is not a date/);
    expect(range('1/1/2026', '2026-03-01')).toThrow(PeriodError);
    expect(range('2026-01-01')).toThrow(/both a start date and an end date/);
    expect(range('2000-01-01', '2026-01-01')).toThrow(/at most/);
  });
});

describe('trend weeks', () => {
  it('gives 12 Monday weeks ending with the week of the period, DST-correct', () => {
    const p = computePeriod({ kind: 'daily', now: '2026-04-01T06:30:00Z', timeZone: LONDON });
    const weeks = trendWeeks(p);
    expect(weeks).toHaveLength(12);
    expect(weeks.at(-1)?.weekStart).toBe('2026-03-30');
    expect(weeks.at(-2)).toEqual({
      weekStart: '2026-03-23',
      from: '2026-03-23T00:00:00.000Z',
      to: '2026-03-29T23:00:00.000Z',
    });
    expect(weeks[0]?.weekStart).toBe('2026-01-12');
    expect(weekStartOf('2026-03-29T22:30:00Z', LONDON)).toBe('2026-03-23'); // 23:30 BST Sunday
    expect(weekStartOf('2026-03-29T23:30:00Z', LONDON)).toBe('2026-03-30'); // 00:30 BST Monday
  });

  it('covers a long range, capped at 104 weeks', () => {
    const half = computePeriod({
      kind: 'range',
      now: 0,
      timeZone: LONDON,
      from: '2026-01-01',
      to: '2026-06-30',
    });
    const weeks = trendWeeks(half);
    expect(weeks[0]?.weekStart).toBe('2025-12-29');
    expect(weeks.at(-1)?.weekStart).toBe('2026-06-29');
    expect(weeks).toHaveLength(27);
    const long = computePeriod({
      kind: 'range',
      now: 0,
      timeZone: LONDON,
      from: '2020-01-01',
      to: '2026-06-30',
    });
    expect(trendWeeks(long)).toHaveLength(104);
  });
});
