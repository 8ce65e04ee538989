import { describe, expect, it } from 'vitest';
import { demographicFigures, type DemographicCount } from '../../../domain/digest/disproportionality.js';
import { emptyOutcomeCounts, type DigestFigures, type GroupFigures } from '../../../domain/digest/figures.js';
import { computePeriod } from '../../../domain/digest/period.js';
import { buildDigestView } from '../../../domain/digest/view.js';
import type { OutcomeCode } from '../../../domain/outcomes.js';
import { emptyGroupCounts } from '../../../store/digest-queries.js';
import { boundsAttack } from '../../support/bounds-attack.js';
import { prng as rng } from '../../support/prng.js';

/**
 * The digest's disproportionality section under suppression (docs/demographics.md), over many small
 * random data sets aggregated here by hand: every group's figures are read back from the text, with
 * the digest's printed totals, and attacked by subtraction and bounds along every relation a reader
 * knows (the groups add up to the totals; transferred and held are parts of a group's requests;
 * held overnight is a part of them). No count of 1 to 4 may be printed or come back.
 */

const ETHNICITIES = ['W1', 'W9', 'B1', 'B2', 'A2', 'M3', 'O9', 'NS', null] as const;
const ETHNIC_BY_HAND: Record<string, string> = {
  W1: 'White',
  W9: 'White',
  B1: 'Black or Black British',
  B2: 'Black or Black British',
  A2: 'Asian or Asian British',
  M3: 'Mixed or multiple',
  O9: 'Other ethnic group',
  NS: 'Not stated',
};
const SEXES = ['1', '2', '9', null] as const;
const SEX_BY_HAND: Record<string, string> = { '1': 'Male', '2': 'Female', '9': 'Not known or not specified' };
const ETHNIC_LABELS = [
  'White',
  'Mixed or multiple',
  'Asian or Asian British',
  'Black or Black British',
  'Other ethnic group',
  'Not stated',
  'Not recorded',
];
const SEX_LABELS = ['Male', 'Female', 'Not known or not specified', 'Not recorded'];

interface Req {
  ethnicity: string | null;
  sex: string | null;
  outcome: 'T' | 'H' | 'R' | 'O';
  overnight: boolean;
}

function requests(seed: number, n: number): Req[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[], skew: number): T => xs[Math.floor(r() ** skew * xs.length)] as T;
  return Array.from({ length: n }, () => {
    const outcome = pick(['T', 'H', 'R', 'O'] as const, 1.3);
    return {
      ethnicity: pick(ETHNICITIES, 1.8),
      sex: pick(SEXES, 1.4),
      outcome,
      overnight: outcome === 'H' ? r() < 0.8 : outcome === 'T' && r() < 0.2,
    };
  });
}

const CODE: Record<'T' | 'H' | 'R', OutcomeCode> = {
  T: 'transferred_non_secure',
  H: 'detained_no_bed_non_secure',
  R: 'released_or_bailed',
};

/** The "all" group, by hand. */
function total(rows: readonly Req[]): GroupFigures {
  const outcomes = emptyOutcomeCounts();
  for (const q of rows) if (q.outcome !== 'O') outcomes[CODE[q.outcome]] += 1;
  const resolved = rows.filter((q) => q.outcome !== 'O').length;
  return {
    ...emptyGroupCounts(),
    id: 'all',
    name: 'All',
    requests: rows.length,
    resolved,
    stillOpen: rows.length - resolved,
    outcomes,
    transferred: rows.filter((q) => q.outcome === 'T').length,
    detained: rows.filter((q) => q.outcome === 'H').length,
    overnight: rows.filter((q) => q.overnight).length,
    children: undefined,
    repeatDetentions: 0,
  };
}

/** What the store would give: counts per (ethnicity, sex) pair. */
function storeCounts(rows: readonly Req[]): DemographicCount[] {
  const m = new Map<string, DemographicCount>();
  for (const q of rows) {
    const k = `${q.ethnicity}|${q.sex}`;
    const c = m.get(k) ?? {
      ethnicity: q.ethnicity,
      sex: q.sex,
      requests: 0,
      transferred: 0,
      detained: 0,
      overnight: 0,
    };
    c.requests += 1;
    if (q.outcome === 'T') c.transferred += 1;
    if (q.outcome === 'H') c.detained += 1;
    if (q.overnight) c.overnight += 1;
    m.set(k, c);
  }
  return [...m.values()];
}

function figuresOf(rows: readonly Req[]): DigestFigures {
  return {
    period: computePeriod({ kind: 'weekly', now: '2026-03-30T07:00:00Z', timeZone: 'Europe/London' }),
    generatedAt: '2026-03-30T07:00:00.000Z',
    repeatWindowDays: 365,
    total: total(rows),
    bySuite: [],
    byLocalAuthority: [],
    repeatDetentions: [],
    repeatChildren: 0,
    openNow: { count: rows.filter((q) => q.outcome === 'O').length, oldest: [] },
    trend: [],
    demographics: demographicFigures(storeCounts(rows)),
    names: { suites: {}, localAuthorities: {} },
  };
}

