import type { Transport } from './actions.js';
import type { Countersignature } from './countersignature.js';
import type { Accommodation, RequestWarning } from './bed-request.js';
import type { LeftCellsFor } from './held-in-custody.js';
import type { CancelReason, DeclineReason, OutcomeCode, StayReason } from './outcomes.js';
import type { Actor } from './people.js';

export type RequestStatus =
  | 'awaiting_acknowledgement'
  | 'acknowledged'
  | 'bed_offered'
  | 'declined'
  /** A stay was recorded (the certificate produced) and the child is still in the cells: a bed is still sought. */
  | 'held_bed_sought'
  | 'resolved';

export type Route = 'in_hours' | 'out_of_hours';

/**
 * The one view model of a request. The workflow's `state` query returns it, and every card
 * (Slack Block Kit, Teams Adaptive Card) is built from it by a pure function. It carries no
 * name, date of birth or offence text: only an opaque case reference and facts about the request.
 */
export interface RequestView {
  workflowId: string;
  /** Opaque case reference shown on cards, e.g. CN-7K3F9Q. */
  caseRef: string;
  custodyRecordNumber: string;
  custodySuiteId: string;
  custodySuiteName: string;
  localAuthorityId: string;
  localAuthorityName: string;
  route: Route;
  outOfArea: boolean;
  age: number;
  accommodation: Accommodation;
  warnings: RequestWarning[];
  status: RequestStatus;
  chargedAt: string;
  requestedAt: string;
  nextCourtSitting: string;
  requestingOfficer: Actor;
  acknowledged?: { by: Actor; at: string };
  offer?: {
    by: Actor;
    at: string;
    accommodation: Accommodation;
    provider: string;
    transport: Transport;
    notes: string;
  };
  declines: Array<{ by: Actor; at: string; reason: DeclineReason; notes: string }>;
  questions: Array<{
    id: string;
    by: Actor;
    at: string;
    question: string;
    answer?: { by: Actor; at: string; text: string };
  }>;
  escalationLevel: number;
  escalations: Array<{ level: number; name: string; at: string }>;
  /**
   * The stay recorded with its s.38(6) certificate, while the child is still held and a bed is
   * still sought (docs/legal-rules.md, "A stay is not the end"). The request ends when the child
   * leaves the cells; its outcome then keeps the stay's reason and certificate.
   */
  stay?: {
    /** The outcome the stay gives when the child leaves for court or on bail. */
    code: OutcomeCode;
    at: string;
    by: Actor;
    reason: StayReason;
    certificate: string;
    /**
     * Set when the protocol asks an inspector to countersign the certificate (docs/legal-rules.md,
     * "Countersignature by an inspector"): awaiting it, the certificate is not final.
     */
    countersignature?: Countersignature;
  };
  /**
   * A repeat child (docs/legal-rules.md, "Repeat detention"): earlier post-charge detentions of
   * the same child in the window, found as the request opened. Counts and a date only, no identity.
   */
  repeat?: { count: number; lastChargedAt: string; windowDays: number };
  /** Shift changes: the request moved between the duty team and the EDT (docs/legal-rules.md, "Shift changes"). */
  handovers?: Array<{ at: string; from: Route; to: Route }>;
  /** Changes to the court sitting, audited (docs/legal-rules.md, "The court sitting is the hard deadline"). */
  courtSittingAmendments?: Array<{ at: string; by: Actor; from: string; to: string; reason: string }>;
  /** Review pages sent while held (docs/legal-rules.md, "A stay is not the end"). */
  reviews?: Array<{ at: string }>;
  outcome?: {
    code: OutcomeCode;
    at: string;
    by: Actor;
    leftCustodyAt?: string;
    stayReason?: StayReason;
    cancelReason?: CancelReason;
    /** The s.38(6) certificate text produced for court, when the child stayed. */
    certificate?: string;
    /** The certificate's countersignature, when the protocol asked for one (awaiting or given). */
    certificateCountersignature?: Countersignature;
    /** When the child really left the police cells (absent in outcomes recorded before it existed). */
    leftCellsAt?: string;
    /** Nobody recorded when the child left: the time is inferred (the court sitting, or the click). */
    leftCellsAssumed?: boolean;
    leftCellsFor?: LeftCellsFor;
    /** A transfer arranged outside chat (by phone), confirmed by the sergeant without an offer in chat. */
    arrangedOutsideChat?: { provider: string; accommodation: Accommodation; transport: Transport };
  };
  /** The last change, for "updated 3 min ago" and App Home ordering. */
  updatedAt: string;
}

export interface EscalationPageView {
  request: RequestView;
  level: number;
  stepName: string;
  reason: 'not_acknowledged' | 'no_bed_offered' | 'not_resolved' | 'overnight' | 'held_review' | 'court_soon';
  /** Minutes since the request was made, at the time of the page. */
  minutesOpen: number;
}

export interface RepeatAlertView {
  /** Keyed pseudonym of the child, shortened for display (never the identity). */
  childRef: string;
  windowDays: number;
  detentions: Array<{
    custodyRecordNumber: string;
    custodySuiteName: string;
    localAuthorityName: string;
    chargedAt: string;
    outcome: OutcomeCode;
    caseRef: string;
  }>;
  /**
   * Set on the alert sent as a request opens: the detention now under way (its outcome not yet
   * known). Absent on the alert sent when a request ends, whose last detention is this one.
   */
  now?: {
    caseRef: string;
    custodyRecordNumber: string;
    custodySuiteName: string;
    localAuthorityName: string;
    chargedAt: string;
  };
}
