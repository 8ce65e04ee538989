/**
 * Users double-click, and older clients resend. The same person pressing the same button with the
 * same inputs on the same request within a few seconds is one click: the second is answered with
 * the card and sends nothing, instead of reaching the workflow and earning a private refusal.
 */
export class RecentClicks {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs = 3_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Claims `key`; false when it was claimed within the window (a repeat). */
  claim(key: string): boolean {
    const t = this.now();
    if (this.seen.size > 5_000) {
      for (const [k, at] of this.seen) if (t - at > this.windowMs) this.seen.delete(k);
    }
    const at = this.seen.get(key);
    if (at !== undefined && t - at <= this.windowMs) return false;
    this.seen.set(key, t);
    return true;
  }

  /** Gives a claim back (the click did not go through, so a retry must not look like a repeat). */
  release(key: string): void {
    this.seen.delete(key);
  }
}
