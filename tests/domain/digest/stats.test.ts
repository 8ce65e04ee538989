import { describe, expect, it } from 'vitest';
import { median, p90, percentile, timingOf } from '../../../domain/digest/stats.js';
import { formatCount, formatRate, groupThousands, isSuppressed } from '../../../domain/digest/suppression.js';

describe('percentiles (linear interpolation, as Postgres percentile_cont)', () => {
  it('matches hand-computed values', () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([1, 3])).toBe(2);
    expect(median([5, 1, 3])).toBe(3);
    // 10 values 10..100: rank 0.9 * 9 = 8.1 → 90 + 0.1 * (100 - 90) = 91
    const tens = [100, 90, 80, 70, 60, 50, 40, 30, 20, 10];
    expect(p90(tens)).toBeCloseTo(91, 10);
    expect(median(tens)).toBe(55);
    expect(percentile([1, 2, 3, 4], 0)).toBe(1);
    expect(percentile([1, 2, 3, 4], 1)).toBe(4);
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
    expect(timingOf([60_000, 120_000])).toEqual({ n: 2, medianMs: 90_000, p90Ms: 114_000 });
  });
});

describe('small-count suppression', () => {
  it('shows 1–4 as "<5" only when on; zero and five or more as they are', () => {
    expect([0, 1, 4, 5, 1234].map((n) => formatCount(n, true))).toEqual(['0', '<5', '<5', '5', '1,234']);
    expect([0, 1, 4, 5].map((n) => formatCount(n, false))).toEqual(['0', '1', '4', '5']);
    expect(isSuppressed(3, false)).toBe(false);
    expect(groupThousands(1_000_000)).toBe('1,000,000');
  });

  it('withholds a rate built on a small count, or whose complement is small', () => {
    expect(formatRate(6, 9, false)).toBe('67%');
    expect(formatRate(3, 20, true)).toMatch(/withheld/);
    expect(formatRate(47, 50, true)).toMatch(/withheld/); // 3 not transferred
    expect(formatRate(10, 20, true)).toBe('50%');
    expect(formatRate(0, 0, true)).toBe('n/a');
  });
});
