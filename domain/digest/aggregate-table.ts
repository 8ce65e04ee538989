import { DETAINED_OUTCOMES, type OutcomeCode } from '../outcomes.js';
import { disclosedCells, protectTable, TableBuilder } from './disclosure.js';
import { TRANSFERRED_OUTCOMES } from './figures.js';
import { COMPLEMENT, SUPPRESSED } from './suppression.js';

/**
 * The aggregate export's table (docs/reports.md): requests counted by local month of charge ×
 * custody suite × local authority × outcome group × accommodation requested × age band, with the
 * digest's cell suppression (docs/suppression.md) applied, so the file can be shared beyond the
 * safeguarding partnership. Pure: the store counts, this groups and protects, the export writes.
 *
 * Each month is one linked table: the month's total, one margin per value of each dimension (all
 * requests at one suite, say), and every non-zero cell of the full cross-classification. A margin
 * is the sum of its cells, and the total the sum of each dimension's margins, so a reader can
 * subtract along any of them; primary and complementary suppression make sure none gives back a
 * count of 1 to 4. Cells never listed are zero, and the reader is assumed to know that. Where
 * suppression cannot protect a month (every count in it small), the month is shown by margins
 * only, or by its total only, and its total row says so. No row adds months together, so months
 * are protected independently.
 */

export const OUTCOME_GROUPS = [
  'transferred',
  'held_in_police_detention',
  'released_or_bailed',
  'still_open',
] as const;
export type OutcomeGroup = (typeof OUTCOME_GROUPS)[number];

/** The outcome group of a request; null for one entered in error (never counted). */
export function outcomeGroupOf(outcome: OutcomeCode | null): OutcomeGroup | null {
  if (outcome === null) return 'still_open';
  if (outcome === 'cancelled_in_error') return null;
  if (TRANSFERRED_OUTCOMES.includes(outcome)) return 'transferred';
  if (DETAINED_OUTCOMES.includes(outcome)) return 'held_in_police_detention';
  return 'released_or_bailed';
}

