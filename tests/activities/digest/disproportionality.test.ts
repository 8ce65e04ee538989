/**
 * Disproportionality (issue 12 item 5, docs/demographics.md) from a seeded store to the digest and
 * the aggregate export: 31 requests in one week, with ethnicity and sex codes chosen so that some
 * groups are large and some small, and one entered in error. Every expected figure below was counted
 * by hand from the list (never by the code under test). With suppression, the printed figures are
 * attacked by subtraction and bounds, with the digest's and the file's own totals, and no count of
 * 1 to 4 may come back. On PGlite always and on Postgres when DATABASE_URL_TEST is set.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gatherDigestFigures } from '../../../activities/digest/gather-figures.js';
import type { EthnicityCode, SexCode } from '../../../domain/demographics.js';
import type { DigestFigures } from '../../../domain/digest/figures.js';
import { computePeriod } from '../../../domain/digest/period.js';
import { buildDigestView } from '../../../domain/digest/view.js';
import type { OutcomeCode } from '../../../domain/outcomes.js';
import { AGGREGATE_COLUMNS, exportAggregateCsv, exportConcordatCsv } from '../../../runtime/export-csv.js';
import type { Store } from '../../../store/open-store.js';
import { describeEachBackend, newRequest, outcomeFor, uniqueWorkflowId } from '../../store/helpers.js';
import { boundsAttack } from '../../support/bounds-attack.js';
import { parseCsv } from '../../support/strict-csv.js';
import { testProtocol } from './seed.js';

type Outcome = 'T' | 'H' | 'R' | 'O' | 'E';
const OUTCOME: Record<Exclude<Outcome, 'O'>, OutcomeCode> = {
  T: 'transferred_non_secure',
  H: 'detained_no_bed_non_secure',
  R: 'released_or_bailed',
  E: 'cancelled_in_error',
};

/** [ethnicity, sex, outcome (T transferred, H held, R released, O open, E entered in error), overnight, how many]. */
const DATA: Array<[EthnicityCode | null, SexCode | null, Outcome, boolean, number]> = [
  ['W1', '1', 'T', true, 1], // transferred in the morning: held overnight all the same
  ['W1', '1', 'T', false, 3],
  ['W1', '1', 'H', true, 3],
  ['W2', '2', 'T', false, 2],
  ['W3', '1', 'H', true, 1],
  ['W9', '2', 'R', false, 1],
  ['B1', '1', 'H', true, 3],
  ['B2', '1', 'H', true, 2],
  ['B9', '2', 'T', false, 1],
  ['B2', '1', 'O', false, 1],
  ['A1', '1', 'T', false, 2],
  ['A2', '1', 'H', true, 1],
  ['M1', '1', 'H', true, 2],
  ['NS', '9', 'T', false, 1],
  ['NS', '1', 'R', false, 1],
  [null, null, 'T', false, 3],
  [null, '2', 'H', true, 2],
  ['B1', '1', 'E', false, 1], // entered in error: in no count
];

type Row = { requests: number; transferred: number; detained: number; overnight: number };
const r = (requests: number, transferred: number, detained: number, overnight: number): Row => ({
  requests,
  transferred,
  detained,
  overnight,
});
// By hand, from DATA.
const BY_ETHNICITY: Record<string, Row> = {
  White: r(11, 6, 4, 5),
  'Mixed or multiple': r(2, 0, 2, 2),
  'Asian or Asian British': r(3, 2, 1, 1),
  'Black or Black British': r(7, 1, 5, 5),
  'Other ethnic group': r(0, 0, 0, 0),
  'Not stated': r(2, 1, 0, 0),
  'Not recorded': r(5, 3, 2, 2),
};
const BY_SEX: Record<string, Row> = {
  Male: r(20, 6, 12, 13),
  Female: r(6, 3, 2, 2),
  'Not known or not specified': r(1, 1, 0, 0),
  'Not recorded': r(3, 3, 0, 0),
};
const TOTAL = r(30, 13, 14, 15);
/** By outcome group (transferred, held, released or bailed, still open), for the aggregate file. */
const ETHNIC_BY_OUTCOME: Record<string, [number, number, number, number]> = {
  white: [6, 4, 1, 0],
  mixed: [0, 2, 0, 0],
  asian: [2, 1, 0, 0],
  black: [1, 5, 0, 1],
  other: [0, 0, 0, 0],
  not_stated: [1, 0, 1, 0],
  not_recorded: [3, 2, 0, 0],
};
const SEX_BY_OUTCOME: Record<string, [number, number, number, number]> = {
  male: [6, 12, 1, 1],
  female: [3, 2, 1, 0],
  not_stated: [1, 0, 0, 0],
  not_recorded: [3, 0, 0, 0],
};
const OUTCOME_GROUPS = ['transferred', 'held_in_police_detention', 'released_or_bailed', 'still_open'];

