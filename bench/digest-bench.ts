/**
 * Digest benchmark (not a test). Seeds 1,000,000 outcome rows into a real Postgres, then prints
 * the time to compute a weekly and a yearly digest (every figure, as the digest activity gathers
 * them) and the p50/p95/p99 of the repeat-detention lookup (RecordsStore.earlierDetentions). Both
 * read the "same child" linker (store/same-child.ts), which the seed runs once after loading.
 *
 *   DATABASE_URL=postgres://user:pass@127.0.0.1:5432/db npx tsx bench/digest-bench.ts [outcomes] [lookups]
 *
 * Locally: apt-get install -y postgresql && pg_ctlcluster 15 main start, then create a role and a
 * database. The data goes into a throwaway schema, dropped at the end (KEEP_SCHEMA=1 keeps it).
 *
 * The seed: requests charged evenly over five years (1 July 2021 – 30 June 2026), so a yearly
 * digest covers 200,000 requests and a weekly one about 3,800: far beyond any real force (England
 * and Wales see a few thousand such children a year), so the figures are an upper bound. 12 custody
 * suites, 9 local authorities; 30% of requests are the same child as one 4–13 days earlier; half
 * the requests carry a name+DOB pseudonym as well as a PNC one; about half the outcomes are
 * detentions; a thousand requests are still open.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import { gatherDigestFigures } from '../activities/digest/gather-figures.js';
import { computePeriod, trendWeeks, type DigestPeriod } from '../domain/digest/period.js';
import { protectDigest } from '../domain/digest/digest-suppression.js';
import { findRepeatDetentions } from '../domain/digest/repeats.js';
import type { Protocol } from '../domain/protocol.js';
import {
  digestGroupCounts,
  openRequestsAsOf,
  repeatDetentionMaterial,
  weeklyTrend,
} from '../store/digest-queries.js';
import { openStore } from '../store/open-store.js';
import { relinkAllChildren } from '../store/same-child.js';
import type { SqlClient } from '../store/sql-client.js';

const OUTCOMES = Number(process.argv[2] ?? 1_000_000);
const LOOKUPS = Number(process.argv[3] ?? 2_000);
const OPEN = 1_000;
const databaseUrl = process.env.DATABASE_URL;
/** BENCH_SCHEMA names a schema kept by an earlier run (KEEP_SCHEMA=1): time it without seeding. */
const reuse = process.env.BENCH_SCHEMA;
const schema = reuse ?? `bench_${randomBytes(4).toString('hex')}`;
const START = '2021-07-01T00:00:00Z';
const SPAN = '5 years';

function log(msg: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
}

/**
 * Which child request g is: 30% (g % 10 < 3) are the child of a request 2,005–6,005 rows (4 to 13
 * days) earlier, itself a first-time child (its g % 10 is 5 to 7), so repeats really match.
 */
const CHILD_OF_G = `(CASE WHEN g % 10 < 3 AND g > 7000 THEN g - 2000 * (1 + g % 3) - 5 ELSE g END)`;

function protocolFor(): Protocol {
  const suites = Array.from({ length: 12 }, (_, i) => ({
    id: `suite-${i}`,
    name: `Custody suite ${i}`,
    localAuthorityId: `la-${i % 9}`,
    custodyDestinations: [],
  }));
  const las = Array.from({ length: 9 }, (_, i) => ({
    id: `la-${i}`,
    name: `Local authority ${i}`,
    inHours: [{ platform: 'slack' as const, address: 'C1' }],
    outOfHours: [{ platform: 'slack' as const, address: 'C2' }],
  }));
  return {
    force: { name: 'Benchmark Police', timeZone: 'Europe/London' },
    officeHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
    bankHolidayRegion: 'GB-ENG',
    custodySuites: suites,
    localAuthorities: las,
    contacts: {},
    ladder: {
      steps: [
        {
          level: 1,
          name: 'x',
          condition: 'not_acknowledged',
          after: 1_800_000,
          from: 'request',
          notify: ['responders'],
          maxRepeats: 6,
        },
      ],
    },
    people: [],
    leads: [],
    repeatDetention: { window: 365 * 86_400_000 },
    retention: { personalData: 730 * 86_400_000 },
    digest: { daily: '07:30', weekly: { day: 1, time: '08:00' }, suppressSmallCounts: false },
    watchdog: { every: 60_000, stuckAfterAttempts: 3, overdueAfter: 120_000, notify: [] },
    shiftHandover: { enabled: true, handBack: false },
    courtSitting: { notify: ['responders'] },
    outOfArea: { courtesyNotice: true },
    heldInCustody: {
      review: { every: 7_200_000, at: ['00:00', '07:00'], notify: ['responders'] },
      courtGrace: 7_200_000,
    },
  };
}

