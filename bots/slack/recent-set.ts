/**
 * A small set that forgets: remembers keys for `ttlMs`, at most `max` of them. Used to make a
 * double-submitted modal (same view ID) a no-op inside one process.
 */
export function createRecentSet(ttlMs = 10 * 60_000, max = 5000) {
  const items = new Map<string, number>();
  return {
    /** True when the key was new (and is now remembered); false when it was seen recently. */
    add(key: string, nowMs = Date.now()): boolean {
      const until = items.get(key);
      if (until !== undefined && until > nowMs) return false;
      if (items.size >= max) {
        for (const [k, t] of items) {
          if (t <= nowMs || items.size >= max) items.delete(k);
          if (items.size < max / 2) break;
        }
      }
      items.set(key, nowMs + ttlMs);
      return true;
    },
  };
}
export type RecentSet = ReturnType<typeof createRecentSet>;