const ZONE = 'Europe/London';
const PERIOD = computePeriod({
  kind: 'range',
  now: '2026-03-20T08:00:00Z',
  timeZone: ZONE,
  from: '2026-03-02',
  to: '2026-03-08',
});
const GENERATED_AT = '2026-03-20T08:00:00.000Z';
const SUITES = ['northampton-cjc', 'weekley-wood'];
const LAS = ['west-northamptonshire', 'north-northamptonshire'];

async function seed(store: Store): Promise<void> {
  let i = 0;
  for (const [ethnicity, sex, outcome, overnight, n] of DATA) {
    for (let k = 0; k < n; k++, i++) {
      // Spread over the week (GMT, so local = UTC), two suites and two authorities.
      const charged = Date.UTC(2026, 2, 2 + (i % 7), 9 + (i % 10), 15);
      const request = newRequest({
        workflowId: uniqueWorkflowId(`demo-${i}`),
        custodySuiteId: SUITES[i % 2] ?? '',
        localAuthorityId: LAS[Math.floor(i / 2) % 2] ?? '',
        chargedAt: new Date(charged).toISOString(),
        requestedAt: new Date(charged + 15 * 60_000).toISOString(),
        nextCourtSitting: new Date(charged + 24 * 3_600_000).toISOString(),
        identity: { pncId: `26/${100_000 + i}D` },
        ...(ethnicity ? { ethnicity } : {}),
        ...(sex ? { sex } : {}),
      });
      await store.registerRequest(request);
      if (outcome === 'O') continue;
      await store.recordOutcome(
        outcomeFor(request, {
          outcome: OUTCOME[outcome],
          endedAt: new Date(charged + 10 * 3_600_000).toISOString(),
          escalationLevel: 0,
          overnight,
          weekend: false,
          stayReason: outcome === 'H' ? 'no_accommodation_provided' : undefined,
          ...(outcome === 'E' ? { cancelReason: 'entered_in_error' } : {}),
          declineReasons: [],
        }),
      );
    }
  }
}

const MEASURES = ['requests', 'transferred', 'held in police detention', 'held overnight'] as const;
const FIELD: Record<(typeof MEASURES)[number], keyof Row> = {
  requests: 'requests',
  transferred: 'transferred',
  'held in police detention': 'detained',
  'held overnight': 'overnight',
};

/** The digest's disproportionality lines, read back: "Ethnicity, White" → measure → as printed. */
function readDemographicLines(lines: readonly string[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const line of lines) {
    const m = /^((?:Ethnicity|Sex), [^:]+): (.*)$/.exec(line);
    if (!m) continue;
    const values = new Map<string, string>();
    for (const token of (m[2] ?? '').split(' · ')) {
      const t = /^(.*) (\d[\d,]*|<5|\[c\]|withheld \(small numbers\)|\d+%|n\/a)$/.exec(token);
      if (t) values.set(t[1] ?? '', (t[2] ?? '').replace(/,/g, ''));
    }
    out.set(m[1] ?? '', values);
  }
  return out;
}

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

