/**
 * Digest figures against a seeded store: every figure of three periods (the spring-DST week, the
 * autumn-DST day, and a half-year range) checked against an expectation computed here, in plain
 * TypeScript, from the seed list (ground-truth children, not pseudonyms; not the SQL under test).
 * Runs on PGlite always and on Postgres when DATABASE_URL_TEST is set.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gatherDigestFigures } from '../../activities/digest/gather-figures.js';
import type { DigestFigures, GroupFigures } from '../../domain/digest/figures.js';
import { computePeriod, type DigestPeriod } from '../../domain/digest/period.js';
import { buildDigestView, renderDigestText } from '../../domain/digest/view.js';
import type { OutcomeCode } from '../../domain/outcomes.js';
import type { Store } from '../../store/open-store.js';
import {
  countExportRows,
  exportPage,
  type ExportCursor,
  type ExportRow,
} from '../../store/digest-queries.js';
import {
  buildSeed,
  LAS,
  plainIdentities,
  seedStore,
  SUITES,
  testProtocol,
  type SeedRequest,
} from '../activities/digest/seed.js';
import { describeEachBackend } from './helpers.js';

const ZONE = 'Europe/London';
const YEAR_MS = 365 * 86_400_000;
const GENERATED_AT = '2026-12-01T08:00:00.000Z';
const DETAINED: OutcomeCode[] = [
  'detained_no_bed_non_secure',
  'detained_no_secure_bed',
  'detained_impracticable',
  'court_before_transfer',
];
const TRANSFERRED: OutcomeCode[] = ['transferred_non_secure', 'transferred_secure'];
const CODES: OutcomeCode[] = [
  'transferred_non_secure',
  'transferred_secure',
  'detained_no_bed_non_secure',
  'detained_no_secure_bed',
  'detained_impracticable',
  'released_or_bailed',
  'court_before_transfer',
  'cancelled_in_error',
];

// ---------------------------------------------------------------------------------------------
// The expectation, from the seed list

function interpolated(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const rank = p * (s.length - 1);
  const lo = Math.floor(rank);
  const frac = rank - lo;
  const a = s[lo] as number;
  return frac === 0 ? a : a + ((s[lo + 1] as number) - a) * frac;
}

const t = (iso: string) => Date.parse(iso);

function countBy<K extends string | number>(keys: K[]): Array<{ key: K; count: number }> {
  const m = new Map<K, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m].map(([key, count]) => ({ key, count }));
}

function sortReasons(xs: Array<{ key: string; count: number }>) {
  return xs.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** Repeat detentions by ground truth (the child's index), for a period. */
function expectedRepeats(seed: SeedRequest[], from: number, to: number) {
  const detained = seed.filter((s) => s.outcome && DETAINED.includes(s.outcome.outcome));
  const events: SeedRequest[] = [];
  const byChild = new Map<number, Set<SeedRequest>>();
  for (const d of detained) {
    const at = t(d.request.chargedAt);
    if (at < from || at >= to) continue;
    const earlier = detained.filter(
      (e) =>
        e !== d &&
        e.child.index === d.child.index &&
        t(e.request.chargedAt) >= at - YEAR_MS &&
        t(e.request.chargedAt) < at,
    );
    if (earlier.length === 0) continue;
    events.push(d);
    const set = byChild.get(d.child.index) ?? new Set();
    set.add(d);
    earlier.forEach((e) => set.add(e));
    byChild.set(d.child.index, set);
  }
  return { events, byChild };
}

const inError = (s: SeedRequest) => s.outcome?.outcome === 'cancelled_in_error';

