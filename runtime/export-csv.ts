import type { Writable } from 'node:stream';
import { DateTime } from 'luxon';
import { aggregateTable, ALL } from '../domain/digest/aggregate-table.js';
import { computePeriod, type DigestPeriod } from '../domain/digest/period.js';
import { groupThousands } from '../domain/digest/suppression.js';
import {
  DECLINE_REASON_LABELS,
  DETAINED_OUTCOMES,
  OUTCOME_LABELS,
  STAY_REASON_LABELS,
  type DeclineReason,
  type StayReason,
} from '../domain/outcomes.js';
import type { Protocol } from '../domain/protocol.js';
import {
  aggregateCounts,
  countExportRows,
  exportPage,
  type ExportCursor,
  type ExportRow,
} from '../store/digest-queries.js';
import { exportChildKeyer } from '../store/same-child.js';
import type { SqlClient, SqlExecutor } from '../store/sql-client.js';

/**
 * The Concordat data (principle 7: forces collect and share data on transfers) as CSV, in two
 * files (docs/reports.md):
 *
 * - the row-level export, for the safeguarding partnership: one row per request whose child was
 *   charged in the date range, with the outcome, every timestamp in UTC and in the force's local
 *   time, the time held after charge, the next court sitting, the repeat flag, the flags and the
 *   coded reasons. The child appears only as `child_key`: the same-child linker's child
 *   (docs/same-child.md), keyed with a salt drawn for this export alone, so one child's rows share
 *   a key within the file and two files cannot be joined on it. The custody record number, which
 *   identifies the child inside police systems, is written only on request (internal use). No
 *   name, date of birth, PNC ID, pseudonym, certificate or free text is ever read.
 * - the aggregate export, to share beyond the partnership: counts by month × custody suite × local
 *   authority × outcome group × accommodation × age band, and by ethnic group and by sex (each
 *   with the outcome group: docs/demographics.md), with the digest's cell suppression. Ethnicity
 *   and sex are never in the row-level file.
 *
 * Both are RFC 4180: CRLF line ends, a header row, fields quoted when they hold a comma, quote, CR
 * or LF, and quotes doubled inside quoted fields.
 */

type Value = string | number | boolean | undefined;
type Column = { name: string; value: (r: ExportRow, names: Names) => Value };
interface Names {
  suites: Record<string, string>;
  localAuthorities: Record<string, string>;
  /** This export's child key of a linker child. */
  childKey: (childId: string) => string;
  timeZone: string;
}

const TRANSFERRED = new Set(['transferred_non_secure', 'transferred_secure']);
const MINUTE_MS = 60_000;

/** An instant in the force's local time, with its offset: 2026-10-12T00:30:00+01:00. */
export function localTime(iso: string | undefined, zone: string): string | undefined {
  if (iso === undefined) return undefined;
  return DateTime.fromISO(iso, { zone }).toISO({ suppressMilliseconds: true }) ?? undefined;
}

function localDate(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toISODate() ?? '';
}

/** Where the time held after charge ends, and how sure it is (docs/reports.md). */
export type HeldAfterChargeSource =
  | 'left_cells_recorded'
  | 'left_cells_assumed'
  | 'left_custody_on_transfer'
  | 'court_sitting_estimate'
  | 'request_ended';

/**
 * From charge to leaving the police cells. The real leaving time where it is recorded (migration
 * 7; `left_cells_assumed` when nobody recorded it and the court sitting was taken); before that, the
 * transfer's leaving time; a child who stayed is taken to have left for the court sitting; and
 * otherwise the time the request ended, which is when the outcome was recorded, not when the
 * child left (so labelled). Nothing for an open request or one entered in error.
 */
