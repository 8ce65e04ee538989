import { DateTime } from 'luxon';

export type DigestKind = 'daily' | 'weekly' | 'range';

/**
 * The stretch of time a digest covers: requests whose child was charged in [from, to).
 * `from` and `to` are UTC instants at local midnights; `firstDay` and `lastDay` are the local
 * calendar dates covered (both inclusive), for titles and the CLI.
 */
export interface DigestPeriod {
  kind: DigestKind;
  timeZone: string;
  from: string;
  to: string;
  firstDay: string;
  lastDay: string;
  /** e.g. "Sun 29 Mar 2026" or "Mon 23 – Sun 29 Mar 2026". */
  label: string;
}

export type PeriodErrorCode = 'invalid_date' | 'end_before_start' | 'missing_range' | 'range_too_long';

/** A period that cannot be computed; the message is written for the person who asked. */
export class PeriodError extends Error {
  constructor(
    readonly code: PeriodErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PeriodError';
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Ten years: enough for any report, small enough that a typo (20266) is caught. */
export const MAX_RANGE_DAYS = 3660;

function localDate(text: string, zone: string, field: string): DateTime {
  const dt = DATE.test(text) ? DateTime.fromISO(text, { zone }) : null;
  if (!dt?.isValid) {
    throw new PeriodError('invalid_date', `${field} "${text}" is not a date: write it like 2026-03-31`);
  }
  return dt.startOf('day');
}

function iso(dt: DateTime): string {
  const s = dt.toUTC().toISO({ suppressMilliseconds: false });
  if (s === null) throw new RangeError('invalid instant');
  return s;
}

function label(first: DateTime, last: DateTime): string {
  if (first.hasSame(last, 'day')) return first.toFormat('ccc d LLL yyyy');
  if (first.hasSame(last, 'year')) {
    return first.hasSame(last, 'month')
      ? `${first.toFormat('ccc d')} – ${last.toFormat('ccc d LLL yyyy')}`
      : `${first.toFormat('ccc d LLL')} – ${last.toFormat('ccc d LLL yyyy')}`;
  }
  return `${first.toFormat('d LLL yyyy')} – ${last.toFormat('d LLL yyyy')}`;
}

function build(kind: DigestKind, zone: string, start: DateTime, endExclusive: DateTime): DigestPeriod {
  const last = endExclusive.minus({ days: 1 });
  return {
    kind,
    timeZone: zone,
    from: iso(start),
    to: iso(endExclusive),
    firstDay: start.toISODate() ?? '',
    lastDay: last.toISODate() ?? '',
    label: label(start, last),
  };
}

/**
 * The period a digest covers, in the force's time zone. Pure: `now` is passed in (a workflow
 * passes its own deterministic clock).
 *
 * - daily: the previous local calendar day (23 hours long on the last Sunday of March in
 *   Europe/London, 25 on the last Sunday of October);
 * - weekly: the previous local Monday–Sunday week;
 * - range: the local dates `from` to `to`, both inclusive.
 */
export function computePeriod(args: {
  kind: DigestKind;
  now: Date | string | number;
  timeZone: string;
  from?: string;
  to?: string;
}): DigestPeriod {
  const zone = args.timeZone;
  const now =
    args.now instanceof Date
      ? DateTime.fromJSDate(args.now, { zone })
      : typeof args.now === 'number'
        ? DateTime.fromMillis(args.now, { zone })
        : DateTime.fromISO(args.now, { zone });
  if (!now.isValid) throw new PeriodError('invalid_date', 'The current time is not valid');
  switch (args.kind) {
    case 'daily': {
      const today = now.startOf('day');
      return build('daily', zone, today.minus({ days: 1 }), today);
    }
    case 'weekly': {
      const thisWeek = now.startOf('week'); // luxon weeks are ISO weeks: Monday first
      return build('weekly', zone, thisWeek.minus({ weeks: 1 }), thisWeek);
    }
    case 'range': {
      if (args.from === undefined || args.to === undefined) {
        throw new PeriodError(
          'missing_range',
          'Give both a start date and an end date, like 2026-01-01 and 2026-03-31',
        );
      }
      const first = localDate(args.from, zone, 'The start date');
      const last = localDate(args.to, zone, 'The end date');
      if (last < first) {
        throw new PeriodError(
          'end_before_start',
          `The end date ${args.to} is before the start date ${args.from}: give the earlier date first`,
        );
      }
      const end = last.plus({ days: 1 });
      if (end.diff(first, 'days').days > MAX_RANGE_DAYS) {
        throw new PeriodError('range_too_long', `A range can cover at most ${MAX_RANGE_DAYS} days`);
      }
      return build('range', zone, first, end);
    }
  }
}

/**
 * The period of the same length just before `p`, for the digest's comparison: the day before a
 * daily digest, the week before a weekly one, and for a range the same number of local days
 * ending the day before it starts.
 */
export function previousPeriod(p: DigestPeriod): DigestPeriod {
  const zone = p.timeZone;
  const first = DateTime.fromISO(p.firstDay, { zone }).startOf('day');
  const afterLast = DateTime.fromISO(p.lastDay, { zone }).startOf('day').plus({ days: 1 });
  const days = Math.round(afterLast.diff(first, 'days').days);
  return build(p.kind, zone, first.minus({ days }), first);
}

/** The local Monday (YYYY-MM-DD) of the ISO week containing `instant`. */
export function weekStartOf(instant: string, zone: string): string {
  return DateTime.fromISO(instant, { zone }).startOf('week').toISODate() ?? '';
}

export interface TrendWeek {
  /** Local Monday, YYYY-MM-DD. */
  weekStart: string;
  from: string;
  to: string;
}

/** Weeks shown on the trend chart: at least `minWeeks`, at most `maxWeeks`, ending with the week holding the period's last day. */
export const TREND_MIN_WEEKS = 12;
export const TREND_MAX_WEEKS = 104;

/**
 * The local Monday–Sunday weeks the trend chart covers: every week the period touches, and enough
 * earlier weeks to show at least 12; a very long range keeps its latest 104 weeks.
 */
export function trendWeeks(
  period: DigestPeriod,
  minWeeks = TREND_MIN_WEEKS,
  maxWeeks = TREND_MAX_WEEKS,
): TrendWeek[] {
  const zone = period.timeZone;
  const lastWeek = DateTime.fromISO(period.lastDay, { zone }).startOf('week');
  const firstWeek = DateTime.fromISO(period.firstDay, { zone }).startOf('week');
  const spanned = Math.round(lastWeek.diff(firstWeek, 'weeks').weeks) + 1;
  const count = Math.min(maxWeeks, Math.max(minWeeks, spanned));
  const weeks: TrendWeek[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const start = lastWeek.minus({ weeks: i });
    weeks.push({ weekStart: start.toISODate() ?? '', from: iso(start), to: iso(start.plus({ weeks: 1 })) });
  }
  return weeks;
}
