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
import type { TimingFigure } from '../domain/digest/stats.js';
import type { OutcomeCode } from '../domain/outcomes.js';
import { toIso, toIsoOrUndefined, type SqlExecutor } from './sql-client.js';

/**
 * Read-only reporting queries for digests and the Concordat data export. Same SQL on PGlite and
 * Postgres. A digest counts a cohort: the requests whose child was charged in [from, to) (both
 * tables carry charged_at, indexed), and what became of them.
 *
 * Aggregates run in the database (GROUPING SETS over all / suite / local authority, and
 * percentile_cont for the timings, which interpolates exactly as domain/digest/stats.ts does), so
 * a yearly digest ships a few dozen rows, not the year's requests.
 */

function sqlList(codes: readonly string[]): string {
  return codes
    .map((c) => {
      if (!/^[a-z_]+$/.test(c)) throw new Error(`Unexpected code ${c}`);
      return `'${c}'`;
    })
    .join(', ');
}

const DETAINED_SQL = sqlList(DETAINED_OUTCOMES);
const TRANSFERRED_SQL = sqlList(TRANSFERRED_OUTCOMES);

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

const GROUPING = `GROUPING SETS ((), (r.custody_suite_id), (r.local_authority_id))`;
const GROUP_COLUMNS = `GROUPING(r.custody_suite_id)::int AS g_suite, GROUPING(r.local_authority_id)::int AS g_la,
  r.custody_suite_id AS suite, r.local_authority_id AS la`;

/** Milliseconds between two timestamptz expressions, as float8 (NULL when either is NULL). */
const ms = (to: string, from: string) => `(EXTRACT(EPOCH FROM (${to} - ${from})) * 1000)::float8`;

const TIMING_SQL: Record<TimingKey, string> = {
  chargeToRequest: ms('r.requested_at', 'r.charged_at'),
  requestToAcknowledged: ms('o.acknowledged_at', 'r.requested_at'),
  requestToBedOffered: ms('o.bed_offered_at', 'r.requested_at'),
  requestToLeftCustody: ms('o.left_custody_at', 'r.requested_at'),
};

/** Figures of one group without names, repeat counts or still-open (derived by the caller). */
export type GroupCounts = Omit<GroupFigures, 'id' | 'name' | 'repeatDetentions'>;

type MainRow = GroupedRow & Record<string, number | string | null>;

/**
 * Everything per group (all, each suite, each local authority) for the requests charged in
 * [from, to). Four queries, each one pass over the period's rows.
 */