function expectedGroup(seed: SeedRequest[], from: number, to: number, keep: (s: SeedRequest) => boolean) {
  const charged = seed.filter(
    (s) => t(s.request.chargedAt) >= from && t(s.request.chargedAt) < to && keep(s),
  );
  // Entered in error: left out of everything, and counted on its own.
  const cohort = charged.filter((s) => !inError(s));
  const resolved = cohort.filter((s) => s.outcome);
  const distinctChildren = (xs: SeedRequest[]) => new Set(xs.map((s) => s.child.index)).size;
  const detainedRows = resolved.filter((s) => DETAINED.includes(s.outcome!.outcome));
  const outcomes = Object.fromEntries(
    CODES.map((c) => [c, resolved.filter((s) => s.outcome?.outcome === c).length]),
  );
  const ms = (a: string | undefined, b: string | undefined) => (a && b ? t(a) - t(b) : undefined);
  const timing = (vals: Array<number | undefined>) => {
    const v = vals.filter((x): x is number => x !== undefined);
    return { n: v.length, medianMs: interpolated(v, 0.5), p90Ms: interpolated(v, 0.9) };
  };
  const repeats = expectedRepeats(seed, from, to).events.filter(keep);
  return {
    requests: cohort.length,
    resolved: resolved.length,
    stillOpen: cohort.length - resolved.length,
    outcomes,
    transferred: resolved.filter((s) => TRANSFERRED.includes(s.outcome!.outcome)).length,
    detained: resolved.filter((s) => DETAINED.includes(s.outcome!.outcome)).length,
    overnight: resolved.filter((s) => s.outcome!.overnight).length,
    weekend: resolved.filter((s) => s.outcome!.weekend).length,
    children: {
      detained: distinctChildren(detainedRows),
      overnight: distinctChildren(resolved.filter((s) => s.outcome!.overnight)),
      weekend: distinctChildren(resolved.filter((s) => s.outcome!.weekend)),
    },
    enteredInError: charged.filter(inError).length,
    repeatDetentions: repeats.length,
    escalationLevels: countBy(resolved.map((s) => s.outcome!.escalationLevel)).sort((a, b) => a.key - b.key),
    timings: {
      chargeToRequest: timing(cohort.map((s) => ms(s.request.requestedAt, s.request.chargedAt))),
      requestToAcknowledged: timing(
        resolved.map((s) => ms(s.outcome!.acknowledgedAt, s.request.requestedAt)),
      ),
      requestToBedOffered: timing(resolved.map((s) => ms(s.outcome!.bedOfferedAt, s.request.requestedAt))),
      requestToLeftCustody: timing(resolved.map((s) => ms(s.outcome!.leftCustodyAt, s.request.requestedAt))),
    },
    declineReasons: sortReasons(countBy(resolved.flatMap((s) => [...new Set(s.outcome!.declineReasons)]))),
    stayReasons: sortReasons(
      countBy(resolved.flatMap((s) => (s.outcome!.stayReason ? [s.outcome!.stayReason] : []))),
    ),
  };
}

/** Timings compared to the microsecond; everything else exactly. */
function expectGroup(
  actual: GroupFigures | undefined,
  expected: ReturnType<typeof expectedGroup>,
  label: string,
) {
  expect(actual, label).toBeDefined();
  const { timings, ...rest } = actual!;
  const { timings: expTimings, ...expRest } = expected;
  expect({ ...rest, id: undefined, name: undefined }, label).toEqual({
    ...expRest,
    id: undefined,
    name: undefined,
  });
  for (const [k, v] of Object.entries(expTimings)) {
    const a = timings[k as keyof typeof timings];
    expect(a.n, `${label} ${k} n`).toBe(v.n);
    for (const f of ['medianMs', 'p90Ms'] as const) {
      if (v[f] === null) expect(a[f], `${label} ${k} ${f}`).toBeNull();
      else expect(a[f], `${label} ${k} ${f}`).toBeCloseTo(v[f], 3);
    }
  }
}