export function heldAfterCharge(
  r: ExportRow,
): { minutes: number; source: HeldAfterChargeSource } | undefined {
  if (!r.outcome || r.outcome === 'cancelled_in_error') return undefined;
  const from = Date.parse(r.chargedAt);
  const at = (
    iso: string,
    source: HeldAfterChargeSource,
  ): { minutes: number; source: HeldAfterChargeSource } => ({
    minutes: Math.max(0, Math.round((Date.parse(iso) - from) / MINUTE_MS)),
    source,
  });
  if (r.leftCellsAt)
    return at(r.leftCellsAt, r.leftCellsAssumed ? 'left_cells_assumed' : 'left_cells_recorded');
  if (r.leftCustodyAt) return at(r.leftCustodyAt, 'left_custody_on_transfer');
  if (
    DETAINED_OUTCOMES.includes(r.outcome) &&
    r.outcome !== 'court_before_transfer' &&
    (!r.endedAt || Date.parse(r.nextCourtSitting) > Date.parse(r.endedAt))
  ) {
    return at(r.nextCourtSitting, 'court_sitting_estimate');
  }
  return r.endedAt ? at(r.endedAt, 'request_ended') : undefined;
}

const held = (r: ExportRow) => (r.outcome ? DETAINED_OUTCOMES.includes(r.outcome) : undefined);

/** A UTC timestamp column and its local-time twin beside it. */
function timeColumns(name: string, value: (r: ExportRow) => string | undefined): Column[] {
  return [
    { name, value },
    { name: `${name}_local`, value: (r, n) => localTime(value(r), n.timeZone) },
  ];
}

export const CUSTODY_RECORD_COLUMN: Column = {
  name: 'custody_record_number',
  value: (r) => r.custodyRecordNumber,
};

export const EXPORT_COLUMNS: readonly Column[] = [
  { name: 'case_ref', value: (r) => r.caseRef },
  { name: 'custody_suite_id', value: (r) => r.custodySuiteId },
  { name: 'custody_suite', value: (r, n) => n.suites[r.custodySuiteId] ?? r.custodySuiteId },
  { name: 'local_authority_id', value: (r) => r.localAuthorityId },
  { name: 'local_authority', value: (r, n) => n.localAuthorities[r.localAuthorityId] ?? r.localAuthorityId },
  { name: 'route', value: (r) => r.route },
  { name: 'out_of_area', value: (r) => r.outOfArea },
  { name: 'age', value: (r) => r.age },
  { name: 'accommodation_requested', value: (r) => r.accommodation },
  { name: 'child_key', value: (r, n) => n.childKey(r.childId) },
  {
    name: 'repeat_detention',
    value: (r) => (r.outcome ? held(r) === true && r.earlierDetentions > 0 : undefined),
  },
  { name: 'earlier_detentions_in_window', value: (r) => r.earlierDetentions },
  { name: 'time_zone', value: (_r, n) => n.timeZone },
  ...timeColumns('charged_at', (r) => r.chargedAt),
  { name: 'charged_local_date', value: (r, n) => localDate(r.chargedAt, n.timeZone) },
  ...timeColumns('requested_at', (r) => r.requestedAt),
  ...timeColumns('next_court_sitting', (r) => r.nextCourtSitting),
  ...timeColumns('acknowledged_at', (r) => r.acknowledgedAt),
  ...timeColumns('bed_offered_at', (r) => r.bedOfferedAt),
  ...timeColumns('left_custody_at', (r) => r.leftCustodyAt),
  ...timeColumns('left_cells_at', (r) => r.leftCellsAt),
  { name: 'left_cells_assumed', value: (r) => r.leftCellsAssumed },
  ...timeColumns('ended_at', (r) => r.endedAt),
  { name: 'held_after_charge_minutes', value: (r) => heldAfterCharge(r)?.minutes },
  { name: 'held_after_charge_until', value: (r) => heldAfterCharge(r)?.source },
  { name: 'outcome', value: (r) => r.outcome ?? 'open' },
  { name: 'outcome_label', value: (r) => (r.outcome ? OUTCOME_LABELS[r.outcome] : 'Still open') },
  { name: 'entered_in_error', value: (r) => r.outcome === 'cancelled_in_error' },
  { name: 'transferred', value: (r) => (r.outcome ? TRANSFERRED.has(r.outcome) : undefined) },
  { name: 'held_in_police_detention_after_charge', value: held },
  { name: 'escalation_level', value: (r) => r.escalationLevel },
  { name: 'overnight', value: (r) => r.overnight },
  { name: 'weekend', value: (r) => r.weekend },
  { name: 'stay_reason', value: (r) => r.stayReason },
  {
    name: 'stay_reason_label',
    value: (r) =>
      r.stayReason ? (STAY_REASON_LABELS[r.stayReason as StayReason] ?? r.stayReason) : undefined,
  },
  // Empty: the protocol asked for no countersignature, or there was no certificate (migration 10).
  { name: 'certificate_countersignature', value: (r) => r.certificateCountersignature },
  ...timeColumns('certificate_countersigned_at', (r) => r.certificateCountersignedAt),
  { name: 'cancel_reason', value: (r) => r.cancelReason },
  { name: 'decline_count', value: (r) => r.declineReasons.length },
  { name: 'decline_reasons', value: (r) => r.declineReasons.join(';') },
  {
    name: 'decline_reason_labels',
    value: (r) => r.declineReasons.map((d) => DECLINE_REASON_LABELS[d as DeclineReason] ?? d).join('; '),
  },
];

