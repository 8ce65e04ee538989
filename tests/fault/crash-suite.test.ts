// The crash suite's short profile (fault/): a real dev server, Postgres, worker and bots as
// separate processes, killed for real. It needs Postgres, so without one it is reported skipped.
import { describe, expect, it } from 'vitest';
import { PROFILES, runFault } from '../../fault/run.js';
import { faultDatabaseUrl } from '../../fault/system.js';
// Type only: brings the CLI into the type-checked program (tsconfig covers tests/, not fault/).
import type { FaultExitCode } from '../../fault/main.js';

const databaseUrl = faultDatabaseUrl();
const seed = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : Math.floor(Math.random() * 2 ** 31);

describe('crash suite (short profile)', () => {
  it.skipIf(!databaseUrl)(
    `keeps every request, page and click through ≥20 worker kills, bots kills and a dev-server restart (seed ${seed})`,
    async () => {
      const report = await runFault({ profile: PROFILES.short, seed, databaseUrl: databaseUrl ?? '' });
      expect(report.failures, report.printed).toEqual([]);
      const all = report.table.find((r) => r.scenario === 'all');
      expect(all?.kills ?? 0).toBeGreaterThanOrEqual(PROFILES.short.workerKills);
    },
    // The run (about 250 s in CI), and the patience its drain allows if recovery is slow.
    600_000,
  );
});

export type { FaultExitCode };
