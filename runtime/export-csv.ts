import type { Writable } from 'node:stream';
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
import { countExportRows, exportPage, type ExportCursor, type ExportRow } from '../store/digest-queries.js';
import { exportChildKeyer } from '../store/same-child.js';
import type { SqlExecutor } from '../store/sql-client.js';

/**
 * The Concordat data (principle 7: forces collect and share data on transfers) as CSV: one row per
 * request whose child was charged in the date range, with the outcome, every timestamp (ISO-8601
 * UTC), the flags and the coded reasons. The child appears only as `child_key`: the same-child
 * linker's child (docs/same-child.md), keyed with a salt drawn for this export alone, so one child's
 * rows share a key within the file and two files cannot be joined on it. No name, date of birth,
 * PNC ID, pseudonym, certificate or free text is ever read for the export.
 *
 * RFC 4180: CRLF line ends, a header row, fields quoted when they hold a comma, quote, CR or LF,
 * and quotes doubled inside quoted fields.
 */

type Column = { name: string; value: (r: ExportRow, names: Names) => string | number | boolean | undefined };
interface Names {
  suites: Record<string, string>;
  localAuthorities: Record<string, string>;
  /** This export's child key of a linker child. */
  childKey: (childId: string) => string;
}

const TRANSFERRED = new Set(['transferred_non_secure', 'transferred_secure']);

export const EXPORT_COLUMNS: readonly Column[] = [
  { name: 'case_ref', value: (r) => r.caseRef },
  { name: 'custody_record_number', value: (r) => r.custodyRecordNumber },
  { name: 'custody_suite_id', value: (r) => r.custodySuiteId },
  { name: 'custody_suite', value: (r, n) => n.suites[r.custodySuiteId] ?? r.custodySuiteId },
  { name: 'local_authority_id', value: (r) => r.localAuthorityId },
  { name: 'local_authority', value: (r, n) => n.localAuthorities[r.localAuthorityId] ?? r.localAuthorityId },
  { name: 'route', value: (r) => r.route },
  { name: 'out_of_area', value: (r) => r.outOfArea },
  { name: 'age', value: (r) => r.age },
  { name: 'accommodation_requested', value: (r) => r.accommodation },
  { name: 'child_key', value: (r, n) => n.childKey(r.childId) },
  { name: 'charged_at', value: (r) => r.chargedAt },
  { name: 'requested_at', value: (r) => r.requestedAt },
  { name: 'acknowledged_at', value: (r) => r.acknowledgedAt },
  { name: 'bed_offered_at', value: (r) => r.bedOfferedAt },
  { name: 'left_custody_at', value: (r) => r.leftCustodyAt },
  { name: 'ended_at', value: (r) => r.endedAt },
  { name: 'outcome', value: (r) => r.outcome ?? 'open' },
  { name: 'outcome_label', value: (r) => (r.outcome ? OUTCOME_LABELS[r.outcome] : 'Still open') },
  { name: 'transferred', value: (r) => (r.outcome ? TRANSFERRED.has(r.outcome) : undefined) },
  {
    name: 'held_in_police_detention_after_charge',
    value: (r) => (r.outcome ? DETAINED_OUTCOMES.includes(r.outcome) : undefined),
  },
  { name: 'escalation_level', value: (r) => r.escalationLevel },
  { name: 'overnight', value: (r) => r.overnight },
  { name: 'weekend', value: (r) => r.weekend },
  { name: 'stay_reason', value: (r) => r.stayReason },
  {
    name: 'stay_reason_label',
    value: (r) =>
      r.stayReason ? (STAY_REASON_LABELS[r.stayReason as StayReason] ?? r.stayReason) : undefined,
  },
  { name: 'cancel_reason', value: (r) => r.cancelReason },
  { name: 'decline_count', value: (r) => r.declineReasons.length },
  { name: 'decline_reasons', value: (r) => r.declineReasons.join(';') },
  {
    name: 'decline_reason_labels',
    value: (r) => r.declineReasons.map((d) => DECLINE_REASON_LABELS[d as DeclineReason] ?? d).join('; '),
  },
];

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
    readonly code: 'empty_range',
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

/**
 * Writes the CSV for the local dates `from`..`to` (both inclusive) to `out`, a page at a time
 * (keyset pagination: constant memory and constant cost per page however large the range).
 * Throws PeriodError for bad dates or an end before the start, and ExportError when no request
 * falls in the range (nothing is written then).
 */
export async function exportConcordatCsv(
  db: SqlExecutor,
  protocol: Pick<Protocol, 'force' | 'custodySuites' | 'localAuthorities'>,
  args: {
    from: string;
    to: string;
    out: Writable;
    pageSize?: number;
    onProgress?: (p: ExportProgress) => void;
  },
): Promise<{ rows: number; period: DigestPeriod }> {
  const period = computePeriod({
    kind: 'range',
    now: Date.now(),
    timeZone: protocol.force.timeZone,
    from: args.from,
    to: args.to,
  });
  const range = { from: period.from, to: period.to };
  const total = await countExportRows(db, range);
  if (total === 0) {
    throw new ExportError(
      'empty_range',
      `No bed requests were made for children charged from ${period.firstDay} to ${period.lastDay} ` +
        `(${period.timeZone}): there is nothing to export. Check the dates.`,
    );
  }
  const names: Names = {
    suites: Object.fromEntries(protocol.custodySuites.map((s) => [s.id, s.name])),
    localAuthorities: Object.fromEntries(protocol.localAuthorities.map((l) => [l.id, l.name])),
    childKey: exportChildKeyer(),
  };
  const pageSize = args.pageSize ?? 5000;
  await write(args.out, csvLine(EXPORT_COLUMNS.map((c) => c.name)));
  let done = 0;
  let cursor: ExportCursor | null = null;
  for (;;) {
    const page = await exportPage(db, range, cursor, pageSize);
    if (page.length === 0) break;
    await write(args.out, page.map((r) => csvLine(EXPORT_COLUMNS.map((c) => c.value(r, names)))).join(''));
    done += page.length;
    cursor = page[page.length - 1]?.cursor ?? null;
    // Rows charged in the range but registered meanwhile may take the count past the first total.
    args.onProgress?.({ done, total: Math.max(total, done) });
    if (page.length < pageSize) break;
  }
  return { rows: done, period };
}
