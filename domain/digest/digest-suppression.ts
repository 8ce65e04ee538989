import {
  disclosedCells,
  protectTable,
  TableBuilder,
  type DisclosureTable,
  type Protection,
} from './disclosure.js';
import {
  DETAINED_OUTCOMES,
  OUTCOME_CODES,
  TRANSFERRED_OUTCOMES,
  type CountBy,
  type DigestFigures,
  type GroupFigures,
} from './figures.js';
import { authorityFailureOf, stayReasonSchema } from '../outcomes.js';
import { DEMOGRAPHIC_DIMENSIONS, DEMOGRAPHIC_MEASURES, demographicScope } from './disproportionality.js';
import { COMPLEMENT, groupThousands, SUPPRESSED } from './suppression.js';
import { protectTrend, trendBuckets, trendCellId, type TrendMeasure } from './trend.js';

/**
 * The digest's counts as one set of linked tables, protected together (docs/suppression.md):
 * every group (all, each suite, each local authority) is a row of the same measures, every
 * measure a column whose total is the "all" row, and within a group the counts add up
 * (requests = outcome recorded + still open, outcome recorded = the outcomes, and so on). Subsets
 * printed on their own (held overnight, at a weekend) bring their complement (not overnight,
 * weekday), which a reader can compute and which is protected like a printed count.
 */

export function cellId(scope: string, measure: string): string {
  return `${scope}|${measure}`;
}

export function scopeOf(kind: 'suite' | 'la', id: string): string {
  return `${kind}:${id}`;
}

interface Scoped {
  scope: string;
  g: GroupFigures;
}

function keysOf(
  groups: readonly Scoped[],
  pick: (g: GroupFigures) => ReadonlyArray<CountBy<string | number>>,
) {
  return [...new Set(groups.flatMap(({ g }) => pick(g).map((c) => String(c.key))))].sort();
}

function countOf(items: ReadonlyArray<CountBy<string | number>>, key: string): number {
  return items.filter((i) => String(i.key) === key).reduce((a, i) => a + i.count, 0);
}

function isAuthorityFailure(key: string): boolean {
  const reason = stayReasonSchema.safeParse(key);
  return reason.success && authorityFailureOf(reason.data) !== null;
}

/**
 * Detentions where the child stayed because the local authority provided no accommodation: the
 * stay reasons `authorityFailureOf` flags (Concordat principle 4), which the authority repays
 * under principle 6.
 */
export function authorityFailureDetentions(g: GroupFigures): number {
  return g.stayReasons.filter((r) => isAuthorityFailure(r.key)).reduce((a, r) => a + r.count, 0);
}

/** The digest's published counts with their protection: what each one prints as. */
export interface ProtectedCounts {
  table: DisclosureTable;
  protection: Protection;
  /** The count as printed: "12", "0", "<5" (primary) or "[c]" (complement). */
  text(id: string): string;
  hidden(id: string): boolean;
  /** The disproportionality rows could not be protected: the section is withheld. */
  demographicsWithheld?: boolean;
}

export function measuresOf(f: DigestFigures): string[] {
  const groups = [f.total, ...f.bySuite, ...f.byLocalAuthority].map((g) => ({ scope: 'all', g }));
  return [
    'requests',
    'resolved',
    'stillOpen',
    ...OUTCOME_CODES.map((c) => `outcome:${c}`),
    'transferred',
    'detained',
    'overnight',
    'weekend',
    'repeat',
    'authorityFailure',
    ...keysOf(groups, (g) => g.escalationLevels).map((k) => `level:${k}`),
    ...keysOf(groups, (g) => g.declineReasons).map((k) => `decline:${k}`),
    ...keysOf(groups, (g) => g.stayReasons).map((k) => `stay:${k}`),
  ];
}

function measureValue(g: GroupFigures, m: string): number {
  const [kind, key = ''] = m.split(':') as [string, string?];
  switch (kind) {
    case 'requests':
      return g.requests;
    case 'resolved':
      return g.resolved;
    case 'stillOpen':
      return g.stillOpen;
    case 'outcome':
      return g.outcomes[key as keyof GroupFigures['outcomes']] ?? 0;
    case 'transferred':
      return g.transferred;
    case 'detained':
      return g.detained;
    case 'overnight':
      return g.overnight;
    case 'weekend':
      return g.weekend;
    case 'repeat':
      return g.repeatDetentions;
    case 'authorityFailure':
      return authorityFailureDetentions(g);
    case 'level':
      return countOf(g.escalationLevels, key);
    case 'decline':
      return countOf(g.declineReasons, key);
    case 'stay':
      return countOf(g.stayReasons, key);
    default:
      return 0;
  }
}

