// mulberry32, shared with the tests' seeded data sets.
export { prng } from '../tests/support/prng.js';

export const between = (rand: () => number, lo: number, hi: number) => lo + (hi - lo) * rand();

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
