import { describe, expect, it } from 'vitest';
import {
  aggregateTable,
  type AggregateInput,
  type AggregateRow,
} from '../../../domain/digest/aggregate-table.js';
import type { OutcomeCode } from '../../../domain/outcomes.js';
import { prng as rng } from '../../support/prng.js';

/**
 * The aggregate export's suppression attack: many small data sets, counted here by hand (not by
 * the code under test), turned into the file's rows, then read back from what the rows print
 * alone. Every relation a reader knows (a month's total = the sum of each dimension's margins, a
 * margin = the sum of its listed cells, unlisted cells are zero) is tried by subtraction and by
 * narrowing bounds ("<5" is 1 to 4, "[c]" is 5 or more) until nothing changes; the test fails if
 * any count of 1 to 4 is printed or comes back. Ethnicity and sex (docs/demographics.md) are
 * margins of their own and two-way tables with the outcome group: the attack uses those relations
 * too (a month's total = the sum over ethnic groups, an ethnic group = the sum of its outcome
 * groups, an outcome group = the sum over ethnic groups; the same for sex).
 */

const DIMS = ['custodySuiteId', 'localAuthorityId', 'outcomeGroup', 'accommodation', 'ageBand'] as const;
const DEMO = ['ethnicGroup', 'sex'] as const;
const KEY = [...DIMS, ...DEMO] as const;
/** Codes as the form takes them (null: not recorded), and their groups by hand (docs/demographics.md). */
const ETHNICITIES = ['W1', 'W3', 'B2', 'A1', 'M1', 'O2', 'NS', null] as const;
const ETHNIC_BY_HAND: Record<string, string> = {
  W1: 'white',
  W3: 'white',
  B2: 'black',
  A1: 'asian',
  M1: 'mixed',
  O2: 'other',
  NS: 'not_stated',
};
const SEXES = ['1', '2', '9', '0', null] as const;
const SEX_BY_HAND: Record<string, string> = {
  '1': 'male',
  '2': 'female',
  '9': 'not_stated',
  '0': 'not_stated',
};
const OUTCOMES: Array<OutcomeCode | null> = [
  'transferred_non_secure',
  'transferred_secure',
  'detained_no_bed_non_secure',
  'detained_no_secure_bed',
  'court_before_transfer',
  'released_or_bailed',
  'cancelled_in_error',
  null,
];

interface Req {
  month: string;
  suite: string;
  la: string;
  accommodation: string;
  age: number;
  outcome: OutcomeCode | null;
  ethnicity: string | null;
  sex: string | null;
}

function requests(seed: number, n: number): Req[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[], skew = 1): T => xs[Math.floor(r() ** skew * xs.length)] as T;
  return Array.from({ length: n }, () => ({
    month: pick(['2026-01', '2026-02']),
    suite: pick(['s1', 's2'], 1.6),
    la: pick(['la1', 'la2', 'la3'], 1.8),
    accommodation: r() < 0.8 ? 'non_secure' : 'secure',
    age: 12 + Math.floor(r() * 6),
    outcome: pick(OUTCOMES, 1.4),
    ethnicity: pick(ETHNICITIES, 1.7),
    sex: pick(SEXES, 1.5),
  }));
}

/** What the store gives: counts per finest cell (the raw age and outcome). */
function inputs(rows: readonly Req[]): AggregateInput[] {
  const m = new Map<string, AggregateInput>();
  for (const q of rows) {
    const k = JSON.stringify([q.month, q.suite, q.la, q.accommodation, q.age, q.outcome, q.ethnicity, q.sex]);
    const cur = m.get(k);
    if (cur) cur.count++;
    else
      m.set(k, {
        month: q.month,
        custodySuiteId: q.suite,
        localAuthorityId: q.la,
        accommodation: q.accommodation,
        age: q.age,
        outcome: q.outcome,
        ethnicity: q.ethnicity,
        sex: q.sex,
        count: 1,
      });
  }
  return [...m.values()];
}

/** By hand: the group and band of a request, as docs/reports.md defines them. */
function handKey(q: Req): Record<(typeof KEY)[number], string> | null {
  if (q.outcome === 'cancelled_in_error') return null;
  const og =
    q.outcome === null
      ? 'still_open'
      : q.outcome.startsWith('transferred')
        ? 'transferred'
        : q.outcome === 'released_or_bailed'
          ? 'released_or_bailed'
          : 'held_in_police_detention';
  const band = q.age < 14 ? 'under_14' : q.age < 16 ? '14_15' : q.age < 18 ? '16_17' : '18_or_over';
  return {
    custodySuiteId: q.suite,
    localAuthorityId: q.la,
    outcomeGroup: og,
    accommodation: q.accommodation,
    ageBand: band,
    ethnicGroup: q.ethnicity === null ? 'not_recorded' : (ETHNIC_BY_HAND[q.ethnicity] ?? 'not_recorded'),
    sex: q.sex === null ? 'not_recorded' : (SEX_BY_HAND[q.sex] ?? 'not_recorded'),
  };
}

