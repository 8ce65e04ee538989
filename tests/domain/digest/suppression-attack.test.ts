import { describe, expect, it } from 'vitest';
import {
  emptyOutcomeCounts,
  type CountBy,
  type DigestFigures,
  type GroupFigures,
  type TrendPoint,
} from '../../../domain/digest/figures.js';
import { computePeriod } from '../../../domain/digest/period.js';
import { trendSeries } from '../../../domain/digest/trend.js';
import { buildDigestView } from '../../../domain/digest/view.js';
import type { OutcomeCode } from '../../../domain/outcomes.js';
import { prng as rng } from '../../support/prng.js';

/**
 * The suppression attack: a data set full of small cells, aggregated here by hand (not by the code
 * under test), rendered with suppression on, then read back from the text alone. Every relation a
 * reader knows (a total and its parts, a subset and its complement, a column and its suites or
 * local authorities) is tried by subtraction, over and over with what earlier subtractions gave,
 * and the test fails if any count of 1 to 4 comes back.
 */

const SUITES = ['s1', 's2'] as const;
const LAS = ['la1', 'la2', 'la3'] as const;
const OUTCOMES: OutcomeCode[] = [
  'transferred_non_secure',
  'transferred_secure',
  'detained_no_bed_non_secure',
  'detained_no_secure_bed',
  'detained_impracticable',
  'released_or_bailed',
  'court_before_transfer',
  'cancelled_in_error',
];
const TRANSFERRED: OutcomeCode[] = ['transferred_non_secure', 'transferred_secure'];
const DETAINED: OutcomeCode[] = [
  'detained_no_bed_non_secure',
  'detained_no_secure_bed',
  'detained_impracticable',
];
const OUTCOME_TEXT: Record<OutcomeCode, string> = {
  transferred_non_secure: 'transferred (non-secure)',
  transferred_secure: 'transferred (secure)',
  detained_no_bed_non_secure: 'held: no non-secure bed',
  detained_no_secure_bed: 'held: no secure bed',
  detained_impracticable: 'held: impracticable',
  released_or_bailed: 'released or bailed',
  court_before_transfer: 'court before transfer',
  cancelled_in_error: 'cancelled in error',
};

interface Req {
  suite: string;
  la: string;
  outcome: OutcomeCode | null;
  overnight: boolean;
  weekend: boolean;
  repeat: boolean;
  level: number;
  declined: boolean;
  /** Which child: some children are held more than once. */
  child: number;
}

function pick<T>(r: () => number, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = r() * total;
  for (let i = 0; i < items.length; i++) {
    x -= weights[i] as number;
    if (x < 0) return items[i] as T;
  }
  return items[items.length - 1] as T;
}

function requests(seed: number, n: number): Req[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const outcome = r() < 0.1 ? null : pick(r, OUTCOMES, [10, 2, 6, 1, 1, 3, 1, 1]);
    const held = outcome !== null && DETAINED.includes(outcome);
    return {
      suite: pick(r, SUITES, [3, 1]),
      la: pick(r, LAS, [4, 2, 1]),
      outcome,
      overnight: held && r() < 0.7,
      weekend: held && r() < 0.3,
      repeat: held && r() < 0.2,
      level: outcome === null ? -1 : pick(r, [0, 1, 2, 3], [4, 3, 2, 1]),
      declined: outcome !== null && r() < 0.25,
      child: Math.floor(r() * Math.max(2, n * 0.6)),
    };
  });
}