function checkAll(f: DigestFigures, seed: SeedRequest[], refs: Map<string, string>) {
  const from = t(f.period.from);
  const to = t(f.period.to);
  expectGroup(
    f.total,
    expectedGroup(seed, from, to, () => true),
    'total',
  );
  // Every configured suite and LA is listed (zeros too), then the retired suite found in the data.
  const suitesInData = new Set(
    seed
      .filter((s) => t(s.request.chargedAt) >= from && t(s.request.chargedAt) < to)
      .map((s) => s.request.custodySuiteId),
  );
  expect(f.bySuite.map((g) => g.id)).toEqual(
    SUITES.filter((s) => s !== 'retired-suite' || suitesInData.has(s)),
  );
  for (const id of SUITES) {
    const g = f.bySuite.find((x) => x.id === id);
    if (id === 'retired-suite' && !suitesInData.has(id)) continue;
    expectGroup(
      g,
      expectedGroup(seed, from, to, (s) => s.request.custodySuiteId === id),
      `suite ${id}`,
    );
  }
  expect(f.byLocalAuthority.map((g) => g.id)).toEqual([...LAS]);
  for (const id of LAS) {
    expectGroup(
      f.byLocalAuthority.find((x) => x.id === id),
      expectedGroup(seed, from, to, (s) => s.request.localAuthorityId === id),
      `la ${id}`,
    );
  }

  // Repeat detentions: the children, and the custody records listed for each.
  const { byChild } = expectedRepeats(seed, from, to);
  const expectedLists = [...byChild.values()]
    .map((set) =>
      [...set]
        .sort((a, b) => t(a.request.chargedAt) - t(b.request.chargedAt))
        .map((s) => `${s.request.custodyRecordNumber}${t(s.request.chargedAt) >= from ? '*' : ''}`)
        .join(' '),
    )
    .sort();
  const actualLists = f.repeatDetentions
    .map((c) => c.detentions.map((d) => `${d.custodyRecordNumber}${d.inPeriod ? '*' : ''}`).join(' '))
    .sort();
  expect(f.repeatChildren).toBe(byChild.size);
  if (byChild.size <= 30) expect(actualLists).toEqual(expectedLists);
  else {
    expect(actualLists).toHaveLength(30);
    for (const l of actualLists) expect(expectedLists).toContain(l);
  }
  for (const c of f.repeatDetentions) expect(c.childRef).toMatch(/^[0-9a-f]{10}$/);

  // Open now: every request with no outcome, made by the time of the digest; the oldest ten.
  const open = seed
    .filter((s) => !s.outcome && t(s.request.requestedAt) <= t(GENERATED_AT))
    .sort(
      (a, b) =>
        t(a.request.requestedAt) - t(b.request.requestedAt) ||
        a.request.workflowId.localeCompare(b.request.workflowId),
    );
  expect(f.openNow.count).toBe(open.length);
  expect(f.openNow.oldest.map((o) => o.caseRef)).toEqual(
    open.slice(0, 10).map((s) => refs.get(s.request.workflowId)),
  );

  // Trend: requests, detentions and transfers per local Monday week, by charge time.
  for (const w of f.trend) {
    const inWeek = seed.filter(
      (s) =>
        !inError(s) &&
        DateTime.fromISO(s.request.chargedAt, { zone: ZONE }).startOf('week').toISODate() === w.weekStart,
    );
    expect({
      week: w.weekStart,
      requests: w.requests,
      detained: w.detained,
      transferred: w.transferred,
    }).toEqual({
      week: w.weekStart,
      requests: inWeek.length,
      detained: inWeek.filter((s) => s.outcome && DETAINED.includes(s.outcome.outcome)).length,
      transferred: inWeek.filter((s) => s.outcome && TRANSFERRED.includes(s.outcome.outcome)).length,
    });
  }

  // The previous period: the same length, just before, with the same figures for its total.
  const prev = f.previous!;
  const localDays = (p: DigestPeriod) =>
    DateTime.fromISO(p.lastDay, { zone: ZONE }).diff(DateTime.fromISO(p.firstDay, { zone: ZONE }), 'days')
      .days + 1;
  expect(t(prev.period.to)).toBe(from);
  // The same number of local days (hours differ across a clock change).
  expect(localDays(prev.period)).toBe(localDays(f.period));
  expectGroup(
    prev.total,
    expectedGroup(seed, t(prev.period.from), t(prev.period.to), () => true),
    'previous total',
  );
  expect(f.trend.length).toBeGreaterThanOrEqual(12);
}

// ---------------------------------------------------------------------------------------------

