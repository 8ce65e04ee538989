import {
  DETAINED_OUTCOMES,
  OUTCOME_CODES,
  TIMING_KEYS,
  TRANSFERRED_OUTCOMES,
  emptyOutcomeCounts,
  type CountBy,
  type GroupFigures,
  type OpenRequestItem,
  type TimingKey,
} from '../domain/digest/figures.js';
import type { DemographicCount } from '../domain/digest/disproportionality.js';
import type { RepeatCandidate } from '../domain/digest/repeats.js';
import type { TimingFigure } from '../domain/digest/stats.js';
import { declineReasonSchema, stayReasonSchema, type OutcomeCode } from '../domain/outcomes.js';
import {
  repeatChildDetentions,
  toDetention,
  type DetentionSqlRow,
  type EarlierDetention,
} from './same-child.js';
import { DETAINED_SQL, sqlList } from './sql-text.js';
import { toIso, toIsoOrUndefined, type SqlClient, type SqlExecutor } from './sql-client.js';

/**
 * Read-only reporting queries for digests and the Concordat data export. Same SQL on PGlite and
 * Postgres. A digest counts a cohort: the requests whose child was charged in [from, to) (both
 * tables carry charged_at, indexed), and what became of them.
 *
 * Aggregates run in the database (GROUPING SETS over all / suite / local authority, and
 * percentile_cont for the timings, which interpolates exactly as domain/digest/stats.ts does), so
 * a yearly digest ships a few dozen rows, not the year's requests.
 */

const STAY_CODES = stayReasonSchema.options;
/**
 * A request cancelled as entered in error was never a real request: it is left out of every count
 * and timing, and counted on its own (docs/reports.md).
 */
const IN_ERROR = `'cancelled_in_error'`;
/** The request `r` was not cancelled as entered in error. */
const notInError = (r: string) =>
  `NOT EXISTS (SELECT 1 FROM outcomes e WHERE e.workflow_id = ${r}.workflow_id AND e.outcome = ${IN_ERROR})`;
const DECLINE_CODES = declineReasonSchema.options;

/**
 * Runs one reporting query in its own short transaction with more sort and hash memory than the
 * 4 MB default (a yearly digest sorts a few hundred thousand rows in memory, not on disk) and without JIT compilation
 * (it costs more than it saves on queries this size). Both settings end with the transaction.
 */
