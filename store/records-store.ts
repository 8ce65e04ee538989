import type { MessageRef } from '../domain/chat-port.js';
import type { Accommodation, ChildIdentity } from '../domain/bed-request.js';
import type { OutcomeCode } from '../domain/outcomes.js';
import type { Actor, Platform } from '../domain/people.js';
import type { Route } from '../domain/request-view.js';

/** A new request, as the workflow's first activity registers it. */
export interface NewRequest {
  workflowId: string;
  /**
   * Optional: the store derives the opaque reference from the workflow ID (an HMAC, `CN-` plus 6
   * base32 characters), stable under retry. Give one only to override that (tests, imports).
   * The reference actually stored is the one `registerRequest` returns.
   */
  caseRef?: string;
  custodyRecordNumber: string;
  custodySuiteId: string;
  localAuthorityId: string;
  route: Route;
  outOfArea: boolean;
  age: number;
  accommodation: Accommodation;
  chargedAt: string;
  requestedAt: string;
  nextCourtSitting: string;
  requestingOfficer: Actor;
  /** Stored encrypted; never logged. */
  identity: ChildIdentity;
  /** Stored encrypted; shown only through "View details". */
  details?: CaseDetails;
}

/** What a responder needs to place the child. Personal: encrypted at rest, purged with the identity. */
export interface CaseDetails {
  bailRefusalGround: string;
  needsAndRisks: string;
  seriousHarmJustification?: string;
}

export interface RegisteredRequest {
  workflowId: string;
  caseRef: string;
  /** The keyed HMAC pseudonym the child is matched by (PNC-based when a PNC ID is known). */
  childPseudonym: string;
}

export interface OutcomeRecord {
  workflowId: string;
  outcome: OutcomeCode;
  chargedAt: string;
  requestedAt: string;
  acknowledgedAt?: string;
  bedOfferedAt?: string;
  /** When the child left custody (transfer), or when the request ended otherwise. */
  endedAt: string;
  leftCustodyAt?: string;
  escalationLevel: number;
  overnight: boolean;
  weekend: boolean;
  stayReason?: string;
  cancelReason?: string;
  declineReasons: string[];
  certificate?: string;
  /** Who did what: actor per step (acknowledged, offered, resolved…). */
  actors: Record<string, Actor>;
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

export interface AuditEvent {
  /** Idempotency key: a retried write with the same ID is a no-op. */
  eventId: string;
  workflowId: string;
  type: string;
  actor?: Actor;
  at: string;
  /** No child personal data here. */
  data: Record<string, unknown>;
}

export interface OpenRequestRow {
  workflowId: string;
  caseRef: string;
  custodyRecordNumber: string;
  custodySuiteId: string;
  localAuthorityId: string;
  requestedAt: string;
  requestingOfficer: Actor;
}

/**
 * The records store: one Postgres schema on PGlite (embedded, under .data/) or a real Postgres
 * server (DATABASE_URL). Every write is idempotent under activity retry.
 */
export interface RecordsStore {
  /** Registers the request and computes the child's pseudonyms. Idempotent by workflowId. */
  registerRequest(request: NewRequest): Promise<RegisteredRequest>;
  getRequest(workflowId: string): Promise<(RegisteredRequest & OpenRequestRow) | null>;
  /** Decrypts the child's identity (for "View details" only); null when purged or unknown. */
  getIdentity(workflowId: string): Promise<ChildIdentity | null>;
  /** Decrypts the case details (for "View details" only); null when purged, absent or unknown. */
  getCaseDetails(workflowId: string): Promise<CaseDetails | null>;
  appendEvent(event: AuditEvent): Promise<void>;
  listEvents(workflowId: string): Promise<AuditEvent[]>;
  /** Exactly one outcome per request; a second call with the same workflowId is a no-op. */
  recordOutcome(outcome: OutcomeRecord): Promise<void>;
  getOutcome(workflowId: string): Promise<OutcomeRecord | null>;
  /**
   * Earlier post-charge detentions (outcome in DETAINED_OUTCOMES) of the same child (any of its
   * pseudonyms) charged in [since, before), excluding `excludeWorkflowId`. Oldest first.
   */
  earlierDetentions(args: { workflowId: string; since: string; before: string }): Promise<EarlierDetention[]>;
  getDelivery(workflowId: string, step: string, destinationKey: string): Promise<MessageRef | null>;
  saveDelivery(workflowId: string, step: string, destinationKey: string, ref: MessageRef): Promise<void>;
  /** All deliveries of a request (to update every card in place). */
  listDeliveries(
    workflowId: string,
  ): Promise<Array<{ step: string; destinationKey: string; ref: MessageRef }>>;
  logAccess(entry: { workflowId: string; actor: Actor; at: string; purpose: string }): Promise<void>;
  listAccess(workflowId: string): Promise<Array<{ actor: Actor; at: string; purpose: string }>>;
  /** Requests with no outcome yet (App Home, digests). */
  listOpenRequests(): Promise<OpenRequestRow[]>;
  /** Teams proactive messaging: the conversation reference captured at install, by key. */
  saveConversationReference(
    platform: Platform,
    key: string,
    reference: Record<string, unknown>,
  ): Promise<void>;
  getConversationReference(platform: Platform, key: string): Promise<Record<string, unknown> | null>;
  /** Removes personal fields of requests requested before `before`; pseudonyms and outcomes stay. */
  purgePersonalData(before: string, actor: Actor): Promise<{ purged: number }>;
  close(): Promise<void>;
}
