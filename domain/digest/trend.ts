import { DateTime } from 'luxon';
import { protectTable, TableBuilder, type Protection } from './disclosure.js';
import type { TrendPoint } from './figures.js';
import type { DigestPeriod } from './period.js';

/**
 * One bar of the trend chart: a local Monday–Sunday week, or (with suppression on) a month of
 * whole weeks, each week counted in the month its Thursday falls in (the ISO 8601 convention), so
 * a month's figures are exact sums of weekly ones. docs/suppression.md says why months.
 */
export interface TrendBucket {
  label: string;
  /** First local day, YYYY-MM-DD, and the day after the last. */
  start: string;
  end: string;
  weeks: number;
  requests: number;
  held: number;
  /** Absent when the figures carry no weekly transfers. */
  transferred?: number;
  /** The bucket overlaps the digest's own period. */
  inPeriod: boolean;
  /** Not over when the digest was made, or (a month) some of its weeks fall outside the chart. */
  partial: boolean;
}

export interface TrendContext {
  period?: Pick<DigestPeriod, 'firstDay' | 'lastDay' | 'timeZone'>;
  generatedAt?: string;
}

function weekOf(p: TrendPoint, zone: string) {
  const start = DateTime.fromISO(p.weekStart, { zone });
  return { start, end: start.plus({ weeks: 1 }) };
}

export function trendBuckets(
  points: readonly TrendPoint[],
  monthly: boolean,
  ctx: TrendContext = {},
): TrendBucket[] {
  const zone = ctx.period?.timeZone ?? 'UTC';
  const generated = ctx.generatedAt ? DateTime.fromISO(ctx.generatedAt) : null;
  const first = ctx.period ? DateTime.fromISO(ctx.period.firstDay, { zone }) : null;
  const afterLast = ctx.period ? DateTime.fromISO(ctx.period.lastDay, { zone }).plus({ days: 1 }) : null;
  const buckets: TrendBucket[] = [];
  for (const p of points) {
    const { start, end } = weekOf(p, zone);
    const month = start.plus({ days: 3 }).startOf('month');
    const key = monthly ? month.toFormat('LLL yyyy') : start.toFormat('d LLL');
    const last = buckets[buckets.length - 1];
    const overlaps = first !== null && afterLast !== null && start < afterLast && end > first;
    const unfinished = generated !== null && end > generated;
    if (monthly && last && last.label === key) {
      last.end = end.toISODate() ?? last.end;
      last.weeks += 1;
      last.requests += p.requests;
      last.held += p.detained;
      if (last.transferred !== undefined && p.transferred !== undefined) last.transferred += p.transferred;
      last.inPeriod ||= overlaps;
      last.partial ||= unfinished;
      continue;
    }
    buckets.push({
      label: key,
      start: start.toISODate() ?? p.weekStart,
      end: end.toISODate() ?? p.weekStart,
      weeks: 1,
      requests: p.requests,
      held: p.detained,
      ...(p.transferred !== undefined ? { transferred: p.transferred } : {}),
      inPeriod: overlaps,
      partial: unfinished,
    });
  }
  const firstB = buckets[0];
  const lastB = buckets[buckets.length - 1];
  if (monthly && firstB && lastB) {
    // A month whose weeks run past either end of the chart is only part of that month.
    const monthOfWeek = (d: DateTime) => d.plus({ days: 3 }).toFormat('LLL yyyy');
    if (monthOfWeek(DateTime.fromISO(firstB.start, { zone }).minus({ weeks: 1 })) === firstB.label) {
      firstB.partial = true;
    }
    if (monthOfWeek(DateTime.fromISO(lastB.end, { zone })) === lastB.label) lastB.partial = true;
  }
  return buckets;
}

export type TrendMeasure = 'requests' | 'held' | 'transferred';

export function trendCellId(i: number, m: TrendMeasure): string {
  return `chart|${i}|${m}`;
}

/**
 * Protection of the chart's own cells: each bucket's requests = held + transferred + other (not
 * plotted), and each series as if its total were printed beside it (it is, when the digest covers
 * the chart's span exactly), so no bar can be worked out from the others.
 */
