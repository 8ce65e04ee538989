/**
 * The Concordat data export: RFC 4180 CSV that parses back to the seed, holds no plain identity,
 * shows progress, and refuses an empty range or an end before the start. Through the library and
 * through the CLI (`runCli`), on PGlite always and on Postgres when DATABASE_URL_TEST is set.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeriodError } from '../../domain/digest/period.js';
import { OUTCOME_LABELS } from '../../domain/outcomes.js';
import { runCli, type CliIo } from '../../runtime/cli.js';
import {
  csvField,
  csvLine,
  AGGREGATE_COLUMNS,
  EXPORT_COLUMNS,
  exportAggregateCsv,
  ExportError,
  exportConcordatCsv,
} from '../../runtime/export-csv.js';
import { openStore, type Store } from '../../store/open-store.js';
import {
  buildSeed,
  plainIdentities,
  seedStore,
  testProtocol,
  type SeedRequest,
} from '../activities/digest/seed.js';
import { describeEachBackend } from '../store/helpers.js';
import { parseCsv } from '../support/strict-csv.js';

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('CSV fields', () => {
  it('quotes commas, quotes and line breaks, and nothing else', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "no"')).toBe('"say ""no"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(undefined)).toBe('');
    expect(csvField(false)).toBe('false');
    expect(parseCsv(csvLine(['a, b', 'say "no"', 'two\r\nlines', '', 3]))).toEqual([
      ['a, b', 'say "no"', 'two\r\nlines', '', '3'],
    ]);
  });
});

describeEachBackend('export on $name', (backend) => {
  const seed = buildSeed(300, 99);
  const protocol = testProtocol();
  let store: Store;
  let cleanup: () => Promise<void>;
  let refs: Map<string, string>;

  beforeAll(async () => {
    ({ store, cleanup } = await backend.open());
    refs = await seedStore(store, seed);
  }, 180_000);
  afterAll(async () => {
    await cleanup?.();
  });

  /** The export of 2026, read back: a column of a row, and a seeded request's row. */
  async function exportedYear() {
    const out = sink();
    await exportConcordatCsv(store.sql, protocol, { from: '2026-01-01', to: '2026-12-31', out: out.stream });
    const [header, ...rows] = parseCsv(out.text());
    const col = (row: string[], name: string) => row[header!.indexOf(name)];
    const rowOf = (s: SeedRequest) =>
      rows.find((r) => col(r, 'case_ref') === refs.get(s.request.workflowId))!;
    return { col, rowOf };
  }

  it('writes one parseable row per request, matching the seed, with progress', async () => {
    const out = sink();
    const progress: Array<{ done: number; total: number }> = [];
    const result = await exportConcordatCsv(store.sql, protocol, {
      from: '2026-01-01',
      to: '2026-06-30',
      out: out.stream,
      pageSize: 50,
      onProgress: (p) => progress.push(p),
    });
    const expected = seed.filter(
      (s) =>
        s.request.chargedAt >= '2026-01-01T00:00:00.000Z' && s.request.chargedAt < '2026-06-30T23:00:00.000Z',
    );
    expect(result.rows).toBe(expected.length);
    expect(progress.at(-1)).toEqual({ done: expected.length, total: expected.length });
    expect(progress.length).toBe(Math.ceil(expected.length / 50));

    const [header, ...rows] = parseCsv(out.text());
    expect(header).toEqual(EXPORT_COLUMNS.map((c) => c.name));
    // The custody record number identifies the child in police systems: not without asking.
    expect(header).not.toContain('custody_record_number');
    for (const s of expected) expect(out.text()).not.toContain(s.request.custodyRecordNumber);
    expect(rows).toHaveLength(expected.length);
    const col = (row: string[], name: string) => row[header!.indexOf(name)];
    const byRef = new Map(expected.map((s) => [refs.get(s.request.workflowId), s]));
    for (const row of rows) {
      expect(row).toHaveLength(header!.length);
      const s = byRef.get(col(row, 'case_ref'))!;
      expect(s, col(row, 'case_ref')).toBeDefined();
      expect(col(row, 'charged_at')).toBe(s.request.chargedAt);
      expect(col(row, 'requested_at')).toBe(s.request.requestedAt);
      expect(col(row, 'outcome')).toBe(s.outcome?.outcome ?? 'open');
      expect(col(row, 'outcome_label')).toBe(s.outcome ? OUTCOME_LABELS[s.outcome.outcome] : 'Still open');
      expect(col(row, 'acknowledged_at')).toBe(s.outcome?.acknowledgedAt ?? '');
      expect(col(row, 'left_custody_at')).toBe(s.outcome?.leftCustodyAt ?? '');
      expect(col(row, 'overnight')).toBe(s.outcome ? String(s.outcome.overnight) : '');
      expect(col(row, 'weekend')).toBe(s.outcome ? String(s.outcome.weekend) : '');
      expect(col(row, 'escalation_level')).toBe(s.outcome ? String(s.outcome.escalationLevel) : '');
      expect(col(row, 'stay_reason')).toBe(s.outcome?.stayReason ?? '');
      expect(col(row, 'decline_reasons')).toBe((s.outcome?.declineReasons ?? []).join(';'));
      expect(col(row, 'child_key')).toMatch(/^[0-9a-f]{16}$/);
    }
    // One key per child within the file (the linker's child: docs/same-child.md), and one child per key.
    const keyOfChild = new Map<number, string>();
    const childOfKey = new Map<string, number>();
    for (const row of rows) {
      const child = byRef.get(col(row, 'case_ref'))!.child.index;
      const key = col(row, 'child_key')!;
      expect(keyOfChild.get(child) ?? key).toBe(key);
      expect(childOfKey.get(key) ?? child).toBe(child);
      keyOfChild.set(child, key);
      childOfKey.set(key, child);
    }
    expect(childOfKey.size).toBeLessThan(rows.length);
    // Fields with commas and typographic quotes survived the round trip.
    expect(rows.some((r) => col(r, 'stay_reason_label')?.includes(', and other accommodation'))).toBe(true);
    // Rows come in charge order.
    const charged = rows.map((r) => col(r, 'charged_at')!);
    expect(charged).toEqual([...charged].sort());
  });

  it('local times, the court sitting, time held after charge, the repeat flag and entered in error, by hand', async () => {
    const out = sink();
    await exportConcordatCsv(store.sql, protocol, { from: '2026-01-01', to: '2026-12-31', out: out.stream });
    const [header, ...rows] = parseCsv(out.text());
    const col = (row: string[], name: string) => row[header!.indexOf(name)];
    const byRef = new Map(seed.map((s) => [refs.get(s.request.workflowId), s]));
    const DETAINED = [
      'detained_no_bed_non_secure',
      'detained_no_secure_bed',
      'detained_impracticable',
      'court_before_transfer',
    ];
    const YEAR = 365 * 86_400_000;
    const t = (iso: string) => Date.parse(iso);
    let repeats = 0;
    for (const row of rows) {
      const s = byRef.get(col(row, 'case_ref'))!;
      const charged = DateTime.fromISO(s.request.chargedAt, { zone: 'Europe/London' });
      expect(col(row, 'time_zone')).toBe('Europe/London');
      expect(col(row, 'charged_at_local')).toBe(charged.toISO({ suppressMilliseconds: true }));
      expect(col(row, 'charged_local_date')).toBe(charged.toISODate());
      expect(col(row, 'next_court_sitting')).toBe(s.request.nextCourtSitting);
      // The same child's detentions in the 365 days before this charge (ground truth, not the linker).
      const earlier = seed.filter(
        (e) =>
          e !== s &&
          e.child.index === s.child.index &&
          e.outcome !== undefined &&
          DETAINED.includes(e.outcome.outcome) &&
          t(e.request.chargedAt) >= t(s.request.chargedAt) - YEAR &&
          t(e.request.chargedAt) < t(s.request.chargedAt),
      ).length;
      expect(col(row, 'earlier_detentions_in_window'), col(row, 'case_ref')).toBe(String(earlier));
      const isHeld = s.outcome !== undefined && DETAINED.includes(s.outcome.outcome);
      expect(col(row, 'repeat_detention')).toBe(s.outcome ? String(isHeld && earlier > 0) : '');
      if (isHeld && earlier > 0) repeats++;
      expect(col(row, 'entered_in_error')).toBe(String(s.outcome?.outcome === 'cancelled_in_error'));
      // Time held after charge: by hand from the seed (no leaving time recorded in it).
      const o = s.outcome;
      let until: [string, string] | undefined;
      if (!o || o.outcome === 'cancelled_in_error') until = undefined;
      else if (o.leftCustodyAt) until = [o.leftCustodyAt, 'left_custody_on_transfer'];
      else if (
        ['detained_no_bed_non_secure', 'detained_no_secure_bed', 'detained_impracticable'].includes(
          o.outcome,
        ) &&
        t(s.request.nextCourtSitting) > t(o.endedAt)
      )
        until = [s.request.nextCourtSitting, 'court_sitting_estimate'];
      else until = [o.endedAt, 'request_ended'];
      expect(col(row, 'held_after_charge_until')).toBe(until?.[1] ?? '');
      expect(col(row, 'held_after_charge_minutes')).toBe(
        until ? String(Math.round((t(until[0]) - t(s.request.chargedAt)) / 60_000)) : '',
      );
    }
    expect(repeats).toBeGreaterThan(3);
    // 00:30 BST on Sunday 25 October is 23:30 UTC on the 24th: the local date is the 25th.
    const late = rows.find((r) => col(r, 'charged_at') === '2026-10-24T23:30:00.000Z')!;
    expect(col(late, 'charged_at_local')).toBe('2026-10-25T00:30:00+01:00');
    expect(col(late, 'charged_local_date')).toBe('2026-10-25');
    // After the clocks go back, local time is GMT again.
    const after = rows.find((r) => col(r, 'charged_at') === '2026-10-25T01:30:00.000Z')!;
    expect(col(after, 'charged_at_local')).toBe('2026-10-25T01:30:00+00:00');
  });

  it('time held after charge uses the real leaving time of the cells once recorded (migration 7)', async () => {
    const [a, b] = seed.filter((s) => s.outcome?.outcome === 'detained_no_bed_non_secure');
    await store.sql.query(
      `UPDATE outcomes SET left_cells_at = $2::timestamptz, left_cells_assumed = $3 WHERE workflow_id = $1`,
      [a!.request.workflowId, new Date(Date.parse(a!.request.chargedAt) + 601 * 60_000).toISOString(), false],
    );
    await store.sql.query(
      `UPDATE outcomes SET left_cells_at = $2::timestamptz, left_cells_assumed = $3 WHERE workflow_id = $1`,
      [b!.request.workflowId, new Date(Date.parse(b!.request.chargedAt) + 900 * 60_000).toISOString(), true],
    );
    const { col, rowOf } = await exportedYear();
    expect([col(rowOf(a!), 'held_after_charge_minutes'), col(rowOf(a!), 'held_after_charge_until')]).toEqual([
      '601',
      'left_cells_recorded',
    ]);
    expect([col(rowOf(b!), 'held_after_charge_minutes'), col(rowOf(b!), 'held_after_charge_until')]).toEqual([
      '900',
      'left_cells_assumed',
    ]);
    expect(col(rowOf(b!), 'left_cells_assumed')).toBe('true');
  });

  it("the certificate's countersignature: countersigned and when, awaiting, or empty when not asked", async () => {
    const [a, b, c] = seed.filter((s) => s.outcome?.outcome === 'detained_no_bed_non_secure');
    const signedAt = new Date(Date.parse(a!.request.chargedAt) + 95 * 60_000).toISOString();
    await store.sql.query(
      `UPDATE outcomes SET certificate_countersignature = 'countersigned',
         certificate_countersigned_at = $2::timestamptz WHERE workflow_id = $1`,
      [a!.request.workflowId, signedAt],
    );
    await store.sql.query(
      `UPDATE outcomes SET certificate_countersignature = 'awaiting' WHERE workflow_id = $1`,
      [b!.request.workflowId],
    );
    const { col, rowOf } = await exportedYear();
    expect([
      col(rowOf(a!), 'certificate_countersignature'),
      col(rowOf(a!), 'certificate_countersigned_at'),
      col(rowOf(a!), 'certificate_countersigned_at_local'),
    ]).toEqual([
      'countersigned',
      signedAt,
      DateTime.fromISO(signedAt, { zone: protocol.force.timeZone }).toISO({ suppressMilliseconds: true }),
    ]);
    expect([
      col(rowOf(b!), 'certificate_countersignature'),
      col(rowOf(b!), 'certificate_countersigned_at'),
    ]).toEqual(['awaiting', '']);
    expect(col(rowOf(c!), 'certificate_countersignature')).toBe('');
  });

  it('--include-custody-record adds the custody record number, for internal use', async () => {
    const out = sink();
    await exportConcordatCsv(store.sql, protocol, {
      from: '2026-01-01',
      to: '2026-06-30',
      out: out.stream,
      includeCustodyRecord: true,
    });
    const [header, ...rows] = parseCsv(out.text());
    expect(header?.[1]).toBe('custody_record_number');
    const byRef = new Map(seed.map((s) => [refs.get(s.request.workflowId), s]));
    for (const r of rows) expect(r[1]).toBe(byRef.get(r[0])!.request.custodyRecordNumber);
  });

  it('export --aggregate: counts by hand from the seed, strict CSV, no count of 1 to 4 printed', async () => {
    const out = sink();
    const result = await exportAggregateCsv(store.sql, protocol, {
      from: '2026-01-01',
      to: '2026-06-15',
      out: out.stream,
    });
    const [header, ...rows] = parseCsv(out.text());
    expect(header).toEqual([...AGGREGATE_COLUMNS]);
    expect(rows).toHaveLength(result.rows);
    const col = (row: string[], name: string) => row[header!.indexOf(name)]!;
    // By hand: local month of charge, group and band as docs/reports.md defines them.
    const zone = 'Europe/London';
    const counted = seed.filter((s) => s.outcome?.outcome !== 'cancelled_in_error');
    const group = (s: SeedRequest) => {
      const o = s.outcome?.outcome;
      if (!o) return 'still_open';
      if (o.startsWith('transferred')) return 'transferred';
      if (o === 'released_or_bailed') return 'released_or_bailed';
      return 'held_in_police_detention';
    };
    const band = (age: number) =>
      age < 14 ? 'under_14' : age < 16 ? '14_15' : age < 18 ? '16_17' : '18_or_over';
    const facts = (s: SeedRequest): Record<string, string> => ({
      month: DateTime.fromISO(s.request.chargedAt, { zone }).toFormat('yyyy-MM'),
      day: DateTime.fromISO(s.request.chargedAt, { zone }).toISODate()!,
      custody_suite_id: s.request.custodySuiteId,
      local_authority_id: s.request.localAuthorityId,
      outcome_group: group(s),
      accommodation_requested: s.request.accommodation,
      age_band: band(s.request.age),
      // The seed records neither (tests/activities/digest/disproportionality.test.ts does).
      ethnic_group: 'not_recorded',
      sex: 'not_recorded',
    });
    const dims = [
      'custody_suite_id',
      'local_authority_id',
      'outcome_group',
      'accommodation_requested',
      'age_band',
      'ethnic_group',
      'sex',
    ];
    expect(new Set(rows.map((r) => col(r, 'month')))).toEqual(
      new Set(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']),
    );
    let shownNumbers = 0;
    for (const r of rows) {
      const n = counted.filter((s) => {
        const f = facts(s);
        return (
          f.month === col(r, 'month') &&
          f.day! <= '2026-06-15' &&
          dims.every((d) => col(r, d) === 'all' || col(r, d) === f[d])
        );
      }).length;
      const shown = col(r, 'requests');
      if (shown === '<5') expect(n >= 1 && n <= 4, JSON.stringify(r)).toBe(true);
      else if (shown === '[c]') expect(n).toBeGreaterThanOrEqual(5);
      else {
        expect(Number(shown), JSON.stringify(r)).toBe(n);
        expect(n === 0 || n >= 5).toBe(true);
        shownNumbers++;
      }
    }
    expect(shownNumbers).toBeGreaterThan(20);
    // June is cut by the range, and says so.
    const june = rows.find((r) => col(r, 'month') === '2026-06')!;
    expect([col(june, 'first_day'), col(june, 'last_day')]).toEqual(['2026-06-01', '2026-06-15']);
    // The names beside the IDs; "all" in the margins.
    const suiteMargin = rows.find((r) => col(r, 'custody_suite_id') === 'northampton-cjc')!;
    expect(col(suiteMargin, 'custody_suite')).toBe('Northampton Criminal Justice Centre');
    expect(col(suiteMargin, 'local_authority')).toBe('all');
    const totals = rows.filter((r) => dims.every((d) => col(r, d) === 'all'));
    expect(totals.every((r) => ['cells', 'margins', 'total'].includes(col(r, 'breakdown')))).toBe(true);
    // No identity and no reference in it at all.
    for (const s of seed) {
      expect(out.text()).not.toContain(s.request.custodyRecordNumber);
      expect(out.text()).not.toContain(refs.get(s.request.workflowId)!);
    }
  });

  it('keys children afresh per export, so two files cannot be joined on the child key', async () => {
    const keys = async () => {
      const out = sink();
      await exportConcordatCsv(store.sql, protocol, {
        from: '2026-01-01',
        to: '2026-06-30',
        out: out.stream,
      });
      const [header, ...rows] = parseCsv(out.text());
      const at = header!.indexOf('child_key');
      return new Set(rows.map((r) => r[at]!));
    };
    const [first, second] = [await keys(), await keys()];
    expect(first.size).toBe(second.size);
    expect([...first].filter((k) => second.has(k))).toEqual([]);
  });

  it('holds no plain identity: no name, date of birth, PNC ID or certificate text', async () => {
    const out = sink();
    await exportConcordatCsv(store.sql, protocol, { from: '2026-01-01', to: '2026-12-31', out: out.stream });
    const text = out.text();
    const identities = plainIdentities(seed);
    expect(identities.length).toBeGreaterThan(100);
    for (const plain of identities) expect(text).not.toContain(plain);
    expect(text).not.toContain('Certificate for');
    for (const s of seed.slice(0, 20)) expect(text).not.toContain(s.child.familyName + ',');
  });

  it('an empty range, or an end before the start, is refused with a clear message', async () => {
    const out = sink();
    const empty = await exportConcordatCsv(store.sql, protocol, {
      from: '2030-01-01',
      to: '2030-01-31',
      out: out.stream,
    }).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(ExportError);
    expect((empty as Error).message).toMatch(/charged from 2030-01-01 to 2030-01-31 .*nothing to export/);
    expect(out.text()).toBe('');
    const backwards = await exportConcordatCsv(store.sql, protocol, {
      from: '2026-03-31',
      to: '2026-01-01',
      out: out.stream,
    }).catch((e: unknown) => e);
    expect(backwards).toBeInstanceOf(PeriodError);
  });
});

