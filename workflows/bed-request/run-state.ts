import type { NextHandover } from '../../activities/index.js';
import type { RequestView } from '../../domain/request-view.js';
import type { ProtocolSnapshot } from '../../domain/routing.js';
import type { LadderFacts, LadderProgress } from '../escalation/ladder.js';
import type { DecisionClock } from './clock.js';
import type { CountersignProgress, SentPage } from './state.js';

/** Card step keys: the same key on every update, so each card is edited in place. */
export const STEP = {
  responderCard: 'card:responder',
  custodyCard: 'card:custody',
  officerCard: 'card:officer',
  repeatAlert: 'repeat-alert',
  /** The repeat-child alert sent when the request opens (item 1 of docs/legal-rules.md, "Repeat detention"). */
  repeatAtStart: 'repeat-alert:start',
  review: (n: number) => `review:${n}`,
  /** The inspectors' card asking for the certificate's countersignature, once per page. */
  countersign: (n: number) => `countersign:${n}`,
  note: (n: number) => `note:${n}`,
  page: (key: string, occurrence: number) => `esc:${key}:${occurrence}`,
} as const;

/**
 * Everything one run of a bed request holds, shared by its phases (open, respond, escalate,
 * record). Mutable: each phase moves the request on. Carried across continue-as-new as
 * `ContinuedBedRequest` (state.ts).
 */
export interface RunState {
  workflowId: string;
  snapshot: ProtocolSnapshot;
  view: RequestView;
  ladder: LadderProgress;
  lastChangeAtMs: number;
  /** Counters for deterministic audit-event IDs and note step keys. */
  eventSeq: number;
  noteSeq: number;
  pages: SentPage[];
  clock: DecisionClock;
  /** The next shift change (handover.ts); null or absent when none is planned. */
  handover?: NextHandover | null;
  /** The inspectors' pages for the certificate's countersignature (countersign.ts). */
  countersign?: CountersignProgress;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** What the ladder needs to know about the request now. */
export function ladderFacts(run: RunState): LadderFacts {
  const v = run.view;
  return {
    requestedAtMs: Date.parse(v.requestedAt),
    lastChangeAtMs: run.lastChangeAtMs,
    acknowledged: v.acknowledged !== undefined,
    bedOffered: v.offer !== undefined,
    // A stay recorded: the review ladder (held.ts) takes over from the escalation ladder.
    resolved: v.outcome !== undefined || v.stay !== undefined,
  };
}