type Measure = 'requests' | 'transferred' | 'detained' | 'overnight';
const PRINTED: Record<Measure, string> = {
  requests: 'requests',
  transferred: 'transferred',
  detained: 'held in police detention',
  overnight: 'held overnight',
};
const measureOf = (q: Req, m: Measure) =>
  m === 'requests'
    ? true
    : m === 'transferred'
      ? q.outcome === 'T'
      : m === 'detained'
        ? q.outcome === 'H'
        : q.overnight;

function attack(rows: readonly Req[], suppress: boolean) {
  const f = figuresOf(rows);
  const view = buildDigestView(f, { forceName: 'X', suppressSmallCounts: suppress });
  const lines = view.sections.flatMap((s) => s.lines);
  const truth = new Map<string, number>();
  const shown = new Map<string, string>();
  const relations: Array<{ total: string; parts: string[] }> = [];
  const grab = (re: RegExp) => lines.map((l) => re.exec(l)?.[1]).find((x) => x !== undefined);
  const totals: Record<Measure, string | undefined> = {
    requests: grab(/^Requests: (\d+|<5|\[c\]) ·/),
    transferred: grab(/^Transferred to local authority accommodation: (\d+|<5|\[c\]) ·/),
    detained: grab(/held in police detention: (\d+|<5|\[c\]) detentions?/),
    overnight: grab(/^Held overnight: (\d+|<5|\[c\]) detentions?/),
  };
  const measures = Object.keys(PRINTED) as Measure[];
  for (const m of measures) {
    truth.set(`all|${m}`, rows.filter((q) => measureOf(q, m)).length);
    const t = totals[m];
    if (t !== undefined) shown.set(`all|${m}`, t);
  }
  const withheldWhole = lines.some((l) => l.startsWith('withheld (small numbers): the groups are too small'));
  for (const [dim, labels, groupOf] of [
    [
      'Ethnicity',
      ETHNIC_LABELS,
      (q: Req) => (q.ethnicity === null ? 'Not recorded' : (ETHNIC_BY_HAND[q.ethnicity] ?? '')),
    ],
    ['Sex', SEX_LABELS, (q: Req) => (q.sex === null ? 'Not recorded' : (SEX_BY_HAND[q.sex] ?? ''))],
  ] as const) {
    for (const label of labels) {
      const g = `${dim}, ${label}`;
      const mine = rows.filter((q) => groupOf(q) === label);
      const line = lines.find((l) => l.startsWith(`${g}: `));
      if (!withheldWhole) expect(line, g).toBeDefined();
      for (const m of measures) {
        truth.set(`${g}|${m}`, mine.filter((q) => measureOf(q, m)).length);
        const v = new RegExp(`(?:: |· )${PRINTED[m]} (\\d+|<5|\\[c\\])(?: ·|$)`).exec(line ?? '')?.[1];
        if (v !== undefined) shown.set(`${g}|${m}`, v);
      }
      const rate = /transfer rate (\S+)/.exec(line ?? '')?.[1] ?? '';
      if (/%$/.test(rate)) {
        expect(shown.get(`${g}|transferred`), g).toMatch(/^\d+$/);
        expect(shown.get(`${g}|detained`), g).toMatch(/^\d+$/);
      }
      truth.set(`${g}|rest`, mine.filter((q) => q.outcome === 'R' || q.outcome === 'O').length);
      truth.set(`${g}|not overnight`, mine.filter((q) => !q.overnight).length);
      relations.push({ total: `${g}|requests`, parts: [`${g}|transferred`, `${g}|detained`, `${g}|rest`] });
      relations.push({ total: `${g}|requests`, parts: [`${g}|overnight`, `${g}|not overnight`] });
    }
    for (const m of measures)
      relations.push({ total: `all|${m}`, parts: labels.map((label) => `${dim}, ${label}|${m}`) });
  }
  for (const [id, s] of shown) {
    const v = truth.get(id) ?? -1;
    if (s === '<5') expect(v >= 1 && v <= 4, id).toBe(true);
    else if (s === '[c]') expect(v, id).toBeGreaterThanOrEqual(5);
    else expect(Number(s), id).toBe(v);
  }
  return { ...boundsAttack({ truth, shown, relations }), withheldWhole };
}

describe('the disproportionality section under suppression', () => {
  it('is a real attack: without suppression it finds small counts, printed and recovered', () => {
    const r = attack(requests(3, 40), false);
    expect(r.printedSmall.length).toBeGreaterThan(10);
    expect(r.recovered.length).toBeGreaterThan(0);
  });

  it('gets no count of 1 to 4 back by subtraction or bounds, over many small data sets', () => {
    let withheld = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const r = attack(requests(seed, 10 + (seed % 6) * 11), true);
      expect(r.printedSmall, `seed ${seed}: printed`).toEqual([]);
      expect(r.recovered, `seed ${seed}: derived`).toEqual([]);
      if (r.withheldWhole) withheld++;
    }
    // Mostly shown, with its small cells withheld, rather than withheld whole.
    expect(withheld).toBeLessThan(20);
  });
});