async function seed(db: pg.Client, total: number): Promise<void> {
  const batch = 100_000;
  for (let start = 1; start <= total; start += batch) {
    const end = Math.min(total, start + batch - 1);
    await db.query('BEGIN');
    await db.query(
      `INSERT INTO requests (workflow_id, case_ref, custody_record_number, custody_suite_id,
         local_authority_id, route, out_of_area, age, accommodation, charged_at, requested_at,
         next_court_sitting, requesting_officer, child_pseudonym, identity_enc, outcome_recorded_at)
       SELECT 'w' || g, 'CN-' || upper(to_hex(g)), 'CR/' || g, 'suite-' || (g % 12), 'la-' || (g % 9),
         CASE WHEN g % 3 = 0 THEN 'in_hours' ELSE 'out_of_hours' END, g % 10 = 0, 10 + g % 8,
         CASE WHEN g % 5 = 0 THEN 'secure' ELSE 'non_secure' END,
         t, t + (5 + g % 85) * interval '1 minute', t + interval '14 hours',
         '{"platform":"slack","userId":"U1"}'::jsonb, md5('p' || child), 'v1:x:y:z',
         CASE WHEN g <= $3 THEN now() END
       FROM generate_series($1::int, $2::int) AS g,
         LATERAL (SELECT date_trunc('milliseconds', timestamptz '${START}' + (g::float8 / $4::float8) * interval '${SPAN}') AS t,
           ${CHILD_OF_G} AS child) AS x`,
      [start, end, OUTCOMES, total],
    );
    await db.query(
      `INSERT INTO child_pseudonyms (workflow_id, kind, pseudonym, charged_at)
       SELECT r.workflow_id, 'pnc', r.child_pseudonym, r.charged_at
       FROM generate_series($1::int, $2::int) AS g JOIN requests r ON r.workflow_id = 'w' || g`,
      [start, end],
    );
    await db.query(
      `INSERT INTO child_pseudonyms (workflow_id, kind, pseudonym, charged_at)
       SELECT r.workflow_id, 'nd', md5('n' || ${CHILD_OF_G}), r.charged_at
       FROM generate_series($1::int, $2::int) AS g JOIN requests r ON r.workflow_id = 'w' || g
       WHERE g % 2 = 0`,
      [start, end],
    );
    await db.query(
      `INSERT INTO outcomes (workflow_id, outcome, custody_suite_id, local_authority_id, charged_at,
         requested_at, acknowledged_at, bed_offered_at, ended_at, left_custody_at, escalation_level,
         overnight, weekend, stay_reason, cancel_reason, decline_reasons, actors)
       SELECT r.workflow_id, o.code, r.custody_suite_id, r.local_authority_id, r.charged_at, r.requested_at,
         CASE WHEN g % 7 <> 0 THEN r.requested_at + (2 + g % 118) * interval '1 minute' END,
         CASE WHEN o.code LIKE 'transferred%' OR g % 4 = 0 THEN r.requested_at + (30 + g % 200) * interval '1 minute' END,
         r.requested_at + (3 + g % 11) * interval '1 hour',
         CASE WHEN o.code LIKE 'transferred%' THEN r.requested_at + (60 + g % 300) * interval '1 minute' END,
         g % 4, g % 5 < 2, g % 7 = 0,
         CASE WHEN o.code IN ('detained_no_bed_non_secure', 'court_before_transfer') THEN 'no_accommodation_provided'
              WHEN o.code = 'detained_no_secure_bed' THEN 'no_secure_bed_serious_harm'
              WHEN o.code = 'detained_impracticable' THEN 'impracticable_other' END,
         CASE WHEN o.code = 'released_or_bailed' THEN 'bailed' WHEN o.code = 'cancelled_in_error' THEN 'entered_in_error' END,
         CASE WHEN g % 3 = 0 THEN '["no_non_secure_placement"]'::jsonb
              WHEN g % 11 = 0 THEN '["no_secure_bed","other"]'::jsonb ELSE '[]'::jsonb END,
         '{}'::jsonb
       FROM generate_series($1::int, LEAST($2::int, $3::int)) AS g
       JOIN requests r ON r.workflow_id = 'w' || g,
       LATERAL (SELECT (ARRAY['transferred_non_secure','transferred_secure','detained_no_bed_non_secure',
                'detained_no_secure_bed','detained_impracticable','released_or_bailed',
                'court_before_transfer','detained_no_bed_non_secure','transferred_non_secure',
                'cancelled_in_error'])[1 + (g * 7) % 10] AS code) AS o`,
      [start, end, OUTCOMES],
    );
    await db.query('COMMIT');
    log(`  seeded ${end.toLocaleString('en-GB')} / ${total.toLocaleString('en-GB')} requests`);
  }
}

