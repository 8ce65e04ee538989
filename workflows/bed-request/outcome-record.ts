import { DETAINED_OUTCOMES } from '../../domain/outcomes.js';
import type { Actor } from '../../domain/people.js';
import type { RequestView } from '../../domain/request-view.js';
import { isOvernight, isWeekend } from '../../domain/time-windows.js';
import type { RecordOutcomeInput } from '../../activities/index.js';

/** The store's outcome record, seen through the activity's input type (workflows never import the store). */
export type OutcomeRecord = RecordOutcomeInput['outcome'];

/**
 * When post-charge detention ended, for the time held and the overnight and weekend flags: when
 * the child really left the cells (`leftCellsAt`, docs/legal-rules.md, "A stay is not the end").
 * Outcomes recorded before that time existed (older histories) estimate it:
 * - transferred: when the child left custody;
 * - stayed (a s.38(6) certificate): the child is held until the court sitting, so the sitting;
 * - court before any transfer, bailed, charge withdrawn: when the request ended.
 * A request entered in error was never a detention, so it has no end (and no flags).
 */
export function detentionEnd(view: RequestView): string | null {
  const o = view.outcome;
  if (!o) return null;
  if (o.code !== 'cancelled_in_error' && o.leftCellsAt) return o.leftCellsAt;
  switch (o.code) {
    case 'transferred_non_secure':
    case 'transferred_secure':
      return o.leftCustodyAt ?? o.at;
    case 'detained_no_bed_non_secure':
    case 'detained_no_secure_bed':
    case 'detained_impracticable':
      return Date.parse(view.nextCourtSitting) > Date.parse(o.at) ? view.nextCourtSitting : o.at;
    case 'court_before_transfer':
    case 'released_or_bailed':
      return o.at;
    case 'cancelled_in_error':
      return null;
  }
}

/** The one outcome record of a resolved request: every timestamp, the level, the flags, who did what. */
export function buildOutcomeRecord(view: RequestView, timeZone: string): OutcomeRecord {
  const o = view.outcome;
  if (!o) throw new Error('buildOutcomeRecord needs a resolved request');
  const end = detentionEnd(view);
  const actors: Record<string, Actor> = { requested: view.requestingOfficer, resolved: o.by };
  if (view.acknowledged) actors.acknowledged = view.acknowledged.by;
  if (view.offer) actors.offered = view.offer.by;
  const lastDecline = view.declines[view.declines.length - 1];
  if (lastDecline) actors.declined = lastDecline.by;
  if (view.stay) actors.stayed = view.stay.by;
  // The certificate's countersignature, where the protocol asked for one (countersign.ts).
  const countersignature = o.certificateCountersignature;
  if (countersignature?.status === 'countersigned') actors.countersigned = countersignature.by;
  return {
    workflowId: view.workflowId,
    outcome: o.code,
    chargedAt: view.chargedAt,
    requestedAt: view.requestedAt,
    ...(view.acknowledged ? { acknowledgedAt: view.acknowledged.at } : {}),
    ...(view.offer ? { bedOfferedAt: view.offer.at } : {}),
    endedAt: o.leftCustodyAt ?? o.at,
    ...(o.leftCustodyAt ? { leftCustodyAt: o.leftCustodyAt } : {}),
    ...(o.leftCellsAt && o.code !== 'cancelled_in_error'
      ? { leftCellsAt: o.leftCellsAt, leftCellsAssumed: o.leftCellsAssumed ?? false }
      : {}),
    ...(o.leftCellsFor && o.code !== 'cancelled_in_error' ? { leftCellsFor: o.leftCellsFor } : {}),
    ...(o.code === 'transferred_non_secure' || o.code === 'transferred_secure'
      ? { transferArrangedOutsideChat: o.arrangedOutsideChat !== undefined }
      : {}),
    escalationLevel: view.escalationLevel,
    overnight: end !== null && isOvernight(view.chargedAt, end, timeZone),
    weekend: end !== null && isWeekend(view.chargedAt, end, timeZone),
    ...(o.stayReason ? { stayReason: o.stayReason } : {}),
    ...(o.cancelReason ? { cancelReason: o.cancelReason } : {}),
    declineReasons: view.declines.map((d) => d.reason),
    ...(o.certificate ? { certificate: o.certificate } : {}),
    ...(countersignature ? { certificateCountersignature: countersignature.status } : {}),
    ...(countersignature?.status === 'countersigned'
      ? { certificateCountersignedAt: countersignature.at }
      : {}),
    actors,
  };
}

/** Did the child stay in police detention after charge (counts towards repeat detention)? */
export function stayedInDetention(view: RequestView): boolean {
  return view.outcome !== undefined && DETAINED_OUTCOMES.includes(view.outcome.code);
}