/** The row-level columns, with the custody record number second only when asked for. */
export function exportColumns(includeCustodyRecord = false): readonly Column[] {
  if (!includeCustodyRecord) return EXPORT_COLUMNS;
  return [EXPORT_COLUMNS[0] as Column, CUSTODY_RECORD_COLUMN, ...EXPORT_COLUMNS.slice(1)];
}

/** One CSV field, quoted when it must be (RFC 4180). Empty for undefined. */
export function csvField(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: ReadonlyArray<string | number | boolean | undefined>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export class ExportError extends Error {
  constructor(
    readonly code: 'empty_range' | 'bad_out_path',
    message: string,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) {
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        out.off('drain', done);
        out.off('error', done);
        if (err) reject(err);
        else resolve();
      };
      out.once('drain', done);
      out.once('error', done);
    });
  }
}

export interface ExportProgress {
  done: number;
  total: number;
}

/** "12,000 / 40,000 rows" */
export function formatProgress(p: ExportProgress): string {
  return `${groupThousands(p.done)} / ${groupThousands(p.total)} rows`;
}

type ExportProtocol = Pick<Protocol, 'force' | 'custodySuites' | 'localAuthorities' | 'repeatDetention'>;

/** The period of the local dates, refused when nothing was charged in it. */
async function checkedRange(
  db: SqlExecutor,
  protocol: ExportProtocol,
  args: { from: string; to: string },
): Promise<{ period: DigestPeriod; total: number }> {
  const period = computePeriod({
    kind: 'range',
    now: Date.now(),
    timeZone: protocol.force.timeZone,
    from: args.from,
    to: args.to,
  });
  const total = await countExportRows(db, { from: period.from, to: period.to });
  if (total === 0) {
    throw new ExportError(
      'empty_range',
      `No bed requests were made for children charged from ${period.firstDay} to ${period.lastDay} ` +
        `(${period.timeZone}): there is nothing to export. Check the dates.`,
    );
  }
  return { period, total };
}

/**
 * Writes the CSV for the local dates `from`..`to` (both inclusive) to `out`, a page at a time
 * (keyset pagination: constant memory and constant cost per page however large the range).
 * Throws PeriodError for bad dates or an end before the start, and ExportError when no request
 * falls in the range (nothing is written then).
 */
export async function exportConcordatCsv(
  db: SqlExecutor,
  protocol: ExportProtocol,
  args: {
    from: string;
    to: string;
    out: Writable;
    pageSize?: number;
    onProgress?: (p: ExportProgress) => void;
    /** Internal use only: the custody record number identifies the child in police systems. */
    includeCustodyRecord?: boolean;
  },
): Promise<{ rows: number; period: DigestPeriod }> {
  const { period, total } = await checkedRange(db, protocol, args);
  const range = { from: period.from, to: period.to, windowMs: protocol.repeatDetention.window };
  const names: Names = {
    suites: Object.fromEntries(protocol.custodySuites.map((s) => [s.id, s.name])),
    localAuthorities: Object.fromEntries(protocol.localAuthorities.map((l) => [l.id, l.name])),
    childKey: exportChildKeyer(),
    timeZone: period.timeZone,
  };
  const columns = exportColumns(args.includeCustodyRecord === true);
  const pageSize = args.pageSize ?? 5000;
  await write(args.out, csvLine(columns.map((c) => c.name)));
  let done = 0;
  let cursor: ExportCursor | null = null;
  for (;;) {
    const page = await exportPage(db, range, cursor, pageSize);
    if (page.length === 0) break;
    await write(args.out, page.map((r) => csvLine(columns.map((c) => c.value(r, names)))).join(''));
    done += page.length;
    cursor = page[page.length - 1]?.cursor ?? null;
    // Rows charged in the range but registered meanwhile may take the count past the first total.
    args.onProgress?.({ done, total: Math.max(total, done) });
    if (page.length < pageSize) break;
  }
  return { rows: done, period };
}

