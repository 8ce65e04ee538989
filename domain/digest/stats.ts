/**
 * Order statistics for the digest timings. Percentiles use linear interpolation between closest
 * ranks (the "R-7" / Excel PERCENTILE.INC method), which is exactly what Postgres
 * `percentile_cont` computes, so a figure computed in SQL and one computed here agree.
 */

/** The p-th percentile (0 ≤ p ≤ 1) of `values`; null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile p must be within [0, 1], got ${p}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

export function median(values: readonly number[]): number | null {
  return percentile(values, 0.5);
}

export function p90(values: readonly number[]): number | null {
  return percentile(values, 0.9);
}

/** A summary of one elapsed-time measure (milliseconds). */
export interface TimingFigure {
  /** How many requests had both timestamps. */
  n: number;
  medianMs: number | null;
  p90Ms: number | null;
}

export function timingOf(values: readonly number[]): TimingFigure {
  return { n: values.length, medianMs: median(values), p90Ms: p90(values) };
}

/** transferred ÷ (transferred + detained) as a fraction, or null when nothing was decided. */
export function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}