describeEachBackend('digest queries on $name', (backend) => {
  const seed = buildSeed();
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

  const figuresFor = (period: DigestPeriod) => gatherDigestFigures(store.sql, protocol, period, GENERATED_AT);

  it('the seed is what the tests need: hundreds of requests, repeats, overnight and DST cases', () => {
    expect(seed.length).toBeGreaterThanOrEqual(370);
    expect(seed.filter((s) => !s.outcome).length).toBeGreaterThan(10);
    expect(seed.filter((s) => s.outcome?.overnight).length).toBeGreaterThan(50);
    const months = new Set(seed.map((s) => s.request.chargedAt.slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(10);
    const all = expectedRepeats(seed, t('2026-01-01T00:00:00Z'), t('2027-01-01T00:00:00Z'));
    expect(all.byChild.size).toBeGreaterThan(5);
  });

  it('weekly digest for the spring-DST week (Mon 23 – Sun 29 March 2026): every figure', async () => {
    const period = computePeriod({ kind: 'weekly', now: '2026-03-31T07:00:00Z', timeZone: ZONE });
    expect([period.from, period.to]).toEqual(['2026-03-23T00:00:00.000Z', '2026-03-29T23:00:00.000Z']);
    const f = await figuresFor(period);
    checkAll(f, seed, refs);
    // Charges on the DST Sunday are in; 00:15 BST on Monday is not.
    const inWeek = (iso: string) => seed.some((s) => s.request.chargedAt === iso);
    expect(inWeek('2026-03-29T22:45:00.000Z')).toBe(true);
    const expectedCount = seed.filter(
      (s) =>
        !inError(s) &&
        s.request.chargedAt >= '2026-03-23T00:00:00.000Z' &&
        s.request.chargedAt < '2026-03-29T23:00:00.000Z',
    ).length;
    expect(f.total.requests).toBe(expectedCount);
    // The bridged child (PNC one night, name+DOB another) is a repeat this week.
    const bridge = f.repeatDetentions.find((c) =>
      c.detentions.some((d) => d.custodyRecordNumber === 'CR/26/10382'),
    );
    expect(bridge?.detentions.map((d) => d.custodyRecordNumber)).toEqual(['CR/26/10380', 'CR/26/10382']);
    expect(f.total.repeatDetentions).toBeGreaterThanOrEqual(1);
  });

  it('daily digest for the autumn-DST day (Sun 25 October 2026, 25 hours): every figure', async () => {
    const period = computePeriod({ kind: 'daily', now: '2026-10-26T07:30:00Z', timeZone: ZONE });
    expect([period.from, period.to]).toEqual(['2026-10-24T23:00:00.000Z', '2026-10-26T00:00:00.000Z']);
    const f = await figuresFor(period);
    checkAll(f, seed, refs);
    // 00:30 BST and both 01:30s are in; 23:30 BST Saturday and 00:10 GMT Monday are not.
    expect(f.total.requests).toBe(
      seed.filter(
        (s) =>
          !inError(s) &&
          s.request.chargedAt >= '2026-10-24T23:00:00.000Z' &&
          s.request.chargedAt < '2026-10-26T00:00:00.000Z',
      ).length,
    );
    expect(f.total.requests).toBeGreaterThanOrEqual(4);
  });

  it('range digest for January to June 2026: every figure, and the text names no child', async () => {
    const period = computePeriod({
      kind: 'range',
      now: GENERATED_AT,
      timeZone: ZONE,
      from: '2026-01-01',
      to: '2026-06-30',
    });
    const f = await figuresFor(period);
    checkAll(f, seed, refs);
    expect(f.total.requests).toBeGreaterThan(150);
    expect(f.total.timings.requestToLeftCustody.n).toBeGreaterThan(20);
    expect(f.trend).toHaveLength(27);
    // The seed exercises what the new figures are for: a child held twice, a request in error.
    expect(f.total.children!.detained).toBeLessThan(f.total.detained);
    expect(f.total.enteredInError).toBeGreaterThan(0);
    expect(f.total.outcomes.cancelled_in_error).toBe(0);

    const text = renderDigestText(
      buildDigestView(f, { forceName: protocol.force.name, suppressSmallCounts: false }),
    );
    for (const plain of plainIdentities(seed)) expect(text).not.toContain(plain);
    expect(text).toContain('Custody suite: Northampton Criminal Justice Centre');
    expect(text).toContain('Local authority: Milton Keynes City Council');
    expect(text).toContain(`Requests: ${f.total.requests} ·`);
  });

  it('with suppression on, no count of 1–4 and no case reference appears', async () => {
    const period = computePeriod({ kind: 'weekly', now: '2026-03-31T07:00:00Z', timeZone: ZONE });
    const f = await figuresFor(period);
    const view = buildDigestView(f, { forceName: 'Test', suppressSmallCounts: true });
    const text = renderDigestText(view);
    // Every count printed is 0, "<5" or ≥ 5. (Escalation level numbers are labels, not counts.)
    const smallCounts = (v: typeof view) =>
      v.sections
        .flatMap((s) => s.lines)
        .filter((l) => !l.startsWith('Small-count suppression is on'))
        // A change on the previous period is the difference of two printed counts, not a count.
        .map((l) => l.replace(/, [↑↓] [\d,]+( points)?\)/g, ')'))
        .flatMap((l) =>
          [...l.replace(/level \d+/g, 'level').matchAll(/(?<![\w.:/<-])[1-4](?![\w.%:/-])/g)].map(() => l),
        );
    expect(smallCounts(view)).toEqual([]);
    // The same check does find small counts when suppression is off (so it is a real check).
    expect(
      smallCounts(buildDigestView(f, { forceName: 'Test', suppressSmallCounts: false })).length,
    ).toBeGreaterThan(5);
    expect(text).toContain('<5');
    for (const ref of refs.values()) expect(text).not.toContain(ref);
    expect(text).not.toMatch(/CR\/26\//);
  });

  it('export pages by keyset: every row once, in charge order, across page boundaries', async () => {
    const range = { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z', windowMs: YEAR_MS };
    const total = await countExportRows(store.sql, range);
    expect(total).toBe(seed.length);
    const rows: ExportRow[] = [];
    let cursor: ExportCursor | null = null;
    for (;;) {
      const page = await exportPage(store.sql, range, cursor, 37);
      if (page.length === 0) break;
      rows.push(...page);
      cursor = page[page.length - 1]!.cursor;
    }
    expect(rows).toHaveLength(seed.length);
    expect(new Set(rows.map((r) => r.caseRef)).size).toBe(seed.length);
    const sorted = [...rows].sort((a, b) => t(a.chargedAt) - t(b.chargedAt));
    expect(rows.map((r) => r.chargedAt)).toEqual(sorted.map((r) => r.chargedAt));
    const byRef = new Map(seed.map((s) => [refs.get(s.request.workflowId), s]));
    for (const r of rows) {
      const s = byRef.get(r.caseRef)!;
      expect(r.custodyRecordNumber).toBe(s.request.custodyRecordNumber);
      expect(r.outcome).toBe(s.outcome?.outcome);
      expect(r.declineReasons).toEqual(s.outcome?.declineReasons ?? []);
      expect(r.leftCustodyAt).toBe(s.outcome?.leftCustodyAt);
      expect(r.nextCourtSitting).toBe(s.request.nextCourtSitting);
      // Earlier detentions of the same child (ground truth) in the year before this charge.
      const earlier = seed.filter(
        (e) =>
          e !== s &&
          e.child.index === s.child.index &&
          e.outcome !== undefined &&
          DETAINED.includes(e.outcome.outcome) &&
          t(e.request.chargedAt) >= t(s.request.chargedAt) - YEAR_MS &&
          t(e.request.chargedAt) < t(s.request.chargedAt),
      );
      expect(r.earlierDetentions, r.caseRef).toBe(earlier.length);
    }
    expect(rows.filter((r) => r.earlierDetentions > 0).length).toBeGreaterThan(10);
    expect(
      await countExportRows(store.sql, { from: '2030-01-01T00:00:00Z', to: '2030-02-01T00:00:00Z' }),
    ).toBe(0);
  });
});