export function buildDigestTable(f: DigestFigures): {
  builder: TableBuilder;
  fixedHidden: Set<string>;
  fixedShown: Set<string>;
} {
  const t = new TableBuilder();
  const measures = measuresOf(f);
  const groups: Scoped[] = [
    { scope: 'all', g: f.total },
    ...f.bySuite.map((g) => ({ scope: scopeOf('suite', g.id), g })),
    ...f.byLocalAuthority.map((g) => ({ scope: scopeOf('la', g.id), g })),
  ];
  for (const { scope, g } of groups) {
    const id = (m: string) => cellId(scope, m);
    for (const m of measures) t.cell(id(m), measureValue(g, m));
    const of = (prefix: string) => measures.filter((m) => m.startsWith(prefix)).map(id);
    t.partition(id('requests'), [id('resolved'), id('stillOpen')]);
    t.partition(id('resolved'), of('outcome:'));
    t.partition(
      id('transferred'),
      TRANSFERRED_OUTCOMES.map((c) => id(`outcome:${c}`)),
    );
    t.partition(
      id('detained'),
      DETAINED_OUTCOMES.map((c) => id(`outcome:${c}`)),
    );
    // Held overnight, at a weekend, again: detentions, each with its complement.
    for (const m of ['overnight', 'weekend', 'repeat']) t.subset([id('detained'), id('resolved')], id(m));
    t.partition(id('resolved'), of('level:'), id('resolved~levels'));
    for (const d of of('decline:')) t.subset([id('resolved')], d);
    if (of('stay:').length > 0) t.partition(id('detained'), of('stay:'), id('detained~stay'));
    // The principle-6 line is the sum of the stay reasons that are authority failures.
    t.partition(
      id('authorityFailure'),
      measures.filter((m) => m.startsWith('stay:') && isAuthorityFailure(m.slice('stay:'.length))).map(id),
    );
    addChildren(t, g, id);
  }
  // Columns: each measure's "all" is the sum over suites, and over local authorities.
  for (const m of measures) {
    for (const kind of ['suite', 'la'] as const) {
      const parts = groups.filter((x) => x.scope.startsWith(`${kind}:`)).map((x) => cellId(x.scope, m));
      if (parts.length > 0) t.partition(cellId('all', m), parts, `all|${m}~other-${kind}`);
    }
  }
  t.cell('openNow', f.openNow.count);
  // Entered in error: a count of its own, in no total (it is left out of all of them).
  t.cell('enteredInError', f.total.enteredInError ?? 0);
  t.subset(['openNow'], cellId('all', 'stillOpen'));
  t.cell('repeatChildren', f.repeatChildren);

  // When the digest covers exactly the (monthly) chart's span, the chart's bars add up to the
  // digest's totals: the chart's own protection is fixed (chart.ts draws it), and taken into account.
  const fixedHidden = new Set<string>();
  const fixedShown = new Set<string>();
  const buckets = trendBuckets(f.trend, true, { period: f.period, generatedAt: f.generatedAt });
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  const dayAfter = (iso: string) => {
    const d = new Date(`${iso}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  };
  if (first && last && first.start === f.period.firstDay && last.end === dayAfter(f.period.lastDay)) {
    const chart = protectTrend(buckets);
    const withTransfers = buckets.every((b) => b.transferred !== undefined);
    const measuresOfChart: Array<[TrendMeasure, string]> = [
      ['requests', 'requests'],
      ['held', 'detained'],
      ...(withTransfers ? ([['transferred', 'transferred']] as Array<[TrendMeasure, string]>) : []),
    ];
    for (const [m, digestMeasure] of measuresOfChart) {
      const ids = buckets.map((b, i) => {
        const id = trendCellId(i, m);
        t.cell(id, m === 'requests' ? b.requests : m === 'held' ? b.held : (b.transferred ?? 0));
        (chart.primary.has(id) || chart.secondary.has(id) ? fixedHidden : fixedShown).add(id);
        return id;
      });
      t.partition(cellId('all', digestMeasure), ids, `all|${digestMeasure}~chart`);
    }
  }
  return { builder: t, fixedHidden, fixedShown };
}

/**
 * Disproportionality (docs/demographics.md): each ethnic group and each sex group is a row of
 * requests, transferred, held and held overnight. Within a row, transferred and held are parts of
 * the requests (the rest, released or open, is implicit) and overnight a subset; down each column
 * the groups add up to the digest's total, once over ethnic groups and again over sex.
 */
function addDemographics(t: TableBuilder, f: DigestFigures): void {
  if (!f.demographics) return;
  for (const dimension of DEMOGRAPHIC_DIMENSIONS) {
    const rows = f.demographics[dimension];
    for (const row of rows) {
      const id = (m: string) => cellId(demographicScope(dimension, row.key), m);
      for (const m of DEMOGRAPHIC_MEASURES) t.cell(id(m), row[m]);
      t.partition(id('requests'), [id('transferred'), id('detained')]);
      t.subset([id('detained'), id('requests')], id('overnight'));
    }
    for (const m of DEMOGRAPHIC_MEASURES) {
      t.partition(
        cellId('all', m),
        rows.map((row) => cellId(demographicScope(dimension, row.key), m)),
        `all|${m}~other-${dimension}`,
      );
    }
  }
}

export const CHILDREN_MEASURES = ['detained', 'overnight', 'weekend'] as const;
export type ChildrenMeasure = (typeof CHILDREN_MEASURES)[number];

/**
 * Distinct children beside their detentions: detentions = children + the detentions of a child
 * already counted, so that surplus is a cell a reader can compute, protected like any other.
 * Children do not add up over suites or local authorities (one child can be held in two), so they
 * are in no column total.
 */
function addChildren(t: TableBuilder, g: GroupFigures, id: (m: string) => string): void {
  if (!g.children) return;
  for (const m of CHILDREN_MEASURES) {
    t.cell(id(`children:${m}`), g.children[m]);
    t.partition(id(m), [id(`children:${m}`)], id(`${m}~again`));
  }
}

/**
 * The previous period's totals, protected on their own for the comparison: requests = outcome
 * recorded + still open, outcome recorded ⊇ transferred + held, the subsets of held and their
 * children, as in the digest's own tables. (Differencing between two periods' digests is outside
 * what suppression covers: docs/suppression.md.)
 */
export function protectPrevious(g: GroupFigures): ProtectedCounts {
  const t = new TableBuilder();
  const id = (m: string) => cellId('previous', m);
  for (const m of [
    'requests',
    'resolved',
    'stillOpen',
    'transferred',
    'detained',
    'overnight',
    'weekend',
    'repeat',
  ])
    t.cell(id(m), measureValue(g, m));
  t.partition(id('requests'), [id('resolved'), id('stillOpen')]);
  t.partition(id('resolved'), [id('transferred'), id('detained')]);
  for (const m of ['overnight', 'weekend', 'repeat']) t.subset([id('detained'), id('resolved')], id(m));
  addChildren(t, g, id);
  return protectedFrom(t.table());
}

function protectedFrom(table: DisclosureTable): ProtectedCounts {
  const protection = protectTable(table);
  const hidden = (id: string) => protection.primary.has(id) || protection.secondary.has(id);
  return {
    table,
    protection,
    hidden,
    text: (id) => {
      if (protection.primary.has(id)) return SUPPRESSED;
      if (protection.secondary.has(id)) return COMPLEMENT;
      return groupThousands(table.values.get(id) ?? 0);
    },
  };
}

/**
 * Primary and complementary suppression over the whole digest. The disproportionality rows are
 * protected after the rest, with the rest's protection kept as it is: they add up to the digest's
 * totals, so they are linked to them, but they never cost a figure the digest printed before. If
 * no choice of their own complements protects them, the whole section is withheld.
 */
export function protectDigest(f: DigestFigures): ProtectedCounts {
  const { builder, fixedHidden, fixedShown } = buildDigestTable(f);
  const main = protectedFrom(builder.table({ fixedHidden, fixedShown }));
  if (!f.demographics) return main;
  const printed = new Set(
    [...builder.values.keys()].filter(
      (id) => !builder.implicit.has(id) && !fixedHidden.has(id) && !main.hidden(id),
    ),
  );
  addDemographics(builder, f);
  const table = builder.table({ fixedHidden, fixedShown: new Set([...fixedShown, ...printed]) });
  const protection = protectTable(table, main.protection);
  const withheld = disclosedCells(table, protection).length > 0;
  const hidden = (id: string) => protection.primary.has(id) || protection.secondary.has(id);
  return {
    table,
    protection,
    hidden,
    demographicsWithheld: withheld,
    text: (id) => {
      if (protection.primary.has(id)) return SUPPRESSED;
      if (protection.secondary.has(id)) return COMPLEMENT;
      return groupThousands(table.values.get(id) ?? 0);
    },
  };
}
