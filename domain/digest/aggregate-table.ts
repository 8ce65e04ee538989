import {
  ETHNIC_GROUPS,
  ETHNICITY_CODES,
  SEX_CODES,
  SEX_GROUPS,
  ethnicGroupOf,
  sexGroupOf,
  type EthnicityCode,
  type SexCode,
} from '../demographics.js';
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
 *
 * Ethnicity and sex (docs/demographics.md) are not in the cross-classification: crossed with
 * everything else nearly every cell would be one child. Each is a margin of its own (a month's
 * requests by ethnic group, and by sex) and a two-way table with the outcome group (transferred,
 * held…, by ethnic group), linked to the month's total and its outcome-group margins, and
 * protected with them.
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

/** Margin-only dimensions, each crossed with the outcome group alone (docs/demographics.md). */
export const DEMOGRAPHIC_AGGREGATE_DIMENSIONS = ['ethnicGroup', 'sex'] as const;
export type DemographicAggregateDimension = (typeof DEMOGRAPHIC_AGGREGATE_DIMENSIONS)[number];
/** Every column of a row's key, in the file's order. */
export const AGGREGATE_KEY_DIMENSIONS = [
  ...AGGREGATE_DIMENSIONS,
  ...DEMOGRAPHIC_AGGREGATE_DIMENSIONS,
] as const;
export type AggregateKeyDimension = (typeof AGGREGATE_KEY_DIMENSIONS)[number];

function knownEthnicity(code: string | null | undefined): EthnicityCode | null {
  return code && (ETHNICITY_CODES as readonly string[]).includes(code) ? (code as EthnicityCode) : null;
}
function knownSex(code: string | null | undefined): SexCode | null {
  return code && (SEX_CODES as readonly string[]).includes(code) ? (code as SexCode) : null;
}

/** What the store gives: requests in one finest cell of one month. */
export interface AggregateInput {
  month: string;
  custodySuiteId: string;
  localAuthorityId: string;
  accommodation: string;
  age: number;
  outcome: OutcomeCode | null;
  /** The child's ethnicity and sex codes (NULL or absent: not recorded). */
  ethnicity?: string | null;
  sex?: string | null;
  count: number;
}

/** A row of the file: every dimension a value, or "all" in a margin or total row. */
export type AggregateKey = { month: string } & Record<AggregateKeyDimension, string>;

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

/** A month's requests by one demographic value and outcome group (the two-way tables). */
type DemographicCells = Record<DemographicAggregateDimension, Map<string, Map<string, number>>>;

function emptyDemographic(): DemographicCells {
  return { ethnicGroup: new Map<string, Map<string, number>>(), sex: new Map<string, Map<string, number>>() };
}

function monthTable(
  month: string,
  details: ReadonlyArray<{ key: AggregateKey; count: number }>,
  demographic: DemographicCells,
  dimValues: Record<AggregateKeyDimension, string[]>,
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
    ethnicGroup: ALL,
    sex: ALL,
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
  // Ethnicity and sex: a margin per value, adding up to the total, and a two-way table with the
  // outcome group, whose rows add up to those margins and whose columns to the outcome margins.
  for (const d of DEMOGRAPHIC_AGGREGATE_DIMENSIONS) {
    const byValue = demographic[d];
    const margins = dimValues[d].map((v) => {
      const byGroup = byValue.get(v) ?? new Map<string, number>();
      return {
        v,
        id: cell(
          allKey({ [d]: v }),
          [...byGroup.values()].reduce((a, n) => a + n, 0),
        ),
        byGroup,
      };
    });
    t.partition(
      total,
      margins.map((m) => m.id),
    );
    const pairs = new Map<string, string[]>();
    for (const m of margins) {
      const ids = dimValues.outcomeGroup.map((g) => {
        const id = cell(allKey({ [d]: m.v, outcomeGroup: g }), m.byGroup.get(g) ?? 0);
        pairs.set(g, [...(pairs.get(g) ?? []), id]);
        return id;
      });
      t.partition(m.id, ids);
    }
    for (const g of dimValues.outcomeGroup)
      t.partition(idOf(allKey({ outcomeGroup: g })), pairs.get(g) ?? []);
  }
  if (level === 'cells') for (const x of details) keys.set(idOf(x.key), x.key);
  return { t, keys };
}

function idOf(k: AggregateKey): string {
  return [k.month, ...AGGREGATE_KEY_DIMENSIONS.map((d) => k[d])].join('|');
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
    AGGREGATE_KEY_DIMENSIONS.map((d) => [d, [...((values as Record<string, readonly string[]>)[d] ?? [])]]),
  ) as Record<AggregateKeyDimension, string[]>;
  dimValues.ethnicGroup = [...ETHNIC_GROUPS];
  dimValues.sex = [...SEX_GROUPS];
  const demographic = new Map<string, DemographicCells>();
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
      ethnicGroup: ALL,
      sex: ALL,
    };
    const demo: DemographicCells = demographic.get(c.month) ?? emptyDemographic();
    demographic.set(c.month, demo);
    const bump = (d: DemographicAggregateDimension, v: string) => {
      const byGroup = demo[d].get(v) ?? new Map<string, number>();
      byGroup.set(og, (byGroup.get(og) ?? 0) + c.count);
      demo[d].set(v, byGroup);
    };
    bump('ethnicGroup', ethnicGroupOf(knownEthnicity(c.ethnicity)));
    bump('sex', sexGroupOf(knownSex(c.sex)));
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
      const { t, keys } = monthTable(
        month,
        details,
        demographic.get(month) ?? emptyDemographic(),
        dimValues,
        level,
      );
      const table = t.table();
      const p = suppress ? protectTable(table) : { primary: new Set<string>(), secondary: new Set<string>() };
      if (suppress && level !== 'total' && disclosedCells(table, p).length > 0) continue;
      for (const [id, k] of keys) {
        const count = t.values.get(id) ?? 0;
        const suppressed = p.primary.has(id) ? 'primary' : p.secondary.has(id) ? 'complementary' : null;
        const isTotal = AGGREGATE_KEY_DIMENSIONS.every((d) => k[d] === ALL);
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