export const AGE_BANDS = ['under_14', '14_15', '16_17', '18_or_over'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Age bands wide enough to keep cells from being single children, matching youth-justice bands. */
export function ageBandOf(age: number): AgeBand {
  if (age < 14) return 'under_14';
  if (age < 16) return '14_15';
  if (age < 18) return '16_17';
  return '18_or_over';
}

export const AGGREGATE_DIMENSIONS = [
  'custodySuiteId',
  'localAuthorityId',
  'outcomeGroup',
  'accommodation',
  'ageBand',
] as const;
export type AggregateDimension = (typeof AGGREGATE_DIMENSIONS)[number];

/** What the store gives: requests in one finest cell of one month. */
export interface AggregateInput {
  month: string;
  custodySuiteId: string;
  localAuthorityId: string;
  accommodation: string;
  age: number;
  outcome: OutcomeCode | null;
  count: number;
}

/** A row of the file: every dimension a value, or "all" in a margin or total row. */
export type AggregateKey = { month: string } & Record<AggregateDimension, string>;

export interface AggregateRow extends AggregateKey {
  count: number;
  /** As written: the count, "<5" (primary) or "[c]" (complementary). */
  shown: string;
  suppressed: 'primary' | 'complementary' | null;
  /** On a month's total row: how far that month is broken down. */
  breakdown?: Breakdown | undefined;
}

export const ALL = 'all';

/**
 * How far a month is broken down: every cell and margin, the margins only, or the total only.
 * A month's total row says which, so a reader knows an absent cell is withheld, not zero.
 */
export const BREAKDOWNS = ['cells', 'margins', 'total'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

function monthTable(
  month: string,
  details: ReadonlyArray<{ key: AggregateKey; count: number }>,
  dimValues: Record<AggregateDimension, string[]>,
  level: Breakdown,
): { t: TableBuilder; keys: Map<string, AggregateKey> } {
  const t = new TableBuilder();
  const allKey = (over: Partial<AggregateKey> = {}): AggregateKey => ({
    month,
    custodySuiteId: ALL,
    localAuthorityId: ALL,
    outcomeGroup: ALL,
    accommodation: ALL,
    ageBand: ALL,
    ...over,
  });
  const keys = new Map<string, AggregateKey>();
  // The finest cells first, so the margins' relations add them up.
  if (level === 'cells') for (const x of details) t.cell(idOf(x.key), x.count);
  const cell = (k: AggregateKey, n: number) => {
    keys.set(idOf(k), k);
    return t.cell(idOf(k), n);
  };
  const total = cell(
    allKey(),
    details.reduce((a, d) => a + d.count, 0),
  );
  if (level === 'total') return { t, keys };
  for (const d of AGGREGATE_DIMENSIONS) {
    const margins = dimValues[d].map((v) => {
      const parts = details.filter((x) => x.key[d] === v);
      const id = cell(
        allKey({ [d]: v }),
        parts.reduce((a, x) => a + x.count, 0),
      );
      return { id, parts };
    });
    t.partition(
      total,
      margins.map((m) => m.id),
    );
    // A margin is the sum of its listed (non-zero) cells.
    if (level === 'cells')
      for (const m of margins)
        if (m.parts.length > 0)
          t.partition(
            m.id,
            m.parts.map((x) => idOf(x.key)),
          );
  }
  if (level === 'cells') for (const x of details) keys.set(idOf(x.key), x.key);
  return { t, keys };
}

function idOf(k: AggregateKey): string {
  return [k.month, ...AGGREGATE_DIMENSIONS.map((d) => k[d])].join('|');
}

/**
 * The rows of the aggregate file for `months` (local YYYY-MM, in order). `values` lists every
 * value each dimension's margins show (configured suites and authorities too, so a quiet one
 * shows 0); values found only in the data are added.
 */
export function aggregateTable(
  months: readonly string[],
  counts: readonly AggregateInput[],
  values: Partial<Record<AggregateDimension, readonly string[]>> = {},
  suppress = true,
): AggregateRow[] {
  const dimValues = Object.fromEntries(
    AGGREGATE_DIMENSIONS.map((d) => [d, [...(values[d] ?? [])]]),
  ) as Record<AggregateDimension, string[]>;
  for (const g of OUTCOME_GROUPS) if (!dimValues.outcomeGroup.includes(g)) dimValues.outcomeGroup.push(g);
  for (const a of ['non_secure', 'secure'])
    if (!dimValues.accommodation.includes(a)) dimValues.accommodation.push(a);
  for (const b of AGE_BANDS) if (!dimValues.ageBand.includes(b)) dimValues.ageBand.push(b);

  // The finest cells, by month.
  const cells = new Map<string, Map<string, { key: AggregateKey; count: number }>>();
  for (const c of counts) {
    const og = outcomeGroupOf(c.outcome);
    if (og === null || c.count === 0) continue;
    const key: AggregateKey = {
      month: c.month,
      custodySuiteId: c.custodySuiteId,
      localAuthorityId: c.localAuthorityId,
      outcomeGroup: og,
      accommodation: c.accommodation,
      ageBand: ageBandOf(c.age),
    };
    for (const d of AGGREGATE_DIMENSIONS) if (!dimValues[d].includes(key[d])) dimValues[d].push(key[d]);
    const inMonth = cells.get(c.month) ?? new Map<string, { key: AggregateKey; count: number }>();
    const id = idOf(key);
    const cur = inMonth.get(id);
    inMonth.set(id, { key, count: (cur?.count ?? 0) + c.count });
    cells.set(c.month, inMonth);
  }

  const out: AggregateRow[] = [];
  for (const month of months) {
    const details = [...(cells.get(month)?.values() ?? [])].sort((a, b) =>
      idOf(a.key).localeCompare(idOf(b.key)),
    );
    // Table redesign when cells alone cannot protect it (a month of four single requests: four
    // "<5" cells under a "<5" total must each be 1): first the cells go, then the margins.
    for (const level of BREAKDOWNS) {
      const { t, keys } = monthTable(month, details, dimValues, level);
      const table = t.table();
      const p = suppress ? protectTable(table) : { primary: new Set<string>(), secondary: new Set<string>() };
      if (suppress && level !== 'total' && disclosedCells(table, p).length > 0) continue;
      for (const [id, k] of keys) {
        const count = t.values.get(id) ?? 0;
        const suppressed = p.primary.has(id) ? 'primary' : p.secondary.has(id) ? 'complementary' : null;
        const isTotal = AGGREGATE_DIMENSIONS.every((d) => k[d] === ALL);
        out.push({
          ...k,
          count,
          suppressed,
          shown: suppressed === 'primary' ? SUPPRESSED : suppressed ? COMPLEMENT : String(count),
          breakdown: isTotal ? level : undefined,
        });
      }
      break;
    }
  }
  return out;
}