/**
 * CPU time (ms) the database server has spent for this database so far, summed over its backend
 * processes (/proc, so only when the server runs on this machine; else null). Wall time on a
 * shared machine includes waiting for other processes; this does not.
 */
async function dbCpuMs(admin: pg.Client): Promise<number | null> {
  const { rows } = await admin.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND usename = current_user',
  );
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      return null;
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

function quantile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

/** Where a digest's time goes, query by query (each run alone, warm). */
async function breakdown(db: SqlClient, protocol: Protocol, period: DigestPeriod, generatedAt: string) {
  const windowMs = protocol.repeatDetention.window;
  const parts: Array<[string, () => Promise<unknown>]> = [
    ['grouped counts and timings', () => digestGroupCounts(db, period)],
    [
      'repeat detentions (SQL + grouping)',
      async () => {
        const m = await repeatDetentionMaterial(db, { from: period.from, to: period.to, windowMs });
        return findRepeatDetentions({ ...m, from: period.from, to: period.to, windowMs });
      },
    ],
    ['weekly trend', () => weeklyTrend(db, trendWeeks(period))],
    ['open requests', () => openRequestsAsOf(db, generatedAt, 10)],
  ];
  for (const [label, fn] of parts) {
    await fn();
    const r = await time(fn);
    log(`  ${label}: ${r.ms.toFixed(0)} ms`);
  }
}