function aggregate(id: string, all: readonly Req[]): GroupFigures {
  const none = { n: 0, medianMs: null, p90Ms: null };
  // Entered in error: out of every figure, counted on its own.
  const rows = all.filter((q) => q.outcome !== 'cancelled_in_error');
  const distinct = (xs: readonly Req[]) => new Set(xs.map((q) => q.child)).size;
  const outcomes = emptyOutcomeCounts();
  for (const q of rows) if (q.outcome) outcomes[q.outcome] += 1;
  const resolved = rows.filter((q) => q.outcome !== null);
  const held = rows.filter((q) => q.outcome !== null && DETAINED.includes(q.outcome));
  const levels: Array<CountBy<number>> = [0, 1, 2, 3].map((l) => ({
    key: l,
    count: resolved.filter((q) => q.level === l).length,
  }));
  return {
    id,
    name: id,
    requests: rows.length,
    resolved: resolved.length,
    stillOpen: rows.length - resolved.length,
    outcomes,
    transferred: rows.filter((q) => q.outcome !== null && TRANSFERRED.includes(q.outcome)).length,
    detained: held.length,
    overnight: held.filter((q) => q.overnight).length,
    weekend: held.filter((q) => q.weekend).length,
    children: {
      detained: distinct(held),
      overnight: distinct(held.filter((q) => q.overnight)),
      weekend: distinct(held.filter((q) => q.weekend)),
    },
    enteredInError: all.length - rows.length,
    repeatDetentions: held.filter((q) => q.repeat).length,
    escalationLevels: levels,
    timings: {
      chargeToRequest: { n: rows.length, medianMs: 30 * 60_000, p90Ms: 90 * 60_000 },
      requestToAcknowledged: none,
      requestToBedOffered: none,
      requestToLeftCustody: none,
    },
    declineReasons: [{ key: 'no_non_secure_placement', count: resolved.filter((q) => q.declined).length }],
    // The authority provided no accommodation: every "no non-secure bed" stay (principle 6).
    stayReasons: [
      {
        key: 'no_accommodation_provided',
        count: held.filter((q) => q.outcome === 'detained_no_bed_non_secure').length,
      },
    ],
  };
}

function figuresOf(rows: readonly Req[], openNow: number): DigestFigures {
  return {
    period: computePeriod({ kind: 'weekly', now: '2026-03-30T07:00:00Z', timeZone: 'Europe/London' }),
    generatedAt: '2026-03-30T07:00:00.000Z',
    repeatWindowDays: 365,
    total: aggregate('all', rows),
    bySuite: SUITES.map((s) =>
      aggregate(
        s,
        rows.filter((q) => q.suite === s),
      ),
    ),
    byLocalAuthority: LAS.map((l) =>
      aggregate(
        l,
        rows.filter((q) => q.la === l),
      ),
    ),
    repeatDetentions: [],
    repeatChildren: 2,
    openNow: { count: openNow, oldest: [] },
    trend: [],
    names: { suites: {}, localAuthorities: {} },
  };
}

/** Every "label value" pair of one section, read from the text: a number, or null when withheld. */
function readSection(lines: readonly string[]): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const line of lines) {
    const colon = line.indexOf(': ');
    if (colon < 0) continue;
    const head = line.slice(0, colon);
    const tokens = line.slice(colon + 2).split(' · ');
    tokens.forEach((token, i) => {
      const m = /^(.*?)\s*(\d[\d,]*|<5|\[c\])(?: detentions?)?(?:, (\d[\d,]*|<5|\[c\]) child(?:ren)?)?$/.exec(
        i === 0 ? `${head}: ${token}` : token,
      );
      if (!m) return;
      // "Decline reasons: No secure bed 3": the first item's label follows the heading.
      const text = (m[1] ?? '').startsWith(`${head}: `) ? (m[1] ?? '').slice(head.length + 2) : (m[1] ?? '');
      const label = `${head}/${text.replace(/:$/, '')}`;
      const value = (v: string) => (/^\d/.test(v) ? Number(v.replace(/,/g, '')) : null);
      out.set(label, value(m[2] ?? ''));
      // "18 detentions, 15 children": the children under their own label.
      if (m[3] !== undefined) out.set(`${label}/children`, value(m[3]));
    });
  }
  return out;
}

const L = {
  requests: 'Requests/Requests',
  resolved: 'Requests/outcome recorded',
  open: 'Requests/still open',
  overnight: 'Held overnight/Held overnight',
  weekend: 'Held overnight/at a weekend',
  repeat: 'Held overnight/repeat detentions',
  outcome: (c: OutcomeCode) => `Outcomes/${OUTCOME_TEXT[c]}`,
  level: (l: number) => `Escalation level reached/${l === 0 ? 'none' : `level ${l}`}`,
  decline: 'Decline reasons/No non-secure placement available',
  stayFailure:
    'Why the child stayed (s.38(6) impracticable, or the authority provided nothing)/Local authority provided no accommodation',
};

type Cell = { scope: string; label: string };
const key = (c: Cell) => `${c.scope}#${c.label}`;

/**
 * Runs the attack. `truth` holds every cell's real value (including the ones never printed, such
 * as weekday detentions), `shown` what the text printed; returns the small cells that came back.
 */
