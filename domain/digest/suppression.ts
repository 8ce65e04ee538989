/**
 * Small-count suppression for digests shared beyond the safeguarding partnership: a count from
 * 1 to 4 is shown as "<5", so that no figure points at an identifiable child. Zero stays "0"
 * (saying nothing happened identifies nobody). Figures derived from a small count (a rate, a
 * median) are withheld too. The digest adds complementary suppression across its linked tables
 * (digest-suppression.ts); the method and its sources are in docs/suppression.md.
 */
export const SUPPRESSION_THRESHOLD = 5;
export const SUPPRESSED = '<5';

export function isSuppressed(count: number, suppress: boolean): boolean {
  return suppress && count > 0 && count < SUPPRESSION_THRESHOLD;
}

/** A count for display: "1,234", "0", or "<5" when suppression is on and 1 ≤ n ≤ 4. */
export function formatCount(count: number, suppress: boolean): string {
  return isSuppressed(count, suppress) ? SUPPRESSED : groupThousands(count);
}

/** 12000 → "12,000" (without Intl, so the output is the same on every machine). */
export function groupThousands(n: number): string {
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A rate for display, withheld when its numerator or denominator is suppressed. */
export function formatRate(numerator: number, denominator: number, suppress: boolean): string {
  if (denominator === 0) return 'n/a';
  // The complement too: "47 of 50" would give away the 3.
  const small = [numerator, denominator, denominator - numerator].some((n) => isSuppressed(n, suppress));
  if (small) return 'withheld (small numbers)';
  return `${Math.round((numerator / denominator) * 100)}%`;
}

/** What a count withheld as a complement shows: the GSS symbol for confidential (docs/suppression.md). */
export const COMPLEMENT = '[c]';