export async function digestGroupCounts(
  db: SqlExecutor,
  range: { from: string; to: string },
): Promise<Map<string, { key: GroupKey; counts: GroupCounts }>> {
  const outcomeCols = OUTCOME_CODES.map(
    (c, i) => `COUNT(*) FILTER (WHERE o.outcome = '${c}')::int AS oc${i}`,
  ).join(',\n    ');
  const timingCols = TIMING_KEYS.map((k, i) => {
    const e = TIMING_SQL[k];
    return `COUNT(${e})::int AS tn${i},
    percentile_cont(0.5) WITHIN GROUP (ORDER BY ${e}) AS tm${i},
    percentile_cont(0.9) WITHIN GROUP (ORDER BY ${e}) AS tp${i}`;
  }).join(',\n    ');
  const where = `r.charged_at >= $1::timestamptz AND r.charged_at < $2::timestamptz`;
  const params = [range.from, range.to];

  const [main, levels, declines, stays] = await Promise.all([
    db.query<MainRow>(
      `SELECT ${GROUP_COLUMNS},
    COUNT(*)::int AS requests,
    COUNT(o.workflow_id)::int AS resolved,
    COUNT(*) FILTER (WHERE o.outcome IN (${TRANSFERRED_SQL}))::int AS transferred,
    COUNT(*) FILTER (WHERE o.outcome IN (${DETAINED_SQL}))::int AS detained,
    COUNT(*) FILTER (WHERE o.overnight)::int AS overnight,
    COUNT(*) FILTER (WHERE o.weekend)::int AS weekend,
    ${outcomeCols},
    ${timingCols}
  FROM requests r LEFT JOIN outcomes o ON o.workflow_id = r.workflow_id
  WHERE ${where}
  GROUP BY ${GROUPING}`,
      params,
    ),
    db.query<GroupedRow & { k: number; n: number }>(
      `SELECT ${GROUP_COLUMNS}, o.escalation_level AS k, COUNT(*)::int AS n
  FROM requests r JOIN outcomes o ON o.workflow_id = r.workflow_id
  WHERE ${where}
  GROUP BY GROUPING SETS ((o.escalation_level), (r.custody_suite_id, o.escalation_level),
    (r.local_authority_id, o.escalation_level))`,
      params,
    ),
    db.query<GroupedRow & { k: string; n: number }>(
      `SELECT ${GROUP_COLUMNS}, d.reason AS k, COUNT(*)::int AS n
  FROM requests r JOIN outcomes o ON o.workflow_id = r.workflow_id
  CROSS JOIN LATERAL jsonb_array_elements_text(o.decline_reasons) AS d(reason)
  WHERE ${where}
  GROUP BY GROUPING SETS ((d.reason), (r.custody_suite_id, d.reason), (r.local_authority_id, d.reason))`,
      params,
    ),
    db.query<GroupedRow & { k: string; n: number }>(
      `SELECT ${GROUP_COLUMNS}, o.stay_reason AS k, COUNT(*)::int AS n
  FROM requests r JOIN outcomes o ON o.workflow_id = r.workflow_id
  WHERE ${where} AND o.stay_reason IS NOT NULL
  GROUP BY GROUPING SETS ((o.stay_reason), (r.custody_suite_id, o.stay_reason),
    (r.local_authority_id, o.stay_reason))`,
      params,
    ),
  ]);

  const out = new Map<string, { key: GroupKey; counts: GroupCounts }>();
  for (const r of main) {
    const key = keyOf(r);
    const num = (c: string) => Number(r[c] ?? 0);
    const outcomes = emptyOutcomeCounts();
    OUTCOME_CODES.forEach((c, i) => (outcomes[c] = num(`oc${i}`)));
    const timings = {} as Record<TimingKey, TimingFigure>;
    TIMING_KEYS.forEach((k, i) => {
      const n = num(`tn${i}`);
      const m = r[`tm${i}`];
      const p = r[`tp${i}`];
      timings[k] = {
        n,
        medianMs: n === 0 || m === null || m === undefined ? null : Number(m),
        p90Ms: n === 0 || p === null || p === undefined ? null : Number(p),
      };
    });
    const requests = num('requests');
    const resolved = num('resolved');
    out.set(groupKeyString(key), {
      key,
      counts: {
        requests,
        resolved,
        stillOpen: requests - resolved,
        outcomes,
        transferred: num('transferred'),
        detained: num('detained'),
        overnight: num('overnight'),
        weekend: num('weekend'),
        escalationLevels: [],
        timings,
        declineReasons: [],
        stayReasons: [],
      },
    });
  }
  const add = <K extends string | number>(
    rows: Array<GroupedRow & { k: K; n: number }>,
    pick: (c: GroupCounts) => Array<CountBy<K>>,
  ) => {
    for (const r of rows) {
      const entry = out.get(groupKeyString(keyOf(r)));
      if (entry) pick(entry.counts).push({ key: r.k, count: Number(r.n) });
    }
  };
  add(
    levels.map((l) => ({ ...l, k: Number(l.k) })),
    (c) => c.escalationLevels,
  );
  add(declines, (c) => c.declineReasons);
  add(stays, (c) => c.stayReasons);
  for (const { counts } of out.values()) {
    counts.escalationLevels.sort((a, b) => a.key - b.key);
    const byCount = (a: CountBy, b: CountBy) => b.count - a.count || a.key.localeCompare(b.key);
    counts.declineReasons.sort(byCount);
    counts.stayReasons.sort(byCount);
  }
  return out;
}