/** The local calendar months a period touches, each cut to the period: [from, to) in UTC. */
export function monthsOf(
  period: DigestPeriod,
): Array<{ month: string; firstDay: string; lastDay: string; from: string; to: string }> {
  const zone = period.timeZone;
  const start = DateTime.fromISO(period.firstDay, { zone }).startOf('day');
  const end = DateTime.fromISO(period.lastDay, { zone }).startOf('day').plus({ days: 1 });
  const out = [];
  for (let m = start.startOf('month'); m < end; m = m.plus({ months: 1 })) {
    const from = m < start ? start : m;
    const next = m.plus({ months: 1 });
    const to = next > end ? end : next;
    out.push({
      month: m.toFormat('yyyy-MM'),
      firstDay: from.toISODate() ?? '',
      lastDay: to.minus({ days: 1 }).toISODate() ?? '',
      from: from.toUTC().toISO() ?? '',
      to: to.toUTC().toISO() ?? '',
    });
  }
  return out;
}

export const AGGREGATE_COLUMNS = [
  'month',
  'first_day',
  'last_day',
  'custody_suite_id',
  'custody_suite',
  'local_authority_id',
  'local_authority',
  'outcome_group',
  'accommodation_requested',
  'age_band',
  'ethnic_group',
  'sex',
  'requests',
  'breakdown',
] as const;

/**
 * Writes the aggregate CSV for the local dates `from`..`to`: counts of requests (entered in error
 * left out) by local month of charge × custody suite × local authority × outcome group ×
 * accommodation requested × age band, with "all" in the margin and total rows, and the digest's
 * primary and complementary suppression (docs/suppression.md): no count of 1 to 4 appears, and
 * none can be worked out from the others. A month cut by the range says so in its first and last
 * days; a month's total row says how far it is broken down (`breakdown`: cells, margins or total),
 * so an absent row is known to be withheld rather than zero.
 */
export async function exportAggregateCsv(
  db: SqlClient,
  protocol: ExportProtocol,
  args: { from: string; to: string; out: Writable },
): Promise<{ rows: number; suppressed: number; period: DigestPeriod }> {
  const { period } = await checkedRange(db, protocol, args);
  const months = monthsOf(period);
  const counts = await aggregateCounts(db, months);
  const rows = aggregateTable(
    months.map((m) => m.month),
    counts.map((c) => ({ ...c, month: months[c.bucket]?.month ?? '' })),
    {
      custodySuiteId: protocol.custodySuites.map((s) => s.id),
      localAuthorityId: protocol.localAuthorities.map((l) => l.id),
    },
  );
  const suites = Object.fromEntries(protocol.custodySuites.map((s) => [s.id, s.name]));
  const las = Object.fromEntries(protocol.localAuthorities.map((l) => [l.id, l.name]));
  const byMonth = new Map(months.map((m) => [m.month, m]));
  const name = (names: Record<string, string>, id: string) => (id === ALL ? ALL : (names[id] ?? id));
  await write(args.out, csvLine([...AGGREGATE_COLUMNS]));
  await write(
    args.out,
    rows
      .map((r) =>
        csvLine([
          r.month,
          byMonth.get(r.month)?.firstDay,
          byMonth.get(r.month)?.lastDay,
          r.custodySuiteId,
          name(suites, r.custodySuiteId),
          r.localAuthorityId,
          name(las, r.localAuthorityId),
          r.outcomeGroup,
          r.accommodation,
          r.ageBand,
          r.ethnicGroup,
          r.sex,
          r.shown,
          r.breakdown,
        ]),
      )
      .join(''),
  );
  return { rows: rows.length, suppressed: rows.filter((r) => r.suppressed !== null).length, period };
}
