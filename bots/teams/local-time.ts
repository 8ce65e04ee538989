import { DateTime } from 'luxon';

/**
 * Adaptive Card date and time pickers speak local wall-clock strings (`2013-02-18`, `21:40`);
 * the domain speaks ISO instants with an offset. These convert between them in the force's zone.
 */

/** `{ date: '2013-02-18', time: '21:40' }` for the instant in the zone; empty strings if invalid. */
export function localDateTime(iso: string, zone: string): { date: string; time: string } {
  const dt = DateTime.fromISO(iso, { setZone: true });
  if (!dt.isValid) return { date: '', time: '' };
  const local = dt.setZone(zone);
  return { date: local.toFormat('yyyy-MM-dd'), time: local.toFormat('HH:mm') };
}

export type CombineResult = { ok: true; iso: string } | { ok: false; message: string };

/**
 * A picker date and time in the zone → an ISO instant with offset. Names what is missing, so the
 * form can say "give the time" rather than "not an ISO instant". A time that does not exist in the
 * zone (the hour the clocks go forward) is refused rather than silently shifted.
 */
export function combineLocal(
  date: string | undefined,
  time: string | undefined,
  zone: string,
  what: string,
): CombineResult {
  const d = date?.trim() ?? '';
  const t = time?.trim() ?? '';
  if (!d && !t) return { ok: false, message: `Give the date and time ${what}` };
  if (!d) return { ok: false, message: `Give the date ${what}` };
  if (!t) return { ok: false, message: `Give the time ${what}` };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d))
    return { ok: false, message: `The date ${what} must look like 2013-02-18` };
  if (!/^\d{1,2}:\d{2}(:\d{2})?$/.test(t))
    return { ok: false, message: `The time ${what} must look like 21:40` };
  const [hh = '', mm = ''] = t.split(':');
  const dt = DateTime.fromISO(`${d}T${hh.padStart(2, '0')}:${mm}`, { zone });
  if (!dt.isValid) return { ok: false, message: `The date or time ${what} is not a real date and time` };
  if (dt.toFormat('HH:mm') !== `${hh.padStart(2, '0')}:${mm}`) {
    return { ok: false, message: `The time ${what} does not exist in ${zone} (the clocks went forward)` };
  }
  const iso = dt.toISO({ suppressMilliseconds: true });
  return iso ? { ok: true, iso } : { ok: false, message: `The date or time ${what} is not valid` };
}
