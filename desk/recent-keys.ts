/**
 * Users double-click, older clients resend, Slack redelivers. The same key (the same person
 * pressing the same button with the same inputs on the same request, or the same submission ID)
 * within the window is one request: the repeat is answered without reaching the workflow. One
 * guard for both platforms (docs/architecture.md, "The request desk").
 */
export class RecentKeys {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs = 3_000,
    private readonly now: () => number = Date.now,
    private readonly max = 5_000,
  ) {}

  /** Claims `key`; false when it was claimed within the window (a repeat). */
  claim(key: string): boolean {
    const t = this.now();
    if (this.seen.size > this.max) {
      for (const [k, at] of this.seen) if (t - at > this.windowMs) this.seen.delete(k);
    }
    const at = this.seen.get(key);
    if (at !== undefined && t - at <= this.windowMs) return false;
    this.seen.set(key, t);
    return true;
  }

  /** Gives a claim back (the request did not go through, so a retry must not look like a repeat). */
  release(key: string): void {
    this.seen.delete(key);
  }
}