/** A post-charge detention, as the repeat-detention figures need it. */
export interface DetentionRow {
  workflowId: string;
  caseRef: string;
  custodyRecordNumber: string;
  custodySuiteId: string;
  localAuthorityId: string;
  chargedAt: string;
  outcome: OutcomeCode;
  childPseudonym: string;
}

/**
 * The material for repeat detentions in [from, to) with a look-back `windowMs`:
 * - `links`: every (request, pseudonym) pair reachable from the period's detentions through shared
 *   pseudonyms, transitively (a request known by PNC and by name+DOB joins the two, exactly as
 *   RecordsStore.earlierDetentions does); the caller groups them into children;
 * - `detentions`: the detained requests among them charged in [from − window, to).
 */
export async function repeatDetentionMaterial(
  db: SqlExecutor,
  range: { from: string; to: string; windowMs: number },
): Promise<{ links: Array<{ workflowId: string; pseudonym: string }>; detentions: DetentionRow[] }> {
  const rows = await db.query<{
    workflow_id: string;
    pseudonym: string;
    case_ref: string | null;
    custody_record_number: string | null;
    custody_suite_id: string | null;
    local_authority_id: string | null;
    charged_at: Date | string | null;
    outcome: OutcomeCode | null;
    child_pseudonym: string | null;
  }>(
    `WITH RECURSIVE seed AS (
       SELECT o.workflow_id FROM outcomes o
       WHERE o.charged_at >= $1::timestamptz AND o.charged_at < $2::timestamptz
         AND o.outcome IN (${DETAINED_SQL})
     ),
     linked (pseudonym) AS (
       SELECT cp.pseudonym FROM seed JOIN child_pseudonyms cp ON cp.workflow_id = seed.workflow_id
       UNION
       SELECT other.pseudonym
       FROM linked
       JOIN child_pseudonyms same ON same.pseudonym = linked.pseudonym
       JOIN child_pseudonyms other ON other.workflow_id = same.workflow_id
     ),
     edges AS (
       SELECT cp.workflow_id, cp.pseudonym, cp.charged_at
       FROM linked JOIN child_pseudonyms cp ON cp.pseudonym = linked.pseudonym
     )
     SELECT e.workflow_id, e.pseudonym, r.case_ref, r.custody_record_number, r.custody_suite_id,
       r.local_authority_id, r.charged_at, o.outcome, r.child_pseudonym
     FROM edges e
     LEFT JOIN outcomes o ON o.workflow_id = e.workflow_id AND o.outcome IN (${DETAINED_SQL})
       AND e.charged_at >= $1::timestamptz - ($3::float8 * interval '1 millisecond')
       AND e.charged_at < $2::timestamptz
     LEFT JOIN requests r ON r.workflow_id = o.workflow_id`,
    [range.from, range.to, range.windowMs],
  );
  const links: Array<{ workflowId: string; pseudonym: string }> = [];
  const detentions = new Map<string, DetentionRow>();
  for (const r of rows) {
    links.push({ workflowId: r.workflow_id, pseudonym: r.pseudonym });
    if (r.outcome !== null && r.charged_at !== null && !detentions.has(r.workflow_id)) {
      detentions.set(r.workflow_id, {
        workflowId: r.workflow_id,
        caseRef: r.case_ref ?? '',
        custodyRecordNumber: r.custody_record_number ?? '',
        custodySuiteId: r.custody_suite_id ?? '',
        localAuthorityId: r.local_authority_id ?? '',
        chargedAt: toIso(r.charged_at),
        outcome: r.outcome,
        childPseudonym: r.child_pseudonym ?? '',
      });
    }
  }
  return { links, detentions: [...detentions.values()] };
}