function handCount(rows: readonly Req[], r: AggregateRow): number {
  return rows.filter((q) => {
    const k = handKey(q);
    return k !== null && q.month === r.month && KEY.every((d) => r[d] === 'all' || r[d] === k[d]);
  }).length;
}

const idOf = (r: AggregateRow) => [r.month, ...KEY.map((d) => r[d])].join('|');

/** The attack, from the printed rows only. Returns the small cells printed or recovered. */
function attack(rows: readonly AggregateRow[], truth: ReadonlyMap<string, number>) {
  const lo = new Map<string, number>();
  const hi = new Map<string, number>();
  for (const r of rows) {
    const id = idOf(r);
    const [l, h] =
      r.shown === '<5' ? [1, 4] : r.shown === '[c]' ? [5, Infinity] : [Number(r.shown), Number(r.shown)];
    lo.set(id, l);
    hi.set(id, h);
  }
  const relations: Array<{ total: string; parts: string[] }> = [];
  for (const month of new Set(rows.map((r) => r.month))) {
    const inMonth = rows.filter((r) => r.month === month);
    const total = inMonth.find((r) => KEY.every((d) => r[d] === 'all'))!;
    const details = inMonth.filter((r) => DIMS.every((d) => r[d] !== 'all'));
    // The total row says how far the month is broken down: what is absent is withheld, not zero.
    if (total.breakdown === 'total') continue;
    const only = (r: AggregateRow, ...ds: string[]) =>
      KEY.every((e) => (ds.includes(e) ? r[e] !== 'all' : r[e] === 'all'));
    for (const d of DEMO) {
      const margins = inMonth.filter((r) => only(r, d));
      relations.push({ total: idOf(total), parts: margins.map(idOf) });
      const pairs = inMonth.filter((r) => only(r, d, 'outcomeGroup'));
      for (const m of margins)
        relations.push({ total: idOf(m), parts: pairs.filter((p) => p[d] === m[d]).map(idOf) });
      for (const og of inMonth.filter((r) => only(r, 'outcomeGroup')))
        relations.push({
          total: idOf(og),
          parts: pairs.filter((p) => p.outcomeGroup === og.outcomeGroup).map(idOf),
        });
    }
    for (const d of DIMS) {
      const margins = inMonth.filter((r) => only(r, d));
      relations.push({ total: idOf(total), parts: margins.map(idOf) });
      for (const m of margins) {
        if (total.breakdown !== 'cells') continue;
        const parts = details.filter((x) => x[d] === m[d]).map(idOf);
        // Unlisted cells are zero: the margin is the sum of the listed ones.
        relations.push({ total: idOf(m), parts });
      }
    }
  }
  for (let changed = true, pass = 0; changed && pass < 200; pass++) {
    changed = false;
    for (const r of relations) {
      const L = (id: string) => lo.get(id) ?? 0;
      const H = (id: string) => hi.get(id) ?? Infinity;
      const sumLo = r.parts.reduce((a, id) => a + L(id), 0);
      const sumHi = r.parts.reduce((a, id) => a + H(id), 0);
      const narrow = (id: string, l: number, h: number) => {
        const nl = Math.max(L(id), l);
        const nh = Math.min(H(id), h);
        if (nl !== L(id) || nh !== H(id)) {
          lo.set(id, nl);
          hi.set(id, nh);
          changed = true;
        }
      };
      narrow(r.total, sumLo, sumHi);
      r.parts.forEach((id, i) => {
        // The other parts' bounds without this one (Infinity − Infinity would be no number).
        const others = r.parts.filter((_, j) => j !== i);
        const otherLo = others.reduce((a, o) => a + L(o), 0);
        const otherHi = others.reduce((a, o) => a + H(o), 0);
        narrow(id, L(r.total) - otherHi, H(r.total) - otherLo);
      });
    }
  }
  const printedSmall = rows.filter((r) => /^[1-4]$/.test(r.shown)).map(idOf);
  const recovered = rows
    .filter((r) => r.suppressed !== null && lo.get(idOf(r)) === hi.get(idOf(r)))
    .map((r) => {
      const id = idOf(r);
      expect(lo.get(id), `${id} bounded wrongly: the attack is wrong`).toBe(truth.get(id));
      return id;
    })
    .filter((id) => {
      const v = truth.get(id) ?? 0;
      return v >= 1 && v <= 4;
    });
  return { printedSmall, recovered };
}

