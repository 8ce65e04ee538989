import { DateTime } from 'luxon';
import type { TrendPoint } from './figures.js';
import { isSuppressed } from './suppression.js';

/** What the trend chart plots, after suppression: null where a count of 1–4 is withheld. */
export interface TrendSeries {
  labels: string[];
  requests: Array<number | null>;
  detained: Array<number | null>;
  /** Indexes where a value was withheld, so the chart can write "<5" there. */
  suppressedRequests: number[];
  suppressedDetained: number[];
}

export function trendSeries(points: readonly TrendPoint[], suppress: boolean): TrendSeries {
  const series: TrendSeries = {
    labels: [],
    requests: [],
    detained: [],
    suppressedRequests: [],
    suppressedDetained: [],
  };
  points.forEach((p, i) => {
    series.labels.push(DateTime.fromISO(p.weekStart).toFormat('d LLL yy'));
    const hideReq = isSuppressed(p.requests, suppress);
    const hideDet = isSuppressed(p.detained, suppress);
    series.requests.push(hideReq ? null : p.requests);
    series.detained.push(hideDet ? null : p.detained);
    if (hideReq) series.suppressedRequests.push(i);
    if (hideDet) series.suppressedDetained.push(i);
  });
  return series;
}

/** A text alternative for the chart, for screen readers and platforms that drop images. */
export function trendAltText(points: readonly TrendPoint[], suppress: boolean): string {
  if (points.length === 0) return 'No weeks to chart.';
  const first = points[0] as TrendPoint;
  const last = points[points.length - 1] as TrendPoint;
  const detained = points.map((p) => p.detained);
  const total = detained.reduce((a, b) => a + b, 0);
  const peak = Math.max(...detained);
  const base =
    `Children held in police detention after charge, per week, from the week of ${first.weekStart} ` +
    `to the week of ${last.weekStart} (${points.length} weeks).`;
  if (suppress) return `${base} Weekly counts of 1 to 4 are withheld and marked "<5".`;
  return `${base} ${total} in all; the most in one week was ${peak}; ${last.detained} in the latest week.`;
}