/** Requests and post-charge detentions per trend week (weeks given as [from, to) instants). */
export async function weeklyTrend(
  db: SqlExecutor,
  weeks: ReadonlyArray<{ from: string; to: string }>,
): Promise<Array<{ requests: number; detained: number }>> {
  if (weeks.length === 0) return [];
  const rows = await db.query<{ i: number; requests: number; detained: number }>(
    `SELECT w.i::int AS i, COUNT(r.workflow_id)::int AS requests,
       COUNT(o.workflow_id)::int AS detained
     FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS w(lo, hi, i)
     LEFT JOIN requests r ON r.charged_at >= w.lo AND r.charged_at < w.hi
     LEFT JOIN outcomes o ON o.workflow_id = r.workflow_id AND o.outcome IN (${DETAINED_SQL})
     GROUP BY w.i ORDER BY w.i`,
    [weeks.map((w) => w.from), weeks.map((w) => w.to)],
  );
  const out = weeks.map(() => ({ requests: 0, detained: 0 }));
  for (const r of rows) {
    const slot = out[Number(r.i) - 1];
    if (slot) {
      slot.requests = Number(r.requests);
      slot.detained = Number(r.detained);
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
 * One exported request: the facts of the request and its outcome, with the child only as a keyed
 * pseudonym. No name, date of birth, PNC ID, certificate text or free text leaves the database.
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
  childPseudonym: string;
  chargedAt: string;
  requestedAt: string;
  acknowledgedAt?: string;
  bedOfferedAt?: string;
  leftCustodyAt?: string;
  endedAt?: string;
  outcome?: OutcomeCode;
  escalationLevel?: number;
  overnight?: boolean;
  weekend?: boolean;
  stayReason?: string;
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
  range: { from: string; to: string },
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
    child_pseudonym: string;
    charged_at: Date | string;
    charged_at_text: string;
    requested_at: Date | string;
    acknowledged_at: Date | string | null;
    bed_offered_at: Date | string | null;
    left_custody_at: Date | string | null;
    ended_at: Date | string | null;
    outcome: OutcomeCode | null;
    escalation_level: number | null;
    overnight: boolean | null;
    weekend: boolean | null;
    stay_reason: string | null;
    cancel_reason: string | null;
    decline_reasons: string[] | null;
  }>(
    `SELECT r.workflow_id, r.case_ref, r.custody_record_number, r.custody_suite_id, r.local_authority_id,
       r.route, r.out_of_area, r.age, r.accommodation, r.child_pseudonym, r.charged_at, r.charged_at::text AS charged_at_text,
       r.requested_at, o.acknowledged_at, o.bed_offered_at, o.left_custody_at, o.ended_at, o.outcome,
       o.escalation_level, o.overnight, o.weekend, o.stay_reason, o.cancel_reason, o.decline_reasons
     FROM requests r LEFT JOIN outcomes o ON o.workflow_id = r.workflow_id
     WHERE r.charged_at >= $1::timestamptz AND r.charged_at < $2::timestamptz
       AND ($3::timestamptz IS NULL OR (r.charged_at, r.workflow_id) > ($3::timestamptz, $4::text))
     ORDER BY r.charged_at, r.workflow_id
     LIMIT $5`,
    [range.from, range.to, after?.chargedAt ?? null, after?.workflowId ?? null, limit],
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
      childPseudonym: r.child_pseudonym,
      chargedAt,
      requestedAt: toIso(r.requested_at),
      ...opt('acknowledgedAt', toIsoOrUndefined(r.acknowledged_at)),
      ...opt('bedOfferedAt', toIsoOrUndefined(r.bed_offered_at)),
      ...opt('leftCustodyAt', toIsoOrUndefined(r.left_custody_at)),
      ...opt('endedAt', toIsoOrUndefined(r.ended_at)),
      ...opt('outcome', r.outcome),
      ...opt('escalationLevel', r.escalation_level === null ? null : Number(r.escalation_level)),
      ...opt('overnight', r.overnight),
      ...opt('weekend', r.weekend),
      ...opt('stayReason', r.stay_reason),
      ...opt('cancelReason', r.cancel_reason),
      declineReasons: r.decline_reasons ?? [],
      cursor: { chargedAt: r.charged_at_text, workflowId: r.workflow_id },
    };
  });
}
