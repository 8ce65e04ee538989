import { describe, expect, it } from 'vitest';
import { RecentKeys } from '../../desk/recent-keys.js';

describe('the double-click guard', () => {
  it('lets a key through once per window, and again after it or once released', () => {
    let now = 0;
    const clicks = new RecentKeys(3_000, () => now);
    expect(clicks.claim('a')).toBe(true);
    expect(clicks.claim('a')).toBe(false);
    expect(clicks.claim('b')).toBe(true);
    now = 3_001;
    expect(clicks.claim('a')).toBe(true);
    clicks.release('a');
    expect(clicks.claim('a')).toBe(true);
  });
});
