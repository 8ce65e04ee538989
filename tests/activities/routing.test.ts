import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBankHolidayLookup } from '../../activities/routing/bank-holidays.js';
import { RoutingError, routeAt, snapshotFor } from '../../domain/routing.js';
import { parseProtocol } from '../../runtime/config.js';

const protocol = parseProtocol(readFileSync('config/concordat.example.yaml', 'utf8'));
const holidays = createBankHolidayLookup(protocol.bankHolidayRegion);
const route = (iso: string) => routeAt(protocol, iso, holidays);

describe('England and Wales bank holidays (date-holidays, GB-ENG)', () => {
  it.each([
    ['2026-12-25', 'Christmas Day'],
    ['2026-12-26', 'Boxing Day'],
    ['2026-12-28', 'Boxing Day (substitute day)'],
    ['2026-08-31', 'Summer bank holiday'],
    ['2026-04-03', 'Good Friday'],
    ['2026-04-06', 'Easter Monday'],
    ['2026-05-04', 'Early May bank holiday'],
    ['2013-05-27', 'Spring bank holiday'],
  ])('%s is %s', (date, name) => {
    expect(holidays(date)).toBe(name);
  });

  it('does not count observances or ordinary days', () => {
    expect(holidays('2026-03-15')).toBeNull(); // Mother's Day
    expect(holidays('2026-04-05')).toBeNull(); // Easter Sunday
    expect(holidays('2013-02-18')).toBeNull();
    expect(holidays('not a date')).toBeNull();
  });

  it('refuses an unknown region', () => {
    expect(() => createBankHolidayLookup('XX-YY')).toThrow(RangeError);
  });
});

describe('routeAt: in hours vs out of hours (EDT), Europe/London', () => {
  it.each([
    // GMT weekday (Tuesday 3 March 2026)
    ['2026-03-03T08:59:00Z', 'out_of_hours', 'outside_office_hours'],
    ['2026-03-03T09:00:00Z', 'in_hours', 'office_hours'],
    ['2026-03-03T16:59:00Z', 'in_hours', 'office_hours'],
    ['2026-03-03T17:00:00Z', 'out_of_hours', 'outside_office_hours'],
    // BST weekday (Tuesday 2 June 2026): 09:00 local is 08:00Z, 17:00 local is 16:00Z
    ['2026-06-02T07:59:00Z', 'out_of_hours', 'outside_office_hours'],
    ['2026-06-02T08:00:00Z', 'in_hours', 'office_hours'],
    ['2026-06-02T15:59:00Z', 'in_hours', 'office_hours'],
    ['2026-06-02T16:00:00Z', 'out_of_hours', 'outside_office_hours'],
    // Weekend
    ['2026-06-06T10:00:00Z', 'out_of_hours', 'not_an_office_day'],
    ['2026-06-07T12:00:00Z', 'out_of_hours', 'not_an_office_day'],
    // Bank holidays at midday
    ['2026-12-25T12:00:00Z', 'out_of_hours', 'bank_holiday'],
    ['2026-08-31T10:00:00Z', 'out_of_hours', 'bank_holiday'],
    ['2026-12-28T10:00:00Z', 'out_of_hours', 'bank_holiday'],
    // 23:30Z on Sunday 30 August is 00:30 BST on the bank holiday Monday
    ['2026-08-30T23:30:00Z', 'out_of_hours', 'bank_holiday'],
    // The day after the summer bank holiday is an ordinary Tuesday
    ['2026-09-01T08:30:00Z', 'in_hours', 'office_hours'],
    // The seed: Monday 18 February 2013, about 21:00
    ['2013-02-18T21:00:00Z', 'out_of_hours', 'outside_office_hours'],
  ])('%s is %s (%s)', (iso, expectedRoute, reason) => {
    const r = route(iso);
    expect(r.route).toBe(expectedRoute);
    expect(r.reason).toBe(reason);
  });

  it('names the holiday and shows the local time', () => {
    expect(route('2026-08-31T10:00:00Z')).toEqual({
      route: 'out_of_hours',
      reason: 'bank_holiday',
      holiday: 'Summer bank holiday',
      localTime: '2026-08-31T11:00:00.000+01:00',
    });
  });
});

