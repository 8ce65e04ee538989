import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Temporal servers and PGlite are heavy; two cores means two forks at most.
    pool: 'forks',
    maxWorkers: 2,
    env: { TZ: 'UTC' },
  },
});
