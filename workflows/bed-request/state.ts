import type { NextHandover } from '../../activities/index.js';
import type { Destination } from '../../domain/chat-port.js';
import type { EscalationPageView, RequestView } from '../../domain/request-view.js';
import type { ProtocolSnapshot } from '../../domain/routing.js';
import type { LadderProgress } from '../escalation/ladder.js';

/** An escalation page already sent, kept so it can be re-rendered in place when the request changes. */
export interface SentPage {
  step: string;
  destinations: Destination[];
  level: number;
  stepName: string;
  reason: EscalationPageView['reason'];
  minutesOpen: number;
}

/** The inspectors paged for a certificate's countersignature (countersign.ts). */
export interface CountersignProgress {
  /** When to page them again (null: not again). */
  nextAtMs: number | null;
  /** The cards sent, one per page, each updated in place as the request changes. */
  pages: Array<{ step: string; destinations: Destination[] }>;
}

/**
 * Everything a bed request carries across continue-as-new. It holds no identity of the child:
 * after registration the workflow knows the child only by the opaque case reference.
 */
export interface ContinuedBedRequest {
  view: RequestView;
  snapshot: ProtocolSnapshot;
  ladder: LadderProgress;
  lastChangeAtMs: number;
  /** Recent action IDs, so a redelivered click after continue-as-new is still a no-op. */
  seenActionIds: string[];
  /** Counters for deterministic audit-event IDs and note step keys. */
  eventSeq: number;
  noteSeq: number;
  pages: SentPage[];
  /** How many runs came before this one. */
  runs: number;
  /** The latest time the previous run decided by (absent in runs continued before it existed). */
  clockFloorMs?: number;
  /** The next shift change planned (handover.ts). */
  handover?: NextHandover | null;
  /** The inspectors' pages for a certificate's countersignature (countersign.ts). */
  countersign?: CountersignProgress;
}
