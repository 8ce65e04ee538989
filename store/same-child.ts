import { createHmac, randomBytes } from 'node:crypto';
import type { OutcomeCode } from '../domain/outcomes.js';
import { RELINK_ALL_CHILDREN_SQL } from './migrations.js';
import { DETAINED_SQL } from './sql-text.js';
import { toIso, type SqlClient, type SqlExecutor } from './sql-client.js';

/**
 * The "same child" linker (docs/same-child.md), the one place that decides whether two requests
 * are the same child. The repeat alert, the digest's repeat children and the export all read it.
 *
 * The rule: two requests are the same child when they share a keyed pseudonym (of the PNC ID, or
 * of the normalised name with date of birth), transitively across any number of requests, of any
 * outcome and any date. So a night known only by PNC ID and a night known only by name and date
 * of birth are the same child once any night carried both.
 *
 * How: union-find kept in the database. `requests.child_id` labels each request's connected
 * component. A new request starts as its own child (the column's default) and `linkSameChild`
 * merges it, in its registration transaction, with every component it shares a pseudonym with:
 * one index lookup per pseudonym, and a relabel of the smaller side only when a request bridges
 * two children, which is rare and small. Readers then group by child_id: the alert is one index
 * range (child_id, charged_at), and the yearly digest one pass over the window, however long the
 * chains are. Computing components at read time instead would walk every request ever made.
 */

/** Serialises linking: two registrations bridging the same children at once would split them. */
const LINK_LOCK = `SELECT pg_advisory_xact_lock(hashtext('concordat.same-child:' || current_schema()))`;

/** Takes the linking lock for the rest of the transaction. Call first in a registration. */
export async function lockSameChild(tx: SqlExecutor): Promise<void> {
  await tx.query(LINK_LOCK);
}

/**
 * Joins `workflowId` (registered, with its pseudonyms, in this transaction, under
 * `lockSameChild`) to the child of every request sharing a pseudonym with it. The smallest label
 * survives, so an existing child keeps its label when a new night joins it.
 */
export async function linkSameChild(tx: SqlExecutor, workflowId: string): Promise<void> {
  await tx.query(
    `WITH linked AS (
       SELECT r.child_id
       FROM child_pseudonyms mine
       JOIN child_pseudonyms other ON other.pseudonym = mine.pseudonym
       JOIN requests r ON r.workflow_id = other.workflow_id
       WHERE mine.workflow_id = $1
     ),
     target AS (SELECT min(child_id) AS child_id FROM linked)
     UPDATE requests r SET child_id = target.child_id
     FROM target
     WHERE r.child_id IN (SELECT child_id FROM linked) AND r.child_id <> target.child_id`,
    [workflowId],
  );
}

/**
 * Relabels every request from the pseudonyms alone (the algorithm of migration 5). For bulk
 * loads that write rows without `registerRequest`: imports and the benchmarks' seeds.
 */
export async function relinkAllChildren(db: SqlClient): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(LINK_LOCK);
    await tx.exec(RELINK_ALL_CHILDREN_SQL);
  });
}

export interface EarlierDetention {
  workflowId: string;
  caseRef: string;
  custodyRecordNumber: string;
  custodySuiteId: string;
  localAuthorityId: string;
  chargedAt: string;
  outcome: OutcomeCode;
}

/**
 * A detention row as read by both readers of detentions (the repeat alert here, the digest's
 * repeat children in store/digest-queries.ts): `r` is the request, `o` its outcome.
 */
export interface DetentionSqlRow {
  workflow_id: string;
  case_ref: string;
  custody_record_number: string;
  custody_suite_id: string;
  local_authority_id: string;
  charged_at: Date | string;
  outcome: OutcomeCode;
}

/** The one mapping from a detention row to a detention. */
export function toDetention(r: DetentionSqlRow): EarlierDetention {
  return {
    workflowId: r.workflow_id,
    caseRef: r.case_ref,
    custodyRecordNumber: r.custody_record_number,
    custodySuiteId: r.custody_suite_id,
    localAuthorityId: r.local_authority_id,
    chargedAt: toIso(r.charged_at),
    outcome: r.outcome,
  };
}

/** The repeat alert's question, answered by the linker. */
export interface SameChildStore {
  /**
   * Earlier post-charge detentions (outcome in DETAINED_OUTCOMES) of the same child charged in
   * [since, before), excluding the request itself. Oldest first.
   */
  earlierDetentions(args: { workflowId: string; since: string; before: string }): Promise<EarlierDetention[]>;
}