describe('the CLI', () => {
  const seed = buildSeed(120, 5);
  const dir = mkdtempSync(join(tmpdir(), 'concordat-cli-'));
  const env = {
    CONCORDAT_DATA_DIR: dir,
    CONCORDAT_PSEUDONYM_KEY: randomBytes(32).toString('hex'),
    CONCORDAT_DATA_KEY: randomBytes(32).toString('hex'),
    CONCORDAT_CONFIG: 'config/concordat.example.yaml',
    DATABASE_URL: '',
  };

  beforeAll(async () => {
    const store = await openStore({
      dataDir: join(dir, 'pglite'),
      secrets: {
        pseudonymKey: Buffer.from(env.CONCORDAT_PSEUDONYM_KEY, 'hex'),
        dataKey: Buffer.from(env.CONCORDAT_DATA_KEY, 'hex'),
      },
    });
    await seedStore(store, seed);
    await store.close();
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function io(): CliIo & { out: () => string; err: () => string } {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const o: string[] = [];
    const e: string[] = [];
    stdout.on('data', (c: Buffer) => o.push(c.toString()));
    stderr.on('data', (c: Buffer) => e.push(c.toString()));
    return { stdout, stderr, env, out: () => o.join(''), err: () => e.join('') };
  }

  it('export --out writes the file and prints "N / N rows" progress to stderr', async () => {
    const file = join(dir, 'q1.csv');
    const x = io();
    const code = await runCli(
      ['export', '--from', '2026-01-01', '--to', '2026-12-31', '--out', file, '--page-size', '25'],
      x,
    );
    expect(x.err()).toMatch(/Exported 1\d\d rows/);
    expect(code).toBe(0);
    const rows = parseCsv(readFileSync(file, 'utf8'));
    expect(rows.length - 1).toBe(seed.length);
    expect(x.err()).toContain(`${seed.length} / ${seed.length} rows`);
    expect(existsSync(`${file}.partial`)).toBe(false);
    expect(x.out()).toBe('');
  });

  it('export to stdout; digest prints the text', async () => {
    const x = io();
    expect(await runCli(['export', '--from', '2026-03-01', '--to', '2026-03-31'], x)).toBe(0);
    expect(parseCsv(x.out())[0]?.[0]).toBe('case_ref');
    const d = io();
    expect(await runCli(['digest', '--from', '2026-03-01', '--to', '2026-03-31', '--suppress'], d)).toBe(0);
    expect(d.out()).toMatch(/^Concordat digest, Sun 1 – Tue 31 Mar 2026: Northamptonshire Police\n/);
    expect(d.out()).toContain('Small-count suppression is on');
  });

  it('export --aggregate --out writes the suppressed file; --suppress alone is explained, not "Unknown option"', async () => {
    const file = join(dir, 'shared.csv');
    const x = io();
    expect(
      await runCli(
        ['export', '--aggregate', '--suppress', '--from', '2026-01-01', '--to', '2026-12-31', '--out', file],
        x,
      ),
    ).toBe(0);
    expect(x.err()).toMatch(/Exported \d+ aggregate rows \(\d+ withheld by small-count suppression\)/);
    const rows = parseCsv(readFileSync(file, 'utf8'));
    expect(rows[0]).toEqual([...AGGREGATE_COLUMNS]);
    expect(rows.slice(1).some((r) => r.includes('<5'))).toBe(true);
    expect(rows.slice(1).every((r) => !/^[1-4]$/.test(r[AGGREGATE_COLUMNS.indexOf('requests')]!))).toBe(true);

    const s = io();
    expect(await runCli(['export', '--suppress', '--from', '2026-01-01', '--to', '2026-12-31'], s)).toBe(2);
    expect(s.err()).toMatch(/cannot be suppressed: use "export --aggregate"/);
    expect(s.err()).not.toMatch(/Unknown option/);
    expect(s.out()).toBe('');
  });

  it('a bad --out path gets a clear message, not a raw ENOENT, and writes nothing', async () => {
    const missing = io();
    const path = join(dir, 'no-such-folder', 'q.csv');
    expect(
      await runCli(['export', '--from', '2026-01-01', '--to', '2026-12-31', '--out', path], missing),
    ).toBe(1);
    expect(missing.err()).toBe(
      `Cannot write --out ${path}: the folder ${join(dir, 'no-such-folder')} does not exist. Nothing was exported.\n`,
    );
    const folder = io();
    expect(await runCli(['export', '--from', '2026-01-01', '--to', '2026-12-31', '--out', dir], folder)).toBe(
      1,
    );
    expect(folder.err()).toMatch(/is a folder: give a file name/);
    expect(folder.err()).not.toMatch(/ENOENT|EISDIR/);
  });

  it('export --include-custody-record adds the column; without it, no custody record number', async () => {
    const plain = io();
    expect(await runCli(['export', '--from', '2026-01-01', '--to', '2026-12-31'], plain)).toBe(0);
    for (const s of seed) expect(plain.out()).not.toContain(s.request.custodyRecordNumber);
    const internal = io();
    expect(
      await runCli(
        ['export', '--include-custody-record', '--from', '2026-01-01', '--to', '2026-12-31'],
        internal,
      ),
    ).toBe(0);
    expect(parseCsv(internal.out())[0]?.[1]).toBe('custody_record_number');
    expect(internal.out()).toContain(seed[0]!.request.custodyRecordNumber);
  });

  it('an empty range and an end before the start exit non-zero with a clear message', async () => {
    const empty = io();
    expect(
      await runCli(
        ['export', '--from', '2030-01-01', '--to', '2030-01-31', '--out', join(dir, 'e.csv')],
        empty,
      ),
    ).toBe(1);
    expect(empty.err()).toMatch(/nothing to export/);
    expect(existsSync(join(dir, 'e.csv'))).toBe(false);
    expect(existsSync(join(dir, 'e.csv.partial'))).toBe(false);

    const backwards = io();
    expect(await runCli(['export', '--from', '2026-03-31', '--to', '2026-01-01'], backwards)).toBe(2);
    expect(backwards.err()).toMatch(/The end date 2026-01-01 is before the start date 2026-03-31/);

    const missing = io();
    expect(await runCli(['export', '--from', '2026-03-31'], missing)).toBe(2);
    expect(missing.err()).toMatch(/--to is required/);

    const unknown = io();
    expect(await runCli(['export', '--from', '2026-01-01', '--to', '2026-02-01', '--bogus'], unknown)).toBe(
      2,
    );
    expect(await runCli(['frobnicate'], io())).toBe(2);
  });
});