describe('the aggregate export table', () => {
  it('counts by hand: every printed count is the true one, "<5" hides 1–4, entered in error is left out', () => {
    const rows = requests(11, 140);
    const table = aggregateTable(['2026-01', '2026-02'], inputs(rows), {
      custodySuiteId: ['s1', 's2', 's3'],
    });
    for (const r of table) {
      const n = handCount(rows, r);
      expect(r.count, idOf(r)).toBe(n);
      if (r.shown === '<5') expect(n >= 1 && n <= 4).toBe(true);
      else if (r.shown === '[c]') expect(n).toBeGreaterThanOrEqual(5);
      else expect(Number(r.shown)).toBe(n);
    }
    // A configured suite with nothing shows 0, not nothing.
    expect(
      table.find((r) => r.month === '2026-01' && r.custodySuiteId === 's3' && r.localAuthorityId === 'all')
        ?.shown,
    ).toBe('0');
    const jan = table.find((r) => r.month === '2026-01' && KEY.every((d) => r[d] === 'all'))!;
    expect(jan.count).toBe(
      rows.filter((q) => q.month === '2026-01' && q.outcome !== 'cancelled_in_error').length,
    );
    expect(rows.some((q) => q.outcome === 'cancelled_in_error')).toBe(true);
  });

  it('shows ethnic group and sex as margins and by outcome group, every group listed, counted by hand', () => {
    const rows = requests(4, 160);
    const table = aggregateTable(['2026-01', '2026-02'], inputs(rows), {}, false);
    const jan = table.filter((r) => r.month === '2026-01');
    const ethnicMargins = jan.filter(
      (r) => r.ethnicGroup !== 'all' && KEY.every((d) => d === 'ethnicGroup' || r[d] === 'all'),
    );
    expect(ethnicMargins.map((r) => r.ethnicGroup)).toEqual([
      'white', 'mixed', 'asian', 'black', 'other', 'not_stated', 'not_recorded',
    ]); // prettier-ignore
    const sexByOutcome = jan.filter(
      (r) =>
        r.sex !== 'all' &&
        r.outcomeGroup !== 'all' &&
        KEY.every((d) => d === 'sex' || d === 'outcomeGroup' || r[d] === 'all'),
    );
    expect(sexByOutcome).toHaveLength(4 * 4);
    for (const r of [...ethnicMargins, ...sexByOutcome]) expect(r.count, idOf(r)).toBe(handCount(rows, r));
    // Never crossed with anything but the outcome group.
    expect(jan.some((r) => r.ethnicGroup !== 'all' && r.custodySuiteId !== 'all')).toBe(false);
    expect(jan.some((r) => r.ethnicGroup !== 'all' && r.sex !== 'all')).toBe(false);
  });

  it('gets no count of 1 to 4 back by subtraction or bounds, over many small data sets', () => {
    let suppressedCells = 0;
    let attackedWithoutComplements = 0;
    let redesigned = 0;
    let fullyBrokenDown = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const rows = requests(seed, 15 + (seed % 6) * 12);
      const table = aggregateTable(['2026-01', '2026-02'], inputs(rows));
      const truth = new Map(table.map((r) => [idOf(r), handCount(rows, r)]));
      const r = attack(table, truth);
      expect(r.printedSmall, `seed ${seed}: printed`).toEqual([]);
      expect(r.recovered, `seed ${seed}: derived`).toEqual([]);
      suppressedCells += table.filter((x) => x.suppressed !== null).length;
      for (const x of table.filter((y) => y.breakdown !== undefined))
        if (x.breakdown === 'cells') fullyBrokenDown++;
        else redesigned++;
      // The same attack on primary suppression alone (complements printed): it does find cells,
      // so it is a real attack.
      const primaryOnly = table.map((x) =>
        x.suppressed === 'complementary' ? { ...x, shown: String(x.count), suppressed: null } : x,
      );
      attackedWithoutComplements += attack(primaryOnly, truth).recovered.length;
    }
    expect(suppressedCells).toBeGreaterThan(100);
    expect(redesigned, 'some months had to be shown by margins or by total').toBeGreaterThan(0);
    // With bounds read correctly (two "<5" adding up to 2 are both 1), a third or so of these
    // small months keep their cells; the rest are shown by margins or total.
    expect(fullyBrokenDown, 'some months keep their cells').toBeGreaterThan(10);
    expect(attackedWithoutComplements).toBeGreaterThan(10);
  });
});