export function protectTrend(buckets: readonly TrendBucket[]): Protection {
  const t = new TableBuilder();
  const measures: TrendMeasure[] = [
    'requests',
    'held',
    ...(buckets.every((b) => b.transferred !== undefined) ? (['transferred'] as const) : []),
  ];
  buckets.forEach((b, i) => {
    t.cell(trendCellId(i, 'requests'), b.requests);
    t.cell(trendCellId(i, 'held'), b.held);
    const parts = [trendCellId(i, 'held')];
    if (measures.includes('transferred'))
      parts.push(t.cell(trendCellId(i, 'transferred'), b.transferred ?? 0));
    t.partition(trendCellId(i, 'requests'), parts);
  });
  for (const m of measures) {
    const ids = buckets.map((_, i) => trendCellId(i, m));
    const total = t.cell(
      `chart|total|${m}`,
      ids.reduce((a, id) => a + (t.values.get(id) ?? 0), 0),
    );
    t.partition(total, ids);
  }
  return protectTable(t.table());
}

/** What the chart plots, after suppression: null where a value is withheld. */
export interface TrendSeries {
  buckets: TrendBucket[];
  labels: string[];
  requests: Array<number | null>;
  held: Array<number | null>;
  transferred: Array<number | null> | null;
  /** Indexes where a value was withheld, so the chart can mark them. */
  withheld: { requests: number[]; held: number[]; transferred: number[] };
}

export function trendSeries(
  points: readonly TrendPoint[],
  suppress: boolean,
  ctx: TrendContext = {},
): TrendSeries {
  const buckets = trendBuckets(points, suppress, ctx);
  const p: Protection = suppress ? protectTrend(buckets) : { primary: new Set(), secondary: new Set() };
  const hidden = (i: number, m: TrendMeasure) =>
    p.primary.has(trendCellId(i, m)) || p.secondary.has(trendCellId(i, m));
  const withheld = { requests: [] as number[], held: [] as number[], transferred: [] as number[] };
  const series = (m: TrendMeasure, value: (b: TrendBucket) => number) =>
    buckets.map((b, i) => {
      if (!hidden(i, m)) return value(b);
      withheld[m].push(i);
      return null;
    });
  const hasTransfers = buckets.length > 0 && buckets.every((b) => b.transferred !== undefined);
  return {
    buckets,
    labels: buckets.map((b) => (b.partial ? `${b.label} (part)` : b.label)),
    requests: series('requests', (b) => b.requests),
    held: series('held', (b) => b.held),
    transferred: hasTransfers ? series('transferred', (b) => b.transferred ?? 0) : null,
    withheld,
  };
}

/** A text alternative for the chart, for screen readers and platforms that drop images. */
export function trendAltText(
  points: readonly TrendPoint[],
  suppress: boolean,
  ctx: TrendContext = {},
): string {
  if (points.length === 0) return 'No weeks to chart.';
  const s = trendSeries(points, suppress, ctx);
  const first = s.buckets[0] as TrendBucket;
  const last = s.buckets[s.buckets.length - 1] as TrendBucket;
  const unit = suppress ? 'month' : 'week';
  const base =
    `Bed requests, transfers to local authority accommodation and detentions in police custody after charge (a child held twice counts twice), per ${unit}, from ${first.start} ` +
    `to ${DateTime.fromISO(last.end).minus({ days: 1 }).toISODate() ?? last.end} (${s.buckets.length} ${unit}s).`;
  const partial = last.partial ? ` The last ${unit} is not over.` : '';
  if (suppress) {
    return `${base} Monthly counts of 1 to 4, and any count that would reveal one, are withheld.${partial}`;
  }
  const held = s.buckets.map((b) => b.held);
  const total = held.reduce((a, b) => a + b, 0);
  const transfers =
    s.transferred === null
      ? ''
      : ` ${s.buckets.reduce((a, b) => a + (b.transferred ?? 0), 0)} transfers in all; ${last.transferred ?? 0} in the latest week.`;
  return `${base} ${total} detentions in all; the most in one week was ${Math.max(...held)}; ${last.held} in the latest week.${transfers}${partial}`;
}