function attack(f: DigestFigures, sections: ReadonlyArray<{ heading: string; lines: readonly string[] }>) {
  const scopes: Array<[string, GroupFigures]> = [
    ['all', f.total],
    ...f.bySuite.map((g): [string, GroupFigures] => [`suite:${g.id}`, g]),
    ...f.byLocalAuthority.map((g): [string, GroupFigures] => [`la:${g.id}`, g]),
  ];
  const headingOf = (scope: string, g: GroupFigures) =>
    scope === 'all'
      ? 'All requests'
      : scope.startsWith('suite:')
        ? `Custody suite: ${g.name}`
        : `Local authority: ${g.name}`;
  const truth = new Map<string, number>();
  const known = new Map<string, number>();
  const relations: Array<{ total: string; parts: string[] }> = [];
  let printed = 0;
  const labels = new Set<string>();
  // "West Northamptonshire Council: 6 detentions", one line per authority and one for all.
  const principle6 = new Map<string, number | null>();
  for (const line of sections.find((s) => s.heading.startsWith('Local authority did not provide'))?.lines ??
    []) {
    const m = /^(.*): (\d[\d,]*|<5|\[c\]) detentions?$/.exec(line);
    if (m) principle6.set(m[1] ?? '', /^\d/.test(m[2] ?? '') ? Number((m[2] ?? '').replace(/,/g, '')) : null);
  }
  for (const [scope, g] of scopes) {
    const shown = readSection(sections.find((s) => s.heading === headingOf(scope, g))?.lines ?? []);
    const set = (label: string, value: number, printedHere: boolean) => {
      labels.add(label);
      truth.set(key({ scope, label }), value);
      const v = shown.get(label);
      // A count left out of a list is zero; the reader knows that too.
      if (v !== undefined && v !== null) {
        known.set(key({ scope, label }), v);
        printed++;
      } else if (v === undefined && printedHere && value === 0) known.set(key({ scope, label }), 0);
    };
    set(L.requests, g.requests, true);
    set(L.resolved, g.resolved, true);
    set(L.open, g.stillOpen, true);
    OUTCOMES.forEach((c) => set(L.outcome(c), g.outcomes[c], true));
    set(L.overnight, g.overnight, true);
    set(L.weekend, g.weekend, true);
    set(L.repeat, g.repeatDetentions, true);
    set(`${L.overnight}/children`, g.children?.overnight ?? 0, true);
    set(`${L.weekend}/children`, g.children?.weekend ?? 0, true);
    g.escalationLevels.forEach((l) => set(L.level(l.key), l.count, true));
    set(L.decline, g.declineReasons[0]?.count ?? 0, true);
    const failures = g.stayReasons[0]?.count ?? 0;
    set(L.stayFailure, failures, true);
    // Never printed, but implied: transferred, detained, and the complements of the subsets.
    set('transferred', g.transferred, false);
    set('detained', g.detained, false);
    for (const sub of [L.overnight, L.weekend, L.repeat])
      set(`not ${sub}`, g.detained - (truth.get(key({ scope, label: sub })) ?? 0), false);
    set(`not ${L.decline}`, g.resolved - (g.declineReasons[0]?.count ?? 0), false);
    const k = (label: string) => key({ scope, label });
    relations.push({ total: k(L.requests), parts: [k(L.resolved), k(L.open)] });
    relations.push({ total: k(L.resolved), parts: OUTCOMES.map((c) => k(L.outcome(c))) });
    relations.push({ total: k('transferred'), parts: TRANSFERRED.map((c) => k(L.outcome(c))) });
    relations.push({ total: k('detained'), parts: DETAINED.map((c) => k(L.outcome(c))) });
    relations.push({ total: k(L.resolved), parts: g.escalationLevels.map((l) => k(L.level(l.key))) });
    for (const sub of [L.overnight, L.weekend, L.repeat])
      relations.push({ total: k('detained'), parts: [k(sub), k(`not ${sub}`)] });
    relations.push({ total: k(L.resolved), parts: [k(L.decline), k(`not ${L.decline}`)] });
    // The stay reasons are part of the detentions; the rest is implied.
    set('detained~stay', g.detained - failures, false);
    relations.push({ total: k('detained'), parts: [k(L.stayFailure), k('detained~stay')] });
    // The principle-6 line of a local authority (or all) is its authority-failure stays.
    if (!scope.startsWith('suite:')) {
      const line = principle6.get(scope === 'all' ? 'All local authorities' : g.name);
      truth.set(k('principle6'), failures);
      if (line !== undefined && line !== null) known.set(k('principle6'), line);
      relations.push({ total: k('principle6'), parts: [k(L.stayFailure)] });
    }
    // Detentions = children + the detentions of children already counted.
    for (const sub of [L.overnight, L.weekend]) {
      set(`${sub}/again`, (truth.get(k(sub)) ?? 0) - (truth.get(k(`${sub}/children`)) ?? 0), false);
      relations.push({ total: k(sub), parts: [k(`${sub}/children`), k(`${sub}/again`)] });
    }
  }
  // The summary prints the totals' transferred and detained, and the requests open now.
  const summary = readSection(sections.find((s) => s.heading === 'Summary')?.lines ?? []);
  const fromSummary = (label: string, cell: string) => {
    const v = summary.get(label);
    if (v !== undefined && v !== null) known.set(cell, v);
  };
  fromSummary(
    'Transferred to local authority accommodation/Transferred to local authority accommodation',
    key({ scope: 'all', label: 'transferred' }),
  );
  fromSummary(
    'Transferred to local authority accommodation/held in police detention',
    key({ scope: 'all', label: 'detained' }),
  );
  fromSummary('Held overnight/Held overnight', key({ scope: 'all', label: L.overnight }));
  truth.set('openNow', f.openNow.count);
  truth.set('openOther', f.openNow.count - f.total.stillOpen);
  fromSummary('Requests open now (made at any time)/Requests open now (made at any time)', 'openNow');
  relations.push({ total: 'openNow', parts: [key({ scope: 'all', label: L.open }), 'openOther'] });
  // Columns: the total is the sum over suites, and over local authorities (not for children: one
  // child can be held in two suites).
  for (const label of [...labels].filter((l) => !l.includes('/children') && !l.includes('/again'))) {
    for (const kind of ['suite', 'la']) {
      relations.push({
        total: key({ scope: 'all', label }),
        parts: scopes.filter(([s]) => s.startsWith(`${kind}:`)).map(([s]) => key({ scope: s, label })),
      });
    }
  }
  const printedSmall = [...known].filter(([, v]) => v >= 1 && v <= 4).map(([k]) => k);
  // Subtract until nothing new comes back.
  const derived: string[] = [];
  for (let changed = true; changed;) {
    changed = false;
    for (const r of relations) {
      const cells = [r.total, ...r.parts];
      const unknown = cells.filter((c) => !known.has(c));
      if (unknown.length !== 1) continue;
      const u = unknown[0] as string;
      const sumParts = r.parts.reduce((a, c) => a + (known.get(c) ?? 0), 0);
      const value = u === r.total ? sumParts : (known.get(r.total) ?? 0) - sumParts;
      expect(value, `${u} worked out wrongly: the relations in this test are wrong`).toBe(truth.get(u));
      known.set(u, value);
      derived.push(u);
      changed = true;
    }
  }
  const recovered = derived.filter((c) => {
    const v = truth.get(c) ?? 0;
    return v >= 1 && v <= 4;
  });
  return { printedSmall, recovered, printed, derived };
}

