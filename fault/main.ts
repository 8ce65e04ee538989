/**
 * `npm run fault -- [--profile short|long] [--seed N] [--working-life 0.3-2.5]`: the crash suite with
 * real processes.
 * Needs a Postgres server: DATABASE_URL_TEST or DATABASE_URL (see docs/fault-testing.md).
 */
import { parseArgs } from 'node:util';
import { killAllRoleProcesses } from './processes.js';
import { PROFILES, runFault } from './run.js';
import { faultDatabaseUrl } from './system.js';

/** The process exit code: 0 when every invariant held, 1 when one broke, 2 for a usage error. */
export type FaultExitCode = 0 | 1 | 2;

async function main(): Promise<FaultExitCode> {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string', default: 'short' },
      seed: { type: 'string' },
      // How long a worker works before it is killed, in seconds: `--working-life 0.3-2.5`.
      'working-life': { type: 'string' },
    },
  });
  const name = values.profile;
  if (name !== 'short' && name !== 'long') {
    process.stderr.write(`--profile: write short or long (got "${name ?? ''}")\n`);
    return 2;
  }
  const databaseUrl = faultDatabaseUrl();
  if (!databaseUrl) {
    process.stderr.write('The crash suite needs Postgres: set DATABASE_URL_TEST or DATABASE_URL.\n');
    return 2;
  }
  const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isInteger(seed)) {
    process.stderr.write(`--seed: write a whole number (got "${values.seed ?? ''}")\n`);
    return 2;
  }
  let profile = PROFILES[name];
  const life = values['working-life'];
  if (life !== undefined) {
    const m = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(life);
    const lo = Number(m?.[1]);
    const hi = Number(m?.[2]);
    if (!m || !(lo > 0) || !(hi >= lo)) {
      process.stderr.write(`--working-life: write two seconds like 0.3-2.5 (got "${life}")\n`);
      return 2;
    }
    profile = { ...profile, workingLifeS: [lo, hi] };
  }
  const report = await runFault({ profile, seed, databaseUrl });
  return report.failures.length === 0 ? 0 : 1;
}

// Interrupted (Ctrl-C, a CI timeout): the worker and bots it spawned must not outlive it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllRoleProcesses();
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`crash suite could not run: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