async function reportingTransaction<T>(db: SqlClient, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true)`);
    return fn(tx);
  });
}

async function reportingQuery<R extends object>(
  db: SqlClient,
  text: string,
  params: readonly unknown[],
): Promise<R[]> {
  return reportingTransaction(db, (tx) => tx.query<R>(text, params));
}

/** A row of a GROUPING SETS ((), (suite), (la)) query: which group it belongs to. */
export type GroupKey = { by: 'all' } | { by: 'suite'; id: string } | { by: 'la'; id: string };

export function groupKeyString(k: GroupKey): string {
  return k.by === 'all' ? 'all' : `${k.by}:${k.id}`;
}

interface GroupedRow {
  g_suite: number;
  g_la: number;
  suite: string | null;
  la: string | null;
}

function keyOf(r: GroupedRow): GroupKey {
  if (Number(r.g_suite) === 0) return { by: 'suite', id: r.suite ?? '' };
  if (Number(r.g_la) === 0) return { by: 'la', id: r.la ?? '' };
  return { by: 'all' };
}

function groupedColumns(t: string): string {
  return `GROUPING(${t}.custody_suite_id)::int AS g_suite, GROUPING(${t}.local_authority_id)::int AS g_la,
  ${t}.custody_suite_id AS suite, ${t}.local_authority_id AS la`;
}
const groupingSets = (t: string) => `GROUPING SETS ((), (${t}.custody_suite_id), (${t}.local_authority_id))`;

/** Milliseconds between two timestamptz expressions, as float8 (NULL when either is NULL). */
const ms = (to: string, from: string) => `(EXTRACT(EPOCH FROM (${to} - ${from})) * 1000)::float8`;

/** n, median and p90 of an expression: one sort for both percentiles. `name` is lower case. */
function timingColumns(name: string, expr: string): string {
  return `COUNT(${expr})::int AS ${name}_n,
    percentile_cont(ARRAY[0.5, 0.9]::float8[]) WITHIN GROUP (ORDER BY ${expr}) AS ${name}_p`;
}

const OUTCOME_TIMINGS: Array<[TimingKey, string]> = [
  ['requestToAcknowledged', ms('o.acknowledged_at', 'o.requested_at')],
  ['requestToBedOffered', ms('o.bed_offered_at', 'o.requested_at')],
  ['requestToLeftCustody', ms('o.left_custody_at', 'o.requested_at')],
];

/** Escalation levels are 0 (never escalated) to 9 (the protocol allows no higher). */
const LEVELS = Array.from({ length: 10 }, (_, i) => i);

/** Figures of one group without names or repeat counts (the caller adds those). */
export type GroupCounts = Omit<GroupFigures, 'id' | 'name' | 'repeatDetentions'>;

type Row = GroupedRow & Record<string, unknown>;

function timingOf(r: Row, name: string): TimingFigure {
  const n = Number(r[`${name}_n`] ?? 0);
  const p = r[`${name}_p`];
  const arr = Array.isArray(p) ? p : null;
  if (n === 0 || arr === null || arr.length < 2 || arr[0] === null || arr[1] === null) {
    return { n, medianMs: null, p90Ms: null };
  }
  return { n, medianMs: Number(arr[0]), p90Ms: Number(arr[1]) };
}

/**
 * Everything per group (all, each suite, each local authority) for the requests whose child was
 * charged in [from, to): two passes, one over the period's requests (counts, charge → request) and
 * one over their outcomes (everything else; outcomes carry the request's suite, local authority
 * and times, so no join). Decline reasons count the requests declined at least once for the reason.
 */
export async function digestGroupCounts(
  db: SqlClient,
  range: { from: string; to: string },
  /** Only the "all" group (the previous period's comparison): one group, not three sets. */
  options: { totalOnly?: boolean } = {},
): Promise<Map<string, { key: GroupKey; counts: GroupCounts }>> {
  const params = [range.from, range.to];
  const totalOnly = options.totalOnly === true;
  const groupColumns = (t: string) =>
    totalOnly ? `1 AS g_suite, 1 AS g_la, NULL::text AS suite, NULL::text AS la` : groupedColumns(t);
  const grouping = (t: string) => (totalOnly ? '()' : groupingSets(t));
  const inPeriod = (t: string) => `${t}.charged_at >= $1::timestamptz AND ${t}.charged_at < $2::timestamptz`;
  // Counts add up, so they are taken once per (suite, local authority) pair with a hash
  // aggregate and rolled up here. Percentiles do not, so they take GROUPING SETS in the database.
  const [requestTimings, outcomeCounts, outcomeTimings, children] = await Promise.all([
    reportingQuery<Row>(
      db,
      `SELECT ${groupColumns('r')},
    COUNT(*)::int AS requests,
    ${timingColumns('t_cr', ms('r.requested_at', 'r.charged_at'))}
  FROM requests r WHERE ${inPeriod('r')} AND ${notInError('r')}
  GROUP BY ${grouping('r')}`,
      params,
    ),
    reportingQuery<Record<string, unknown> & { suite: string; la: string; err: boolean }>(
      db,
      `SELECT o.custody_suite_id AS suite, o.local_authority_id AS la, o.outcome = ${IN_ERROR} AS err,
    COUNT(*)::int AS resolved,
    ${OUTCOME_CODES.map((c, i) => `COUNT(*) FILTER (WHERE o.outcome = '${c}')::int AS oc${i}`).join(',\n    ')},
    COUNT(*) FILTER (WHERE o.overnight)::int AS overnight,
    COUNT(*) FILTER (WHERE o.weekend)::int AS weekend,
    ${LEVELS.map((l) => `COUNT(*) FILTER (WHERE o.escalation_level = ${l})::int AS lv${l}`).join(',\n    ')},
    ${STAY_CODES.map((c, i) => `COUNT(*) FILTER (WHERE o.stay_reason = '${c}')::int AS st${i}`).join(',\n    ')},
    COUNT(*) FILTER (WHERE o.stay_reason NOT IN (${sqlList(STAY_CODES)}))::int AS st_other,
    ${DECLINE_CODES.map((c, i) => `COUNT(*) FILTER (WHERE o.decline_reasons @> '["${c}"]'::jsonb)::int AS dc${i}`).join(',\n    ')}
  FROM outcomes o WHERE ${inPeriod('o')}
  GROUP BY 1, 2, 3`,
      params,
    ),
    reportingQuery<Row>(
      db,
      `SELECT ${groupColumns('o')},
    ${OUTCOME_TIMINGS.map(([, e], i) => timingColumns(`t${i}`, e)).join(',\n    ')}
  FROM outcomes o WHERE ${inPeriod('o')} AND o.outcome <> ${IN_ERROR}
  GROUP BY ${grouping('o')}`,
      params,
    ),
    // Distinct children do not add up over suites (a child held in two suites is one child), so
    // they take GROUPING SETS too; the child is the same-child linker's (docs/same-child.md).
    reportingQuery<Row>(
      db,
      `SELECT ${groupColumns('o')},
    COUNT(DISTINCT r.child_id) FILTER (WHERE o.outcome IN (${DETAINED_SQL}))::int AS ch_detained,
    COUNT(DISTINCT r.child_id) FILTER (WHERE o.overnight)::int AS ch_overnight,
    COUNT(DISTINCT r.child_id) FILTER (WHERE o.weekend)::int AS ch_weekend
  FROM outcomes o
  JOIN requests r ON r.workflow_id = o.workflow_id AND ${inPeriod('r')}
  WHERE ${inPeriod('o')} AND o.outcome <> ${IN_ERROR}
  GROUP BY ${grouping('o')}`,
      params,
    ),
  ]);

  const out = new Map<string, { key: GroupKey; counts: GroupCounts }>();
  const entry = (key: GroupKey): GroupCounts => {
    const k = groupKeyString(key);
    let e = out.get(k);
    if (!e) {
      e = { key, counts: emptyGroupCounts() };
      out.set(k, e);
    }
    return e.counts;
  };
  for (const r of requestTimings) {
    const c = entry(keyOf(r));
    c.requests = Number(r.requests ?? 0);
    c.timings.chargeToRequest = timingOf(r, 't_cr');
  }
  const levels = new Map<GroupCounts, Map<number, number>>();
  const stays = new Map<GroupCounts, Map<string, number>>();
  const declines = new Map<GroupCounts, Map<string, number>>();
  const add = <K>(m: Map<GroupCounts, Map<K, number>>, c: GroupCounts, k: K, n: number) => {
    if (n === 0) return;
    const inner = m.get(c) ?? new Map<K, number>();
    inner.set(k, (inner.get(k) ?? 0) + n);
    m.set(c, inner);
  };
  for (const r of outcomeCounts) {
    const num = (col: string) => Number(r[col] ?? 0);
    const targets: GroupKey[] = totalOnly
      ? [{ by: 'all' }]
      : [{ by: 'all' }, { by: 'suite', id: r.suite }, { by: 'la', id: r.la }];
    for (const key of targets) {
      const c = entry(key);
      if (r.err) {
        c.enteredInError = (c.enteredInError ?? 0) + num('resolved');
        continue;
      }
      c.resolved += num('resolved');
      OUTCOME_CODES.forEach((code, i) => (c.outcomes[code] += num(`oc${i}`)));
      c.overnight += num('overnight');
      c.weekend += num('weekend');
      LEVELS.forEach((l) => add(levels, c, l, num(`lv${l}`)));
      STAY_CODES.forEach((code, i) => add(stays, c, code as string, num(`st${i}`)));
      add(stays, c, 'other', num('st_other'));
      DECLINE_CODES.forEach((code, i) => add(declines, c, code as string, num(`dc${i}`)));
    }
  }
  for (const r of outcomeTimings) {
    const c = entry(keyOf(r));
    OUTCOME_TIMINGS.forEach(([k], i) => (c.timings[k] = timingOf(r, `t${i}`)));
  }
  for (const r of children) {
    entry(keyOf(r)).children = {
      detained: Number(r.ch_detained ?? 0),
      overnight: Number(r.ch_overnight ?? 0),
      weekend: Number(r.ch_weekend ?? 0),
    };
  }
  const byCount = (a: CountBy, b: CountBy) => b.count - a.count || a.key.localeCompare(b.key);
  for (const { counts: c } of out.values()) {
    c.stillOpen = c.requests - c.resolved;
    c.transferred = TRANSFERRED_OUTCOMES.reduce((n, code) => n + c.outcomes[code], 0);
    c.detained = DETAINED_OUTCOMES.reduce((n, code) => n + c.outcomes[code], 0);
    c.escalationLevels = [...(levels.get(c) ?? new Map<number, number>())]
      .map(([key, count]) => ({ key, count }))
      .sort((a, b) => a.key - b.key);
    c.stayReasons = [...(stays.get(c) ?? new Map<string, number>())]
      .map(([key, count]) => ({ key, count }))
      .sort(byCount);
    c.declineReasons = [...(declines.get(c) ?? new Map<string, number>())]
      .map(([key, count]) => ({ key, count }))
      .sort(byCount);
  }
  return out;
}

export function emptyGroupCounts(): GroupCounts {
  const none = (): TimingFigure => ({ n: 0, medianMs: null, p90Ms: null });
  return {
    requests: 0,
    resolved: 0,
    stillOpen: 0,
    outcomes: emptyOutcomeCounts(),
    transferred: 0,
    detained: 0,
    overnight: 0,
    weekend: 0,
    children: { detained: 0, overnight: 0, weekend: 0 },
    enteredInError: 0,
    escalationLevels: [],
    timings: Object.fromEntries(TIMING_KEYS.map((k) => [k, none()])) as Record<TimingKey, TimingFigure>,
    declineReasons: [],
    stayReasons: [],
  };
}

/** A post-charge detention, as the repeat-detention figures need it. */
export interface DetentionRow extends EarlierDetention {
  childPseudonym: string;
}

/**
 * The period's requests by the child's ethnicity and sex codes (migration 9; NULL: not recorded),
 * counted as digestGroupCounts counts the "all" group: entered in error left out, transferred and
 * held by outcome, overnight whatever the outcome. A few dozen rows at most: the domain groups
 * them (domain/digest/disproportionality.ts). Nothing but the codes and the counts leaves.
 */
export async function demographicCounts(
  db: SqlClient,
  range: { from: string; to: string },
): Promise<DemographicCount[]> {
  const rows = await reportingQuery<{
    ethnicity: string | null;
    sex: string | null;
    requests: number;
    transferred: number;
    detained: number;
    overnight: number;
  }>(
    db,
    `SELECT r.ethnicity, r.sex, COUNT(*)::int AS requests,
       COUNT(*) FILTER (WHERE o.outcome IN (${sqlList(TRANSFERRED_OUTCOMES)}))::int AS transferred,
       COUNT(*) FILTER (WHERE o.outcome IN (${DETAINED_SQL}))::int AS detained,
       COUNT(*) FILTER (WHERE o.overnight)::int AS overnight
     FROM requests r LEFT JOIN outcomes o ON o.workflow_id = r.workflow_id
     WHERE r.charged_at >= $1::timestamptz AND r.charged_at < $2::timestamptz
       AND o.outcome IS DISTINCT FROM ${IN_ERROR}
     GROUP BY 1, 2`,
    [range.from, range.to],
  );
  return rows.map((r) => ({
    ethnicity: r.ethnicity,
    sex: r.sex,
    requests: Number(r.requests),
    transferred: Number(r.transferred),
    detained: Number(r.detained),
    overnight: Number(r.overnight),
  }));
}

/**
 * The material for the repeat detentions of [from, to), with a look-back of `windowMs`: every
 * post-charge detention charged in [from − window, to) of each child who was detained in the
 * period after another detention in the window, and the child it belongs to. The child is the
 * "same child" linker's (store/same-child.ts, docs/same-child.md), as for the repeat alert and the
 * export, so the three never disagree. Only the detentions of repeat children leave the database;
 * `detentionDetails` then reads the facts of the few the digest lists.
 */
export async function repeatDetentionMaterial(
  db: SqlClient,
  range: { from: string; to: string; windowMs: number },
): Promise<{ links: Array<{ workflowId: string; pseudonym: string }>; detentions: RepeatCandidate[] }> {
  const rows = await reportingTransaction(db, (tx) => repeatChildDetentions(tx, range));
  return {
    // The linker's child as the grouping key: one key per detention, already the whole child.
    links: rows.map((r) => ({ workflowId: r.workflowId, pseudonym: `child:${r.childId}` })),
    detentions: rows.map((r) => ({
      workflowId: r.workflowId,
      chargedMs: r.chargedMs,
      custodySuiteId: r.custodySuiteId,
      localAuthorityId: r.localAuthorityId,
    })),
  };
}

/** The facts a digest lists for each detention of a repeat child (only the listed children). */
export async function detentionDetails(
  db: SqlExecutor,
  workflowIds: readonly string[],
): Promise<DetentionRow[]> {
  if (workflowIds.length === 0) return [];
  const rows = await db.query<DetentionSqlRow & { child_pseudonym: string }>(
    `SELECT r.workflow_id, r.case_ref, r.custody_record_number, r.custody_suite_id, r.local_authority_id,
       o.charged_at, o.outcome, r.child_pseudonym
     FROM requests r JOIN outcomes o ON o.workflow_id = r.workflow_id
     WHERE r.workflow_id = ANY($1::text[])`,
    [[...workflowIds]],
  );
  return rows.map((r) => ({ ...toDetention(r), childPseudonym: r.child_pseudonym }));
}

/**
 * Requests, post-charge detentions and transfers per trend week (requests entered in error left
 * out). `weeks` are consecutive [from, to) ranges; each count is one index range scan bucketed by
 * width_bucket over the week boundaries.
 */
export async function weeklyTrend(
  db: SqlClient,
  weeks: ReadonlyArray<{ from: string; to: string }>,
): Promise<Array<{ requests: number; detained: number; transferred: number }>> {
  const out = weeks.map(() => ({ requests: 0, detained: 0, transferred: 0 }));
  const first = weeks[0];
  const last = weeks[weeks.length - 1];
  if (!first || !last) return out;
  const bounds = weeks.map((w) => w.from);
  const params = [bounds, first.from, last.to];
  const [requests, outcomes] = await Promise.all([
    reportingQuery<{ b: number; n: number }>(
      db,
      `SELECT width_bucket(r.charged_at, $1::timestamptz[]) AS b, COUNT(*)::int AS n
       FROM requests r WHERE r.charged_at >= $2::timestamptz AND r.charged_at < $3::timestamptz
       GROUP BY 1`,
      params,
    ),
    // Entered in error is subtracted from the week's requests (cheaper than an anti-join).
    reportingQuery<{ b: number; detained: number; transferred: number; in_error: number }>(
      db,
      `SELECT width_bucket(o.charged_at, $1::timestamptz[]) AS b,
         COUNT(*) FILTER (WHERE o.outcome IN (${DETAINED_SQL}))::int AS detained,
         COUNT(*) FILTER (WHERE o.outcome IN (${sqlList(TRANSFERRED_OUTCOMES)}))::int AS transferred,
         COUNT(*) FILTER (WHERE o.outcome = ${IN_ERROR})::int AS in_error
       FROM outcomes o
       WHERE o.outcome IN (${DETAINED_SQL}, ${sqlList(TRANSFERRED_OUTCOMES)}, ${IN_ERROR})
         AND o.charged_at >= $2::timestamptz AND o.charged_at < $3::timestamptz
       GROUP BY 1`,
      params,
    ),
  ]);
  for (const r of requests) {
    const slot = out[Number(r.b) - 1];
    if (slot) slot.requests = Number(r.n);
  }
  for (const r of outcomes) {
    const slot = out[Number(r.b) - 1];
    if (slot) {
      slot.detained = Number(r.detained);
      slot.transferred = Number(r.transferred);
      slot.requests -= Number(r.in_error);
    }
  }
  return out;
}

/** Requests with no outcome, requested at or before `asOf`: the count and the oldest `limit`. */
export async function openRequestsAsOf(
  db: SqlExecutor,
  asOf: string,
  limit: number,
): Promise<{ count: number; oldest: OpenRequestItem[] }> {
  const [count, oldest] = await Promise.all([
    db.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM requests
       WHERE outcome_recorded_at IS NULL AND requested_at <= $1::timestamptz`,
      [asOf],
    ),
    db.query<{
      case_ref: string;
      custody_record_number: string;
      custody_suite_id: string;
      local_authority_id: string;
      requested_at: Date | string;
    }>(
      `SELECT case_ref, custody_record_number, custody_suite_id, local_authority_id, requested_at
       FROM requests WHERE outcome_recorded_at IS NULL AND requested_at <= $1::timestamptz
       ORDER BY requested_at, workflow_id LIMIT $2`,
      [asOf, limit],
    ),
  ]);
  return {
    count: Number(count[0]?.n ?? 0),
    oldest: oldest.map((r) => ({
      caseRef: r.case_ref,
      custodyRecordNumber: r.custody_record_number,
      custodySuiteId: r.custody_suite_id,
      localAuthorityId: r.local_authority_id,
      requestedAt: toIso(r.requested_at),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Concordat principle-7 export

/**
 * One exported request: the facts of the request and its outcome, with the child only as the
 * same-child linker's label (store/same-child.ts), which the export keys afresh per file. No name,
 * date of birth, PNC ID, pseudonym, certificate text or free text leaves the database.
 */
export interface ExportRow {
  caseRef: string;
  custodyRecordNumber: string;
  custodySuiteId: string;
  localAuthorityId: string;
  route: string;
  outOfArea: boolean;
  age: number;
  accommodation: string;
  /** The linker's child (docs/same-child.md): internal, never written as is. */
  childId: string;
  chargedAt: string;
  requestedAt: string;
  nextCourtSitting: string;
  acknowledgedAt?: string;
  bedOfferedAt?: string;
  leftCustodyAt?: string;
  endedAt?: string;
  /** When the child really left the police cells (migration 7), and whether that was assumed. */
  leftCellsAt?: string;
  leftCellsAssumed?: boolean;
  /**
   * Post-charge detentions of the same child (the linker's) charged in the repeat window before
   * this request's charge: the repeat-detention rule of the alert and the digest.
   */
  earlierDetentions: number;
  outcome?: OutcomeCode;
  escalationLevel?: number;
  overnight?: boolean;
  weekend?: boolean;
  stayReason?: string;
  /**
   * The inspector's countersignature of the s.38(6) certificate, where the protocol asked for one
   * (migration 10): `countersigned` (and when) or `awaiting` (the child left before anyone did).
   */
  certificateCountersignature?: 'awaiting' | 'countersigned';
  certificateCountersignedAt?: string;
  cancelReason?: string;
  declineReasons: string[];
  /** For keyset pagination: pass the last row's cursor to get the next page. */
  cursor: ExportCursor;
}

export interface ExportCursor {
  /** charged_at as Postgres prints it (full microseconds), so no row is skipped or repeated. */
  chargedAt: string;
  workflowId: string;
}

export async function countExportRows(db: SqlExecutor, range: { from: string; to: string }): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `SELECT COUNT(*)::int AS n FROM requests
     WHERE charged_at >= $1::timestamptz AND charged_at < $2::timestamptz`,
    [range.from, range.to],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * One page of the export, in (charged_at, workflow_id) order, after `cursor` (keyset pagination:
 * every page is one index range scan, however deep into the range it is).
 */
export async function exportPage(
  db: SqlExecutor,
  range: { from: string; to: string; windowMs: number },
  after: ExportCursor | null,
  limit: number,
): Promise<ExportRow[]> {
  const rows = await db.query<{
    workflow_id: string;
    case_ref: string;
    custody_record_number: string;
    custody_suite_id: string;
    local_authority_id: string;
    route: string;
    out_of_area: boolean;
    age: number;
    accommodation: string;
    child_id: string | number;
    charged_at: Date | string;
    charged_at_text: string;
    requested_at: Date | string;
    next_court_sitting: Date | string;
    left_cells_at: Date | string | null;
    left_cells_assumed: boolean | null;
    earlier_detentions: number;
    acknowledged_at: Date | string | null;
    bed_offered_at: Date | string | null;
    left_custody_at: Date | string | null;
    ended_at: Date | string | null;
    outcome: OutcomeCode | null;
    escalation_level: number | null;
    overnight: boolean | null;
    weekend: boolean | null;
    stay_reason: string | null;
    certificate_countersignature: 'awaiting' | 'countersigned' | null;
    certificate_countersigned_at: Date | string | null;
    cancel_reason: string | null;
    decline_reasons: string[] | null;
  }>(
    `SELECT r.workflow_id, r.case_ref, r.custody_record_number, r.custody_suite_id, r.local_authority_id,
       r.route, r.out_of_area, r.age, r.accommodation, r.child_id, r.charged_at, r.charged_at::text AS charged_at_text,
       r.requested_at, r.next_court_sitting, o.acknowledged_at, o.bed_offered_at, o.left_custody_at,
       o.ended_at, o.left_cells_at, o.left_cells_assumed, o.outcome,
       o.escalation_level, o.overnight, o.weekend, o.stay_reason, o.cancel_reason, o.decline_reasons,
       o.certificate_countersignature, o.certificate_countersigned_at,
       (SELECT COUNT(*) FROM requests p JOIN outcomes po ON po.workflow_id = p.workflow_id
         WHERE p.child_id = r.child_id AND p.workflow_id <> r.workflow_id
           AND p.charged_at >= r.charged_at - $6::float8 * interval '1 millisecond'
           AND p.charged_at < r.charged_at AND po.outcome IN (${DETAINED_SQL}))::int AS earlier_detentions
     FROM requests r LEFT JOIN outcomes o ON o.workflow_id = r.workflow_id
     WHERE r.charged_at >= $1::timestamptz AND r.charged_at < $2::timestamptz
       AND ($3::timestamptz IS NULL OR (r.charged_at, r.workflow_id) > ($3::timestamptz, $4::text))
     ORDER BY r.charged_at, r.workflow_id
     LIMIT $5`,
    [range.from, range.to, after?.chargedAt ?? null, after?.workflowId ?? null, limit, range.windowMs],
  );
  return rows.map((r) => {
    const chargedAt = toIso(r.charged_at);
    const opt = <K extends string, V>(k: K, v: V | undefined | null) =>
      (v === undefined || v === null ? {} : { [k]: v }) as Partial<Record<K, V>>;
    return {
      caseRef: r.case_ref,
      custodyRecordNumber: r.custody_record_number,
      custodySuiteId: r.custody_suite_id,
      localAuthorityId: r.local_authority_id,
      route: r.route,
      outOfArea: r.out_of_area,
      age: Number(r.age),
      accommodation: r.accommodation,
      childId: String(r.child_id),
      chargedAt,
      requestedAt: toIso(r.requested_at),
      nextCourtSitting: toIso(r.next_court_sitting),
      ...opt('acknowledgedAt', toIsoOrUndefined(r.acknowledged_at)),
      ...opt('bedOfferedAt', toIsoOrUndefined(r.bed_offered_at)),
      ...opt('leftCustodyAt', toIsoOrUndefined(r.left_custody_at)),
      ...opt('endedAt', toIsoOrUndefined(r.ended_at)),
      ...opt('leftCellsAt', toIsoOrUndefined(r.left_cells_at)),
      ...opt('leftCellsAssumed', r.left_cells_assumed),
      earlierDetentions: Number(r.earlier_detentions ?? 0),
      ...opt('outcome', r.outcome),
      ...opt('escalationLevel', r.escalation_level === null ? null : Number(r.escalation_level)),
      ...opt('overnight', r.overnight),
      ...opt('weekend', r.weekend),
      ...opt('stayReason', r.stay_reason),
      ...opt('certificateCountersignature', r.certificate_countersignature),
      ...opt('certificateCountersignedAt', toIsoOrUndefined(r.certificate_countersigned_at)),
      ...opt('cancelReason', r.cancel_reason),
      declineReasons: r.decline_reasons ?? [],
      cursor: { chargedAt: r.charged_at_text, workflowId: r.workflow_id },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The aggregate export (shared beyond the partnership, with suppression: docs/reports.md)

/** One cell of the finest cross-classification the aggregate export counts. */
export interface AggregateCount {
  /** Index of the [from, to) bucket (a local month) the charge falls in. */
  bucket: number;
  custodySuiteId: string;
  localAuthorityId: string;
  accommodation: string;
  age: number;
  outcome: OutcomeCode | null;
  /** The child's ethnicity and sex codes (migration 9); NULL: not recorded. */
  ethnicity: string | null;
  sex: string | null;
  count: number;
}

/**
 * Requests by charge bucket × suite × local authority × accommodation requested × age × outcome
 * (NULL while open) × ethnicity and sex codes, leaving out those entered in error: a few hundred
 * rows for a year, which the caller groups and protects (domain/digest/aggregate-table.ts).
 */
export async function aggregateCounts(
  db: SqlClient,
  buckets: ReadonlyArray<{ from: string; to: string }>,
): Promise<AggregateCount[]> {
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  if (!first || !last) return [];
  const rows = await reportingQuery<{
    b: number;
    suite: string;
    la: string;
    accommodation: string;
    age: number;
    outcome: OutcomeCode | null;
    ethnicity: string | null;
    sex: string | null;
    n: number;
  }>(
    db,
    `SELECT width_bucket(r.charged_at, $1::timestamptz[]) AS b, r.custody_suite_id AS suite,
       r.local_authority_id AS la, r.accommodation, r.age, o.outcome, r.ethnicity, r.sex,
       COUNT(*)::int AS n
     FROM requests r LEFT JOIN outcomes o ON o.workflow_id = r.workflow_id
     WHERE r.charged_at >= $2::timestamptz AND r.charged_at < $3::timestamptz
       AND o.outcome IS DISTINCT FROM ${IN_ERROR}
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
    [buckets.map((b) => b.from), first.from, last.to],
  );
  return rows.map((r) => ({
    bucket: Number(r.b) - 1,
    custodySuiteId: r.suite,
    localAuthorityId: r.la,
    accommodation: r.accommodation,
    age: Number(r.age),
    outcome: r.outcome,
    ethnicity: r.ethnicity,
    sex: r.sex,
    count: Number(r.n),
  }));
}