export class SqlSameChildStore implements SameChildStore {
  constructor(private readonly sql: SqlExecutor) {}

  async earlierDetentions(args: {
    workflowId: string;
    since: string;
    before: string;
  }): Promise<EarlierDetention[]> {
    const rows = await this.sql.query<DetentionSqlRow>(
      `SELECT r.workflow_id, r.case_ref, r.custody_record_number, r.custody_suite_id,
         r.local_authority_id, r.charged_at, o.outcome
       FROM requests me
       JOIN requests r ON r.child_id = me.child_id
         AND r.charged_at >= $2::timestamptz AND r.charged_at < $3::timestamptz
       JOIN outcomes o ON o.workflow_id = r.workflow_id
       WHERE me.workflow_id = $1 AND r.workflow_id <> $1 AND o.outcome IN (${DETAINED_SQL})
       ORDER BY r.charged_at, r.workflow_id`,
      [args.workflowId, args.since, args.before],
      { prepare: 'concordat_earlier_detentions_v2' },
    );
    return rows.map(toDetention);
  }
}

/**
 * The material for a period's repeat children, by the linker: every post-charge detention charged
 * in [from − window, to) of each child detained in [from, to) after another detention in the
 * window, with its child and where it was detained. One pass over the window's detentions (a covering partial index) joined
 * to their requests' children, then a window function per child, so only repeat children's rows
 * leave the database.
 */
export async function repeatChildDetentions(
  db: SqlExecutor,
  range: { from: string; to: string; windowMs: number },
): Promise<
  Array<{
    workflowId: string;
    childId: string;
    chargedMs: number;
    custodySuiteId: string;
    localAuthorityId: string;
  }>
> {
  const lo = `($1::timestamptz - $3::float8 * interval '1 millisecond')`;
  const rows = await db.query<{
    workflow_id: string;
    child_id: string | number;
    charged_ms: number;
    suite: string;
    la: string;
  }>(
    `WITH det AS MATERIALIZED (
       SELECT o.workflow_id, r.child_id, o.charged_at, o.custody_suite_id, o.local_authority_id
       FROM outcomes o
       -- The request's charge time is the outcome's: the range lets both be index range scans.
       JOIN requests r ON r.workflow_id = o.workflow_id
         AND r.charged_at >= ${lo} AND r.charged_at < $2::timestamptz
       WHERE o.outcome IN (${DETAINED_SQL}) AND o.charged_at >= ${lo} AND o.charged_at < $2::timestamptz
     ),
     multi AS (
       -- Only a child with two or more detentions, one of them in the period, can be a repeat.
       SELECT child_id FROM det GROUP BY child_id
       HAVING COUNT(*) > 1 AND MAX(charged_at) >= $1::timestamptz
     ),
     seq AS MATERIALIZED (
       SELECT d.workflow_id, d.child_id, d.charged_at, d.custody_suite_id, d.local_authority_id,
         lag(d.charged_at) OVER (PARTITION BY d.child_id ORDER BY d.charged_at, d.workflow_id) AS prev_at
       FROM det d JOIN multi ON multi.child_id = d.child_id
     ),
     repeat_children AS (
       SELECT DISTINCT child_id FROM seq
       WHERE charged_at >= $1::timestamptz
         AND prev_at >= charged_at - $3::float8 * interval '1 millisecond'
     )
     SELECT seq.workflow_id, seq.child_id, (EXTRACT(EPOCH FROM seq.charged_at) * 1000)::float8 AS charged_ms,
       seq.custody_suite_id AS suite, seq.local_authority_id AS la
     FROM seq JOIN repeat_children ON repeat_children.child_id = seq.child_id`,
    [range.from, range.to, range.windowMs],
  );
  return rows.map((r) => ({
    workflowId: r.workflow_id,
    childId: String(r.child_id),
    chargedMs: Number(r.charged_ms),
    custodySuiteId: r.suite,
    localAuthorityId: r.la,
  }));
}

/**
 * A child key for one export: an HMAC of the child's label under a salt drawn for that export
 * alone, so one child's rows share a key within the file and two files cannot be joined on it.
 */
export function exportChildKeyer(salt: Buffer = randomBytes(32)): (childId: string) => string {
  return (childId) =>
    createHmac('sha256', salt).update(`child:${childId}`, 'utf8').digest('hex').slice(0, 16);
}
