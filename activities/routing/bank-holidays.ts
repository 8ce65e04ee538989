import Holidays from 'date-holidays';
import type { BankHolidayLookup } from '../../domain/routing.js';

/**
 * England and Wales bank holidays (and any other region) from date-holidays, a maintained
 * holiday library, rather than a hand-written list. `region` is `COUNTRY` or `COUNTRY-STATE`,
 * as in the protocol's `bankHolidayRegion` (GB-ENG covers England and Wales). Substitute days
 * (Boxing Day on a Monday after a weekend Christmas) count; observances (Mother's Day) do not.
 */
export function createBankHolidayLookup(region: string): BankHolidayLookup {
  const [country, state] = region.split('-');
  if (!country) throw new RangeError(`Not a holiday region: "${region}"`);
  const hd = state ? new Holidays(country, state) : new Holidays(country);
  if (!hd.getCountries()[country]) throw new RangeError(`Unknown holiday region: "${region}"`);
  const byYear = new Map<number, Map<string, string>>();
  return (localDate: string) => {
    const year = Number(localDate.slice(0, 4));
    if (!Number.isInteger(year)) return null;
    let days = byYear.get(year);
    if (!days) {
      days = new Map();
      for (const h of hd.getHolidays(year)) {
        if (h.type !== 'public' && h.type !== 'bank') continue;
        const date = h.date.slice(0, 10);
        if (!days.has(date)) days.set(date, h.name);
      }
      byYear.set(year, days);
    }
    return days.get(localDate) ?? null;
  };
}
