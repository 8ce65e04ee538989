import type { ActionEnvelope } from '../domain/actions.js';
import type { BedRequestInput, ChildIdentity } from '../domain/bed-request.js';
import type { Logger } from '../domain/logger.js';
import type { Protocol } from '../domain/protocol.js';
import type { RequestView } from '../domain/request-view.js';
import type { AuditEvent, CaseDetails, OpenRequestRow } from '../store/records-store.js';
import type { DigestRequests } from './digest-now.js';

export type { CaseDetails, OpenRequestRow } from '../store/records-store.js';

/**
 * What the desk needs from Temporal: the shape of `createBedRequestClient(...)` in
 * runtime/bed-request-client.ts, injected by runtime/main.ts (docs/architecture.md, "Layers").
 */
export interface BedRequests {
  start(
    input: BedRequestInput,
    requestedAt: string,
  ): Promise<{
    status: 'started' | 'already_open' | 'already_closed' | 'queued';
    workflowId: string;
    /** A correction: the request, cancelled as entered in error, that this one replaces. */
    supersedes?: string;
  }>;
  act(workflowId: string, envelope: ActionEnvelope): Promise<void>;
  view(workflowId: string): Promise<RequestView | null>;
}

/** The records-store calls the desk makes: View details, the lists, and the refusal audit. */
export interface DeskStore {
  getRequest(workflowId: string): Promise<OpenRequestRow | null>;
  getIdentity(workflowId: string): Promise<ChildIdentity | null>;
  getCaseDetails?(workflowId: string): Promise<CaseDetails | null>;
  logAccess(entry: {
    workflowId: string;
    actor: ActionEnvelope['actor'];
    at: string;
    purpose: string;
  }): Promise<void>;
  listOpenRequests(): Promise<OpenRequestRow[]>;
  appendEvent(event: AuditEvent): Promise<void>;
}

export interface DeskDeps {
  protocol: Protocol;
  bedRequests: BedRequests;
  store: DeskStore;
  log: Logger;
  /** The clock (tests pin it). */
  now?: () => Date;
  /** Starts a leads digest now; absent, the desk says it is not available. */
  digests?: DigestRequests | undefined;
  /** Window in which a repeated click is one click (default 3 s). */
  doubleClickMs?: number;
  /** Window in which a redelivered submission is one submission (default 10 min). */
  redeliveryMs?: number;
}