describe('the suppression attack', () => {
  it('finds small counts when suppression is off (so it is a real attack)', () => {
    const f = figuresOf(requests(1, 45), 6);
    const view = buildDigestView(f, { forceName: 'X', suppressSmallCounts: false });
    const r = attack(f, view.sections);
    expect(r.printed).toBeGreaterThan(60);
    expect(r.printedSmall.length).toBeGreaterThan(10);
    expect(r.recovered.length).toBeGreaterThan(5); // weekday detentions and the like, never printed
  });

  it('gets no count of 1 to 4 back by any subtraction, over many small data sets', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rows = requests(seed, 12 + (seed % 5) * 9);
      const f = figuresOf(rows, f0(rows) + (seed % 3));
      const view = buildDigestView(f, { forceName: 'X', suppressSmallCounts: true });
      const r = attack(f, view.sections);
      expect(r.printedSmall, `seed ${seed}: printed`).toEqual([]);
      expect(r.recovered, `seed ${seed}: derived`).toEqual([]);
      const text = view.sections.flatMap((s) => s.lines).join('\n');
      expect(text, `seed ${seed}`).not.toMatch(/transferred of/);
    }
  });

  it('reads the principle-6 lines and the stay reasons from the text (so the attack covers them)', () => {
    const rows = requests(5, 45);
    const f = figuresOf(rows, f0(rows));
    const view = buildDigestView(f, { forceName: 'X', suppressSmallCounts: false });
    const lines = view.sections.find((s) => s.heading.startsWith('Local authority did not provide'))?.lines;
    expect(lines).toEqual([
      ...f.byLocalAuthority.map(
        (g) => `${g.name}: ${g.stayReasons[0]?.count} detention${g.stayReasons[0]?.count === 1 ? '' : 's'}`,
      ),
      `All local authorities: ${f.total.stayReasons[0]?.count} detentions`,
    ]);
    const all = readSection(view.sections.find((s) => s.heading === 'All requests')?.lines ?? []);
    expect(all.get(L.stayFailure)).toBe(f.total.stayReasons[0]?.count);
  });

  it('reads distinct children and entered in error from the text (so the attack covers them)', () => {
    const rows = requests(3, 45);
    const f = figuresOf(rows, f0(rows));
    const view = buildDigestView(f, { forceName: 'X', suppressSmallCounts: false });
    const all = readSection(view.sections.find((s) => s.heading === 'All requests')?.lines ?? []);
    expect(all.get(`${L.overnight}/children`)).toBe(f.total.children?.overnight);
    expect(f.total.children!.overnight).toBeLessThan(f.total.overnight);
    expect(f.total.enteredInError).toBeGreaterThan(0);
    const shown = buildDigestView(f, { forceName: 'X', suppressSmallCounts: true });
    const line =
      shown.sections[0]?.lines.find((l) => l.startsWith('Requests cancelled as entered in error:')) ?? '';
    expect(line).toMatch(/^Requests cancelled as entered in error: (0|<5|\d{2,}|[5-9]) \(/);
  });

  it('prints the rate as withheld with nothing else beside it', () => {
    const rows = requests(7, 20);
    const f = figuresOf(rows, f0(rows));
    const lines = buildDigestView(f, { forceName: 'X', suppressSmallCounts: true }).sections.flatMap(
      (s) => s.lines,
    );
    for (const l of lines.filter((x) => x.startsWith('Transfer rate:'))) {
      expect(l).toMatch(/^Transfer rate: (withheld \(small numbers\)|\d+%|n\/a)$/);
    }
  });
});