describeEachBackend('disproportionality on $name', (backend) => {
  const protocol = testProtocol();
  let store: Store;
  let cleanup: () => Promise<void>;
  let figures: DigestFigures;

  beforeAll(async () => {
    ({ store, cleanup } = await backend.open());
    await seed(store);
    figures = await gatherDigestFigures(store.sql, protocol, PERIOD, GENERATED_AT);
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
  });

  it('the digest prints every group’s figures, as counted by hand, and they add up to the totals', () => {
    const view = buildDigestView(figures, { forceName: 'Test', suppressSmallCounts: false });
    const section = view.sections.find(
      (s) => s.heading === 'Disproportionality: requests by ethnicity and by sex',
    );
    expect(section?.lines.slice(1)).toEqual([
      'Ethnicity, White: requests 11 · transferred 6 · held in police detention 4 · held overnight 5 · transfer rate 60%',
      'Ethnicity, Mixed or multiple: requests 2 · transferred 0 · held in police detention 2 · held overnight 2 · transfer rate 0%',
      'Ethnicity, Asian or Asian British: requests 3 · transferred 2 · held in police detention 1 · held overnight 1 · transfer rate 67%',
      'Ethnicity, Black or Black British: requests 7 · transferred 1 · held in police detention 5 · held overnight 5 · transfer rate 17%',
      'Ethnicity, Other ethnic group: requests 0 · transferred 0 · held in police detention 0 · held overnight 0 · transfer rate n/a',
      'Ethnicity, Not stated: requests 2 · transferred 1 · held in police detention 0 · held overnight 0 · transfer rate 100%',
      'Ethnicity, Not recorded: requests 5 · transferred 3 · held in police detention 2 · held overnight 2 · transfer rate 60%',
      'Sex, Male: requests 20 · transferred 6 · held in police detention 12 · held overnight 13 · transfer rate 33%',
      'Sex, Female: requests 6 · transferred 3 · held in police detention 2 · held overnight 2 · transfer rate 60%',
      'Sex, Not known or not specified: requests 1 · transferred 1 · held in police detention 0 · held overnight 0 · transfer rate 100%',
      'Sex, Not recorded: requests 3 · transferred 3 · held in police detention 0 · held overnight 0 · transfer rate 100%',
    ]);
    // The digest's own totals, which the groups add up to (entered in error left out of both).
    expect([
      figures.total.requests,
      figures.total.transferred,
      figures.total.detained,
      figures.total.overnight,
    ]).toEqual([TOTAL.requests, TOTAL.transferred, TOTAL.detained, TOTAL.overnight]);
    expect(figures.total.enteredInError).toBe(1);
    // No code and no category below the five groups is printed anywhere in the digest.
    const text = view.sections.flatMap((s) => [s.heading, ...s.lines]).join('\n');
    // Whole words: a case reference (random keys each run, e.g. CN-7B2K4Q) may hold "B2" inside it.
    for (const word of ['W1', 'B2', 'Caribbean', 'Gypsy', 'Pakistani'])
      expect(text).not.toMatch(new RegExp(`\\b${word}\\b`));
  });

  it('with suppression, no count of 1 to 4 is printed or comes back by subtraction (and without it, they do)', () => {
    const attackOf = (suppress: boolean) => {
      const view = buildDigestView(figures, { forceName: 'Test', suppressSmallCounts: suppress });
      const lines = view.sections.flatMap((s) => s.lines);
      const read = readDemographicLines(lines);
      const truth = new Map<string, number>();
      const shown = new Map<string, string>();
      const relations: Array<{ total: string; parts: string[] }> = [];
      // The digest's totals, as printed in "All requests" and the summary.
      const all = view.sections.find((s) => s.heading === 'All requests')?.lines ?? [];
      const summary = view.sections.find((s) => s.heading === 'Summary')?.lines ?? [];
      const grab = (re: RegExp, from: readonly string[]) =>
        from.map((l) => re.exec(l)?.[1]).find((x) => x !== undefined);
      const totals: Record<keyof Row, string | undefined> = {
        requests: grab(/^Requests: (\d+|<5|\[c\]) ·/, all),
        transferred: grab(/^Transferred to local authority accommodation: (\d+|<5|\[c\]) ·/, summary),
        detained: grab(/held in police detention: (\d+|<5|\[c\]) detentions?/, summary),
        overnight: grab(/^Held overnight: (\d+|<5|\[c\]) detentions?/, summary),
      };
      for (const f of Object.keys(TOTAL) as Array<keyof Row>) {
        truth.set(`all|${f}`, TOTAL[f]);
        const t = totals[f];
        if (t !== undefined) shown.set(`all|${f}`, t);
      }
      for (const [dim, table] of [
        ['Ethnicity', BY_ETHNICITY],
        ['Sex', BY_SEX],
      ] as const) {
        for (const [label, row] of Object.entries(table)) {
          const g = `${dim}, ${label}`;
          const printed = read.get(g);
          expect(printed, g).toBeDefined();
          for (const m of MEASURES) {
            const id = `${g}|${FIELD[m]}`;
            truth.set(id, row[FIELD[m]]);
            const s = printed?.get(m);
            if (s !== undefined) shown.set(id, s);
          }
          // A rate prints only beside two printed counts, or it gives one back.
          const rate = printed?.get('transfer rate') ?? '';
          if (/%$/.test(rate)) {
            expect(printed?.get('transferred'), g).toMatch(/^\d+$/);
            expect(printed?.get('held in police detention'), g).toMatch(/^\d+$/);
          }
          // Never printed, but a reader can compute them: the rest of the requests, and those not overnight.
          truth.set(`${g}|rest`, row.requests - row.transferred - row.detained);
          truth.set(`${g}|not overnight`, row.requests - row.overnight);
          relations.push({
            total: `${g}|requests`,
            parts: [`${g}|transferred`, `${g}|detained`, `${g}|rest`],
          });
          relations.push({ total: `${g}|requests`, parts: [`${g}|overnight`, `${g}|not overnight`] });
        }
        for (const f of Object.keys(TOTAL) as Array<keyof Row>) {
          relations.push({
            total: `all|${f}`,
            parts: Object.keys(table).map((label) => `${dim}, ${label}|${f}`),
          });
        }
      }
      // Every printed number is the hand count; "<5" is 1 to 4 and "[c]" at least 5.
      for (const [id, s] of shown) {
        const v = truth.get(id) ?? -1;
        if (s === '<5') expect(v >= 1 && v <= 4, id).toBe(true);
        else if (s === '[c]') expect(v, id).toBeGreaterThanOrEqual(5);
        else expect(Number(s), id).toBe(v);
      }
      return { ...boundsAttack({ truth, shown, relations }), shown };
    };
    const plain = attackOf(false);
    expect(plain.printedSmall.length).toBeGreaterThan(10);
    expect(plain.recovered.length, 'the rest of a group comes back by subtraction').toBeGreaterThan(0);
    const protectedOnes = attackOf(true);
    expect(protectedOnes.printedSmall).toEqual([]);
    expect(protectedOnes.recovered).toEqual([]);
    // The section never costs the rest of the digest a figure: without it, every other line is the same.
    const linesOf = (f: DigestFigures) =>
      buildDigestView(f, { forceName: 'Test', suppressSmallCounts: true }).sections.filter(
        (x) => !x.heading.startsWith('Disproportionality'),
      );
    expect(linesOf(figures)).toEqual(linesOf({ ...figures, demographics: undefined }));
    // Small groups are withheld; the empty one stays 0; something is still published.
    expect(protectedOnes.shown.get('Ethnicity, Mixed or multiple|requests')).toBe('<5');
    expect(protectedOnes.shown.get('Ethnicity, Asian or Asian British|requests')).toBe('<5');
    expect(protectedOnes.shown.get('Ethnicity, Other ethnic group|requests')).toBe('0');
    expect(
      [...protectedOnes.shown.values()].filter((s) => /^\d+$/.test(s) && s !== '0').length,
    ).toBeGreaterThan(3);
  });

  it('export --aggregate: ethnic group and sex by outcome group, strict CSV, counted by hand, nothing derivable', async () => {
    const out = sink();
    await exportAggregateCsv(store.sql, protocol, { from: '2026-03-02', to: '2026-03-08', out: out.stream });
    const [header, ...rows] = parseCsv(out.text());
    expect(header).toEqual([...AGGREGATE_COLUMNS]);
    expect(header).toContain('ethnic_group');
    expect(header).toContain('sex');
    const col = (row: string[], name: string) => row[header!.indexOf(name)] ?? '';
    const main = ['custody_suite_id', 'local_authority_id', 'accommodation_requested', 'age_band'];
    const total = rows.find((x) =>
      [...main, 'outcome_group', 'ethnic_group', 'sex'].every((d) => col(x, d) === 'all'),
    );
    expect(total && [col(total, 'month'), col(total, 'first_day'), col(total, 'last_day')]).toEqual([
      '2026-03',
      '2026-03-02',
      '2026-03-08',
    ]);
    const truth = new Map<string, number>();
    const shown = new Map<string, string>();
    const relations: Array<{ total: string; parts: string[] }> = [];
    const id = (dim: string, value: string, og: string) => `${dim}=${value}|${og}`;
    truth.set(id('-', 'all', 'all'), TOTAL.requests);
    const outcomeTotals = [13, 14, 2, 1];
    OUTCOME_GROUPS.forEach((og, i) => truth.set(id('-', 'all', og), outcomeTotals[i] ?? 0));
    for (const [dim, table] of [
      ['ethnic_group', ETHNIC_BY_OUTCOME],
      ['sex', SEX_BY_OUTCOME],
    ] as const) {
      const other = dim === 'sex' ? 'ethnic_group' : 'sex';
      for (const [value, byOutcome] of Object.entries(table)) {
        truth.set(
          id(dim, value, 'all'),
          byOutcome.reduce((a, n) => a + n, 0),
        );
        OUTCOME_GROUPS.forEach((og, i) => truth.set(id(dim, value, og), byOutcome[i] ?? 0));
        relations.push({
          total: id(dim, value, 'all'),
          parts: OUTCOME_GROUPS.map((og) => id(dim, value, og)),
        });
      }
      relations.push({
        total: id('-', 'all', 'all'),
        parts: Object.keys(table).map((v) => id(dim, v, 'all')),
      });
      for (const og of OUTCOME_GROUPS)
        relations.push({ total: id('-', 'all', og), parts: Object.keys(table).map((v) => id(dim, v, og)) });
      // What the file printed for this dimension: every group, by itself and by outcome group.
      const printed = rows.filter(
        (x) => main.every((d) => col(x, d) === 'all') && col(x, other) === 'all' && col(x, dim) !== 'all',
      );
      expect(printed).toHaveLength(Object.keys(table).length * 5);
      for (const x of printed) shown.set(id(dim, col(x, dim), col(x, 'outcome_group')), col(x, 'requests'));
    }
    for (const og of OUTCOME_GROUPS) {
      const x = rows.find(
        (row) =>
          main.every((d) => col(row, d) === 'all') &&
          col(row, 'outcome_group') === og &&
          col(row, 'ethnic_group') === 'all' &&
          col(row, 'sex') === 'all',
      );
      if (x) shown.set(id('-', 'all', og), col(x, 'requests'));
    }
    if (total) shown.set(id('-', 'all', 'all'), col(total, 'requests'));
    for (const [k, s] of shown) {
      const v = truth.get(k);
      expect(v, k).toBeDefined();
      if (s === '<5') expect(v! >= 1 && v! <= 4, k).toBe(true);
      else if (s === '[c]') expect(v!, k).toBeGreaterThanOrEqual(5);
      else expect(Number(s), k).toBe(v);
    }
    const attack = boundsAttack({ truth, shown, relations });
    expect(attack.printedSmall).toEqual([]);
    expect(attack.recovered).toEqual([]);
    expect(shown.get(id('ethnic_group', 'other', 'all'))).toBe('0');
    expect(shown.get(id('ethnic_group', 'mixed', 'all'))).toBe('<5');
    // Only group names in the file: no code, no category.
    for (const word of ['W1', 'B2', 'NS,', 'Caribbean', 'Gypsy']) expect(out.text()).not.toContain(word);
  });

  it('the row-level export has no ethnicity or sex column (docs/demographics.md)', async () => {
    const out = sink();
    await exportConcordatCsv(store.sql, protocol, { from: '2026-03-02', to: '2026-03-08', out: out.stream });
    const [header, ...rows] = parseCsv(out.text());
    expect(rows).toHaveLength(31);
    expect(header!.filter((h) => /ethnic|sex|gender/.test(h))).toEqual([]);
    for (const row of rows)
      for (const field of row) expect(['W1', 'W2', 'B1', 'B2', 'NS']).not.toContain(field);
  });
});