describe('snapshotFor: the protocol a running request keeps', () => {
  it('routes to the child’s home LA, in hours to the duty team', () => {
    const snap = snapshotFor(
      protocol,
      { custodySuiteId: 'northampton-cjc', homeLocalAuthorityId: 'west-northamptonshire' },
      '2026-03-03T10:00:00Z',
      holidays,
    );
    expect(snap.routing).toMatchObject({ route: 'in_hours', outOfArea: false });
    expect(snap.responderDestinations.map((d) => d.address)).toEqual([
      'C0DUTYWEST',
      '19:duty-west@thread.tacv2',
    ]);
    expect(snap.custodyDestinations.map((d) => d.address)).toEqual([
      'C0CUSTODYNTH',
      '19:custody-northampton@thread.tacv2',
    ]);
    expect(snap.contacts.responders).toEqual(snap.responderDestinations);
    expect(snap.timeZone).toBe('Europe/London');
  });

  it('routes out of hours to the EDT, and flags an out-of-area child', () => {
    const snap = snapshotFor(
      protocol,
      { custodySuiteId: 'northampton-cjc', homeLocalAuthorityId: 'milton-keynes' },
      '2026-12-25T03:00:00Z',
      holidays,
    );
    expect(snap.routing).toMatchObject({ route: 'out_of_hours', reason: 'bank_holiday', outOfArea: true });
    expect(snap.localAuthority).toEqual({ id: 'milton-keynes', name: 'Milton Keynes City Council' });
    expect(snap.responderDestinations.map((d) => d.address)).toEqual(['C0EDTMK']);
    expect(snap.people.map((p) => p.name)).toEqual(protocol.people.map((p) => p.name));
  });

  it('keeps the ladder in milliseconds and only the contacts it names', () => {
    const snap = snapshotFor(
      protocol,
      { custodySuiteId: 'northampton-cjc', homeLocalAuthorityId: 'west-northamptonshire' },
      '2013-02-18T21:00:00Z',
      holidays,
    );
    expect(snap.ladder.steps.map((s) => [s.key, s.level, s.condition, s.afterMs, s.repeatMs])).toEqual([
      ['0', 1, 'not_acknowledged', 30 * 60_000, undefined],
      ['1', 1, 'not_acknowledged', 30 * 60_000, undefined],
      ['2', 2, 'no_bed_offered', 60 * 60_000, undefined],
      ['3', 3, 'not_resolved', 2 * 3_600_000, 2 * 3_600_000],
    ]);
    expect(snap.ladder.overnight).toEqual({ level: 3, notify: ['superintendent', 'la-head-of-service'] });
    expect(Object.keys(snap.contacts).sort()).toEqual([
      'custody-inspector',
      'edt-manager',
      'la-head-of-service',
      'la-on-call-manager',
      'responders',
      'superintendent',
    ]);
    expect(snap.repeatWindowMs).toBe(365 * 86_400_000);
    // The snapshot is plain data: it survives JSON (Temporal payloads) unchanged.
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });

  it('refuses an unknown suite or local authority', () => {
    expect(() =>
      snapshotFor(
        protocol,
        { custodySuiteId: 'nowhere', homeLocalAuthorityId: 'milton-keynes' },
        '2026-01-01T00:00:00Z',
        holidays,
      ),
    ).toThrow(RoutingError);
    expect(() =>
      snapshotFor(
        protocol,
        { custodySuiteId: 'weekley-wood', homeLocalAuthorityId: 'atlantis' },
        '2026-01-01T00:00:00Z',
        holidays,
      ),
    ).toThrow(/unknown_local_authority/);
  });
});