async function main(): Promise<void> {
  if (!databaseUrl) {
    process.stderr.write(
      'Set DATABASE_URL to a Postgres database (the benchmark makes and drops its own schema).\n',
    );
    process.exitCode = 2;
    return;
  }
  const store = await openStore({
    databaseUrl,
    schema,
    secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) },
  });
  const admin = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
  await admin.connect();
  const protocol = protocolFor();
  try {
    const total = OUTCOMES + OPEN;
    if (!reuse) {
      log(`schema ${schema}: seeding ${OUTCOMES.toLocaleString('en-GB')} outcomes (+${OPEN} open requests)`);
      const seeded = await time(() => seed(admin, total));
      // The seed writes rows directly, so the children are linked afterwards, as an import would be.
      const linked = await time(() => relinkAllChildren(store.sql));
      log(
        `seeded in ${(seeded.ms / 1000).toFixed(1)} s, children linked in ${(linked.ms / 1000).toFixed(1)} s; VACUUM ANALYZE`,
      );
      await admin.query('VACUUM ANALYZE');
    }

    const generatedAt = '2026-07-01T08:00:00.000Z';
    const weekly = computePeriod({ kind: 'weekly', now: '2026-06-30T07:00:00Z', timeZone: 'Europe/London' });
    const yearly = computePeriod({
      kind: 'range',
      now: generatedAt,
      timeZone: 'Europe/London',
      from: '2025-07-01',
      to: '2026-06-30',
    });
    const runDigest = async (label: string, period: DigestPeriod) => {
      const times: number[] = [];
      const cpu: number[] = [];
      // Small-count protection of the same figures (domain/digest/digest-suppression.ts), which
      // the digest applies when `digest.suppressSmallCounts` is on: pure CPU in the worker.
      const protect: number[] = [];
      let requests = 0;
      let repeats = 0;
      let suppressed = 0;
      let cells = 0;
      for (let i = 0; i < 6; i++) {
        const cpu0 = await dbCpuMs(admin);
        const r = await time(() => gatherDigestFigures(store.sql, protocol, period, generatedAt));
        const cpu1 = await dbCpuMs(admin);
        const p = await time(() => Promise.resolve(protectDigest(r.value)));
        if (i > 0) {
          // the first run warms the cache
          times.push(r.ms);
          protect.push(p.ms);
          if (cpu0 !== null && cpu1 !== null) cpu.push(cpu1 - cpu0);
        }
        requests = r.value.total.requests;
        repeats = r.value.total.repeatDetentions;
        suppressed = p.value.protection.primary.size + p.value.protection.secondary.size;
        cells = p.value.table.values.size;
      }
      protect.sort((a, b) => a - b);
      times.sort((a, b) => a - b);
      cpu.sort((a, b) => a - b);
      log(
        `${label} digest (${period.firstDay} – ${period.lastDay}, ${requests.toLocaleString('en-GB')} requests, ` +
          `${repeats.toLocaleString('en-GB')} repeat detentions): median ${quantile(times, 0.5).toFixed(0)} ms, ` +
          `best ${times[0]?.toFixed(0)} ms, worst ${times.at(-1)?.toFixed(0)} ms (5 warm runs)` +
          (cpu.length ? `; database CPU median ${quantile(cpu, 0.5).toFixed(0)} ms` : '') +
          `; small-count protection median ${quantile(protect, 0.5).toFixed(0)} ms, worst ${protect.at(-1)?.toFixed(0)} ms (${suppressed} of ${cells} cells withheld)` +
          `; load average ${loadavg()[0]?.toFixed(1)}`,
      );
    };
    await runDigest('weekly', weekly);
    await runDigest('yearly', yearly);
    await breakdown(store.sql, protocol, yearly, generatedAt);

    // The repeat-detention lookup, for random detained requests, over a 12-month window.
    const pick = () => 1 + (randomBytes(4).readUInt32BE() % OUTCOMES);
    const lookup = async (g: number) => {
      const r = await admin.query<{ charged_at: Date }>(
        'SELECT charged_at FROM requests WHERE workflow_id = $1',
        [`w${g}`],
      );
      const before = r.rows[0]!.charged_at;
      const since = new Date(before.getTime() - 365 * 86_400_000);
      return time(() =>
        store.earlierDetentions({
          workflowId: `w${g}`,
          since: since.toISOString(),
          before: before.toISOString(),
        }),
      );
    };
    for (let i = 0; i < 200; i++) await lookup(pick());
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < LOOKUPS; i++) {
      const r = await lookup(pick());
      times.push(r.ms);
      if (r.value.length > 0) hits++;
    }
    times.sort((a, b) => a - b);
    log(
      `earlierDetentions, ${LOOKUPS.toLocaleString('en-GB')} lookups (${hits} found earlier detentions): ` +
        `p50 ${quantile(times, 0.5).toFixed(2)} ms, p95 ${quantile(times, 0.95).toFixed(2)} ms, ` +
        `p99 ${quantile(times, 0.99).toFixed(2)} ms, max ${times.at(-1)?.toFixed(2)} ms`,
    );
  } finally {
    if (process.env.KEEP_SCHEMA || reuse) log(`kept schema ${schema}`);
    else await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
    await store.close();
  }
}

await main();
