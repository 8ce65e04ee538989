import {
  type DigestFigures,
  type GroupFigures,
  REPEAT_LIST_LIMIT,
  shortChildRef,
  type RepeatDetentionFigure,
} from '../../domain/digest/figures.js';
import { demographicFigures } from '../../domain/digest/disproportionality.js';
import { previousPeriod, trendWeeks, type DigestPeriod } from '../../domain/digest/period.js';
import { findRepeatDetentions } from '../../domain/digest/repeats.js';
import { OPEN_LIST_LIMIT } from '../../domain/digest/view.js';
import type { Protocol } from '../../domain/protocol.js';
import {
  demographicCounts,
  detentionDetails,
  digestGroupCounts,
  emptyGroupCounts,
  groupKeyString,
  openRequestsAsOf,
  repeatDetentionMaterial,
  weeklyTrend,
} from '../../store/digest-queries.js';
import type { SqlClient } from '../../store/sql-client.js';

const DAY_MS = 86_400_000;

/**
 * Gathers every figure of one digest from the records store. Groups list every suite and local
 * authority in the protocol (a quiet one shows zeros, which is itself a finding), then any other
 * ID found in the data (a suite since removed from the config), by name.
 */
export async function gatherDigestFigures(
  db: SqlClient,
  protocol: Protocol,
  period: DigestPeriod,
  generatedAt: string,
): Promise<DigestFigures> {
  const windowMs = protocol.repeatDetention.window;
  const weeks = trendWeeks(period);
  const before = previousPeriod(period);
  const [groups, material, trend, openNow, previousGroups, demographics] = await Promise.all([
    digestGroupCounts(db, period),
    // One pass for the repeats of both periods: every detention, in the window, of a child with
    // a repeat in either (a superset of what each period needs, split below).
    repeatDetentionMaterial(db, { from: before.from, to: period.to, windowMs }),
    weeklyTrend(db, weeks),
    openRequestsAsOf(db, generatedAt, OPEN_LIST_LIMIT),
    // The previous period of the same length, for the comparison: its total only.
    digestGroupCounts(db, before, { totalOnly: true }),
    // Disproportionality: all requests by ethnic group and by sex (docs/demographics.md).
    demographicCounts(db, period),
  ]);
  const previous: GroupFigures = {
    id: 'all',
    name: 'All',
    ...(previousGroups.get('all')?.counts ?? emptyGroupCounts()),
    repeatDetentions: findRepeatDetentions({ ...material, from: before.from, to: before.to, windowMs })
      .repeatEvents.length,
  };
  const repeats = findRepeatDetentions({
    links: material.links,
    detentions: material.detentions,
    from: period.from,
    to: period.to,
    windowMs,
  });
  const listed = repeats.children.slice(0, REPEAT_LIST_LIMIT);
  const details = new Map(
    (
      await detentionDetails(
        db,
        listed.flatMap((c) => c.detentions.map((d) => d.workflowId)),
      )
    ).map((d) => [d.workflowId, d]),
  );
  const repeatDetentions: RepeatDetentionFigure[] = listed.map((c) => {
    const rows = c.detentions.flatMap((d) => {
      const row = details.get(d.workflowId);
      return row ? [{ ...row, inPeriod: d.inPeriod }] : [];
    });
    return {
      // The latest detention's pseudonym, shortened: what its repeat alert showed.
      childRef: shortChildRef(rows[rows.length - 1]?.childPseudonym ?? ''),
      detentions: rows.map((r) => ({
        caseRef: r.caseRef,
        custodyRecordNumber: r.custodyRecordNumber,
        custodySuiteId: r.custodySuiteId,
        localAuthorityId: r.localAuthorityId,
        chargedAt: r.chargedAt,
        outcome: r.outcome,
        inPeriod: r.inPeriod,
      })),
    };
  });

  const suiteNames: Record<string, string> = Object.fromEntries(
    protocol.custodySuites.map((s) => [s.id, s.name]),
  );
  const laNames: Record<string, string> = Object.fromEntries(
    protocol.localAuthorities.map((l) => [l.id, l.name]),
  );

  const repeatsBy = new Map<string, number>();
  const bump = (k: string) => repeatsBy.set(k, (repeatsBy.get(k) ?? 0) + 1);
  for (const e of repeats.repeatEvents) {
    bump('all');
    bump(groupKeyString({ by: 'suite', id: e.custodySuiteId }));
    bump(groupKeyString({ by: 'la', id: e.localAuthorityId }));
  }

  const group = (key: string, id: string, name: string): GroupFigures => ({
    id,
    name,
    ...(groups.get(key)?.counts ?? emptyGroupCounts()),
    repeatDetentions: repeatsBy.get(key) ?? 0,
  });

  const idsFound = (by: 'suite' | 'la') =>
    [...groups.values()].flatMap((g) => (g.key.by === by ? [g.key.id] : []));
  const ordered = (configured: string[], found: string[]) => [
    ...configured,
    ...found.filter((id) => !configured.includes(id)).sort(),
  ];
  const suiteIds = ordered(
    protocol.custodySuites.map((s) => s.id),
    idsFound('suite'),
  );
  const laIds = ordered(
    protocol.localAuthorities.map((l) => l.id),
    idsFound('la'),
  );
  for (const d of repeatDetentions.flatMap((c) => c.detentions)) {
    suiteNames[d.custodySuiteId] ??= d.custodySuiteId;
    laNames[d.localAuthorityId] ??= d.localAuthorityId;
  }
  for (const r of openNow.oldest) {
    suiteNames[r.custodySuiteId] ??= r.custodySuiteId;
    laNames[r.localAuthorityId] ??= r.localAuthorityId;
  }

  return {
    period,
    generatedAt,
    repeatWindowDays: Math.round(windowMs / DAY_MS),
    total: group('all', 'all', 'All'),
    bySuite: suiteIds.map((id) => group(groupKeyString({ by: 'suite', id }), id, suiteNames[id] ?? id)),
    byLocalAuthority: laIds.map((id) => group(groupKeyString({ by: 'la', id }), id, laNames[id] ?? id)),
    repeatDetentions,
    repeatChildren: repeats.children.length,
    openNow,
    trend: weeks.map((w, i) => ({
      weekStart: w.weekStart,
      requests: trend[i]?.requests ?? 0,
      detained: trend[i]?.detained ?? 0,
      transferred: trend[i]?.transferred ?? 0,
    })),
    previous: { period: before, total: previous },
    demographics: demographicFigures(demographics),
    names: { suites: suiteNames, localAuthorities: laNames },
  };
}
