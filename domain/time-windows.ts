import { DateTime, Interval } from 'luxon';

/**
 * The time windows the Concordat data is counted in (docs/legal-rules.md, "Overnight and weekend"), as pure functions of
 * instants and an IANA zone. Workflows may import this: luxon only reads the clock when asked
 * for "now", and nothing here asks.
 *
 * Elapsed time is real time: on the night the clocks go forward (last Sunday of March in
 * Europe/London) 00:00–08:00 local is seven real hours, and on the night they go back (last
 * Sunday of October) it is nine. "Held 4 hours" means four hours on a stopwatch, not on the wall.
 */

const FOUR_HOURS_MS = 4 * 60 * 60 * 1000;

function parse(iso: string, zone: string): DateTime {
  const dt = DateTime.fromISO(iso, { setZone: true });
  if (!dt.isValid) throw new RangeError(`Not an ISO instant: ${iso}`);
  return dt.setZone(zone);
}

/** The longest stretch (ms) of [start, end] that lies inside one of the local windows. */
function longestOverlapMs(
  start: DateTime,
  end: DateTime,
  windows: (day: DateTime) => Interval | null,
  stepDays = 1,
): number {
  if (end <= start) return 0;
  const held = Interval.fromDateTimes(start, end);
  let best = 0;
  // Windows start at local midnight; walk the local days the detention touches, starting one
  // step early so a window that opened before the detention began is also considered.
  let day = start.startOf('day').minus({ days: stepDays });
  const last = end.startOf('day');
  while (day <= last) {
    const w = windows(day);
    if (w) {
      const overlap = held.intersection(w);
      if (overlap) best = Math.max(best, overlap.toDuration().toMillis());
    }
    day = day.plus({ days: 1 });
  }
  return best;
}

/**
 * Overnight: held 4 or more consecutive hours between 00:00 and 08:00 local time (docs/legal-rules.md, "Overnight and weekend").
 * `start` is when post-charge detention began (the charge time) and `end` when it ended (the
 * child left custody, or was taken to court). The window is [00:00, 08:00) of each local day.
 */
export function isOvernight(startIso: string, endIso: string, zone: string): boolean {
  const start = parse(startIso, zone);
  const end = parse(endIso, zone);
  return (
    longestOverlapMs(start, end, (day) =>
      Interval.fromDateTimes(day.startOf('day'), day.startOf('day').set({ hour: 8 })),
    ) >= FOUR_HOURS_MS
  );
}

/**
 * Weekend (docs/legal-rules.md, "Overnight and weekend"): detained on a Saturday or Sunday, held
 * at least 4 hours, until the following Monday. Our reading, made precise:
 *
 *   the weekend window runs from Saturday 00:00 local to the following Monday 00:00 local, and a
 *   detention is a weekend detention when at least 4 consecutive hours of it fall inside that
 *   window.
 *
 * So "until the following Monday" bounds the window (Saturday and Sunday, not Monday morning);
 * it is not a requirement that the child was still held on Monday. A child charged on Friday at
 * 22:00 and taken to court on Saturday at 10:00 was held ten hours on a Saturday and counts. A
 * child charged on Sunday at 22:00 and held until court on Monday spent only two hours of the
 * weekend in the cells, so counts as overnight but not as weekend.
 * The alternative reading (must still be held on Monday) would miss the Saturday-morning court
 * cases, which are exactly the children a weekend count exists to show.
 */
export function isWeekend(startIso: string, endIso: string, zone: string): boolean {
  const start = parse(startIso, zone);
  const end = parse(endIso, zone);
  return (
    longestOverlapMs(
      start,
      end,
      (day) => {
        if (day.weekday !== 6) return null; // windows open on Saturdays only
        return Interval.fromDateTimes(day.startOf('day'), day.startOf('day').plus({ days: 2 }));
      },
      2,
    ) >= FOUR_HOURS_MS
  );
}

/** The next local 00:00 strictly after `nowIso`, as a UTC ISO instant. Correct across DST changes. */
export function nextLocalMidnight(nowIso: string, zone: string): string {
  const now = parse(nowIso, zone);
  const midnight = now.startOf('day').plus({ days: 1 }).startOf('day');
  return midnight.toUTC().toISO() ?? '';
}

/** Milliseconds since the epoch of the next local 00:00 strictly after `nowMs`. */
export function nextLocalMidnightMs(nowMs: number, zone: string): number {
  const now = DateTime.fromMillis(nowMs, { zone });
  return now.startOf('day').plus({ days: 1 }).startOf('day').toMillis();
}

/** Local wall-clock rendering, for certificates and logs (e.g. "Mon 18 Feb 2013, 21:05 GMT"). */
export function formatLocal(iso: string, zone: string): string {
  return parse(iso, zone).setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm ZZZZ');
}
