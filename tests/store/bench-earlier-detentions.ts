/**
 * Benchmark of the repeat-detention lookup (RecordsStore.earlierDetentions), the store's hot read.
 *
 *   DATABASE_URL=postgres://… npx tsx tests/store/bench-earlier-detentions.ts [rows] [lookups]
 *   npx tsx tests/store/bench-earlier-detentions.ts 100000 500        # PGlite, in memory
 *
 * Seeds `rows` requests, each with an outcome (half of them detained), 30% of them repeats of a child
 * seen days earlier, half carrying both a PNC and a name+DOB pseudonym, into a throwaway schema, then
 * times `lookups` lookups over a 12-month window and prints p50/p95/p99. Not part of `npm test`.
 */
import { randomBytes } from 'node:crypto';
import { openStore } from '../../store/open-store.js';
import { relinkAllChildren } from '../../store/same-child.js';
import { DATABASE_URL_TEST, dropSchema, randomSchema, testSecrets } from './helpers.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const lookups = Number(process.argv[3] ?? 2_000);
const databaseUrl = process.env.DATABASE_URL ?? DATABASE_URL_TEST;
/** BENCH_SCHEMA names a schema kept by an earlier run (KEEP_SCHEMA=1): time it without seeding. */
const reuse = process.env.BENCH_SCHEMA;
const schema = reuse ?? randomSchema();
/**
 * Which child request g is: 30% (g mod 10 in 0..2) are the same child as a first-time request
 * (g mod 10 = 5) 1,995–5,995 rows (about 4 to 13 days) earlier, so lookups find real repeats.
 */
const CHILD_OF_G = `(CASE WHEN g % 10 < 3 AND g > 6000 THEN g - 1995 - 2000 * (g % 3) ELSE g END)`;

function log(msg: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
}

async function main(): Promise<void> {
  const store = await openStore({
    ...(databaseUrl ? { databaseUrl, schema } : { dataDir: 'memory://' }),
    secrets: testSecrets(),
  });
  log(`backend ${store.sql.backend}${databaseUrl ? ` schema ${schema}` : ''}: seeding ${rows} requests`);
  try {
    const batch = 100_000;
    for (let start = 1; start <= (reuse ? 0 : rows); start += batch) {
      const end = Math.min(rows, start + batch - 1);
      await store.sql.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO requests (workflow_id, case_ref, custody_record_number, custody_suite_id,
             local_authority_id, route, out_of_area, age, accommodation, charged_at, requested_at,
             next_court_sitting, requesting_officer, child_pseudonym, identity_enc, outcome_recorded_at)
           SELECT 'w' || g, 'CN-' || upper(to_hex(g)), 'CR' || g, 'suite-' || (g % 12), 'la-' || (g % 9),
             CASE WHEN g % 3 = 0 THEN 'in_hours' ELSE 'out_of_hours' END, g % 10 = 0, 10 + g % 8,
             CASE WHEN g % 5 = 0 THEN 'secure' ELSE 'non_secure' END,
             t, t + interval '10 minutes', t + interval '14 hours',
             '{"platform":"slack","userId":"U1"}'::jsonb, md5('p' || child), 'v1:x:y:z', now()
           FROM generate_series($1::int, $2::int) AS g,
             LATERAL (SELECT timestamptz '2019-01-01' + (g::float8 / $3::float8) * interval '6 years' AS t,
               ${CHILD_OF_G} AS child) AS x`,
          [start, end, rows],
        );
        await tx.query(
          `INSERT INTO child_pseudonyms (workflow_id, kind, pseudonym, charged_at)
           SELECT workflow_id, 'pnc', child_pseudonym, charged_at FROM requests
           WHERE workflow_id IN (SELECT 'w' || g FROM generate_series($1::int, $2::int) AS g)`,
          [start, end],
        );
        await tx.query(
          `INSERT INTO child_pseudonyms (workflow_id, kind, pseudonym, charged_at)
           SELECT 'w' || g, 'nd', md5('n' || ${CHILD_OF_G}), r.charged_at
           FROM generate_series($1::int, $2::int) AS g JOIN requests r ON r.workflow_id = 'w' || g
           WHERE g % 2 = 0`,
          [start, end],
        );
        await tx.query(
          `INSERT INTO outcomes (workflow_id, outcome, custody_suite_id, local_authority_id, charged_at,
             requested_at, acknowledged_at, bed_offered_at, ended_at, escalation_level, overnight, weekend,
             decline_reasons, actors)
           SELECT r.workflow_id,
             (ARRAY['transferred_non_secure','transferred_secure','detained_no_bed_non_secure',
                    'detained_no_secure_bed','detained_impracticable','released_or_bailed',
                    'court_before_transfer','cancelled_in_error'])[1 + g % 8],
             r.custody_suite_id, r.local_authority_id, r.charged_at, r.requested_at,
             r.requested_at + interval '20 minutes', CASE WHEN g % 2 = 0 THEN r.requested_at + interval '90 minutes' END,
             r.requested_at + interval '8 hours', g % 4, g % 3 = 0, g % 7 < 2, '[]'::jsonb, '{}'::jsonb
           FROM generate_series($1::int, $2::int) AS g JOIN requests r ON r.workflow_id = 'w' || g`,
          [start, end],
        );
      });
      log(`  ${end} rows`);
    }
    if (!reuse) {
      // Rows written directly, so the children are linked afterwards, as an import would be.
      await relinkAllChildren(store.sql);
      await store.sql.exec('ANALYZE');
    }

    // Warm up, then time lookups of random requests over a 12-month window before their charge.
    const pick = () => 1 + (randomBytes(4).readUInt32BE() % rows);
    const lookup = async (g: number) => {
      const [r] = await store.sql.query<{ charged_at: Date | string }>(
        'SELECT charged_at FROM requests WHERE workflow_id = $1',
        ['w' + g],
      );
      const before = new Date(r!.charged_at);
      const since = new Date(before.getTime() - 365 * 24 * 3600 * 1000);
      const t0 = process.hrtime.bigint();
      const found = await store.earlierDetentions({
        workflowId: 'w' + g,
        since: since.toISOString(),
        before: before.toISOString(),
      });
      return { ms: Number(process.hrtime.bigint() - t0) / 1e6, found: found.length };
    };
    for (let i = 0; i < 100; i++) await lookup(pick());
    const times: number[] = [];
    let withHits = 0;
    for (let i = 0; i < lookups; i++) {
      const { ms, found } = await lookup(pick());
      times.push(ms);
      if (found > 0) withHits++;
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
    log(
      `earlierDetentions over ${rows} rows, ${lookups} lookups (${withHits} found earlier detentions): ` +
        `p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms`,
    );
  } finally {
    await store.close();
    if (databaseUrl && !process.env.KEEP_SCHEMA && !reuse) await dropSchema(databaseUrl, schema);
    else if (databaseUrl && !reuse) log(`kept schema ${schema}: rerun with BENCH_SCHEMA=${schema}`);
  }
}

await main();
