// The pure times behind shift changes and the held review ladder (docs/legal-rules.md, "Shift
// changes" and "A stay is not the end"): the next office-hours boundary, with weekends, bank
// holidays and the hand-back setting; and the next review time, with fixed local times across a
// clock change.
import { describe, expect, it } from 'vitest';
import { nextLocalTimeMs, nextReviewAtMs, type HeldSettings } from '../../domain/held-in-custody.js';
import { nextRouteChange, type BankHolidayLookup } from '../../domain/routing.js';

const PROTOCOL = {
  force: { name: 'Test', timeZone: 'Europe/London' },
  officeHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
};
const NONE: BankHolidayLookup = () => null;
// A calendar with only Easter Monday 2026 in it (Good Friday left out, to isolate the Monday).
const EASTER_MONDAY: BankHolidayLookup = (d) => (d === '2026-04-06' ? 'Easter Monday' : null);

describe('nextRouteChange', () => {
  it('a Monday 16:55 request moves to the EDT at 17:00 local (BST in summer)', () => {
    expect(nextRouteChange(PROTOCOL, '2026-01-05T16:55:00Z', 'in_hours', false, NONE)).toMatchObject({
      at: '2026-01-05T17:00:00.000Z',
      route: 'out_of_hours',
      reason: 'outside_office_hours',
    });
    expect(nextRouteChange(PROTOCOL, '2026-07-06T15:55:00Z', 'in_hours', false, NONE)?.at).toBe(
      '2026-07-06T16:00:00.000Z',
    );
  });

  it('without hand-back an EDT request stays with the EDT; with it, it goes back at 09:00 on the next office day', () => {
    expect(nextRouteChange(PROTOCOL, '2026-01-09T17:00:00Z', 'out_of_hours', false, NONE)).toBeNull();
    // Friday evening → Monday 09:00.
    expect(nextRouteChange(PROTOCOL, '2026-01-09T17:00:00Z', 'out_of_hours', true, NONE)).toMatchObject({
      at: '2026-01-12T09:00:00.000Z',
      route: 'in_hours',
    });
    // Friday 3 April evening: not back until Tuesday 09:00 BST (Monday is a bank holiday).
    expect(nextRouteChange(PROTOCOL, '2026-04-03T17:00:00Z', 'out_of_hours', true, EASTER_MONDAY)?.at).toBe(
      '2026-04-07T08:00:00.000Z',
    );
  });

  it('a Friday in-hours request moves at 17:00 BST, and stays with the EDT over the weekend and the Monday holiday', () => {
    expect(nextRouteChange(PROTOCOL, '2026-04-03T10:00:00Z', 'in_hours', false, EASTER_MONDAY)?.at).toBe(
      '2026-04-03T16:00:00.000Z',
    );
  });
});

describe('the held review times', () => {
  const settings: HeldSettings = {
    reviewEveryMs: 2 * 3_600_000,
    reviewAt: ['00:00', '07:00'],
    reviewNotify: [],
    courtGraceMs: 0,
  };

  it('the interval or the next fixed time, whichever is sooner', () => {
    const at = (iso: string) =>
      new Date(nextReviewAtMs(Date.parse(iso), settings, 'Europe/London') ?? 0).toISOString();
    expect(at('2013-02-19T00:30:00Z')).toBe('2013-02-19T02:30:00.000Z');
    expect(at('2013-02-19T06:30:00Z')).toBe('2013-02-19T07:00:00.000Z');
    expect(at('2013-02-18T23:00:00Z')).toBe('2013-02-19T00:00:00.000Z');
  });

  it('fixed times are local: 07:00 BST is 06:00Z after the spring clock change', () => {
    expect(
      new Date(nextLocalTimeMs(Date.parse('2026-03-29T02:00:00Z'), '07:00', 'Europe/London')).toISOString(),
    ).toBe('2026-03-29T06:00:00.000Z');
    expect(
      new Date(nextLocalTimeMs(Date.parse('2026-03-28T08:00:00Z'), '07:00', 'Europe/London')).toISOString(),
    ).toBe('2026-03-29T06:00:00.000Z');
  });
});