function f0(rows: readonly Req[]): number {
  return rows.filter((q) => q.outcome === null).length;
}

describe('the chart under suppression', () => {
  const weeks: TrendPoint[] = Array.from({ length: 13 }, (_, i) => {
    const d = new Date(Date.UTC(2026, 0, 5 + 7 * i));
    return {
      weekStart: d.toISOString().slice(0, 10),
      requests: (i % 4) + 2,
      detained: i % 3,
      transferred: (i % 2) + 1,
    };
  });

  it('switches to months, and no withheld bar comes back from the series totals', () => {
    const s = trendSeries(weeks, true);
    expect(s.buckets.length).toBeLessThan(5);
    expect(s.buckets.every((b) => b.weeks >= 1)).toBe(true);
    const series = { requests: s.requests, held: s.held, transferred: s.transferred ?? [] };
    const truth = {
      requests: s.buckets.map((b) => b.requests),
      held: s.buckets.map((b) => b.held),
      transferred: s.buckets.map((b) => b.transferred ?? 0),
    };
    for (const m of ['requests', 'held', 'transferred'] as const) {
      const shown = series[m];
      // Printed values are never small.
      for (const v of shown) if (v !== null) expect(v === 0 || v >= 5).toBe(true);
      // Series total minus the other bars; and, per month, requests minus held and transferred.
      const hidden = shown.flatMap((v, i) => (v === null ? [i] : []));
      expect(hidden.length === 0 || hidden.length >= 2).toBe(true);
    }
    s.buckets.forEach((_, i) => {
      const unknown = (['requests', 'held', 'transferred'] as const).filter((m) => series[m][i] === null);
      if (unknown.length === 1 && unknown[0] !== 'requests') {
        // requests = held + transferred + other (not plotted): one missing bar is not determined.
        expect(truth.requests[i]).toBeGreaterThanOrEqual(0);
      }
    });
  });
});
