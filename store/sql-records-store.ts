import type { ChildIdentity } from '../domain/bed-request.js';
import type { MessageRef } from '../domain/chat-port.js';
import type { Actor, Platform } from '../domain/people.js';
import { SqlAccessLogStore, type AccessEntry } from './access-log-store.js';
import { SqlAuditStore, type AuditEvent } from './audit-store.js';
import { SqlConversationReferencesStore, SqlDeliveriesStore } from './chat-references-store.js';
import { SqlOutcomesStore, type OutcomeRecord } from './outcomes-store.js';
import type { RecordsStore } from './records-store.js';
import {
  SqlRequestsStore,
  type CaseDetails,
  type NewRequest,
  type OpenRequestRow,
  type RegisteredRequest,
} from './requests-store.js';
import { SqlRetentionStore } from './retention-store.js';
import { SqlSameChildStore, type EarlierDetention } from './same-child.js';
import type { StoreSecrets } from './secrets.js';
import type { SqlClient } from './sql-client.js';

export { SYSTEM_WORKFLOW_ID } from './audit-store.js';

/**
 * The composed records store over any SqlClient (PGlite or node-postgres): each concern is its
 * own narrow store (docs/architecture.md), and this facade only forwards, so a caller may take the
 * whole RecordsStore or just the interfaces it needs. Timestamps go in as ISO-8601 strings with an
 * offset and come back as ISO-8601 UTC (`…Z`).
 */
export class SqlRecordsStore implements RecordsStore {
  readonly requests: SqlRequestsStore;
  readonly outcomes: SqlOutcomesStore;
  readonly audit: SqlAuditStore;
  readonly accessLog: SqlAccessLogStore;
  readonly deliveries: SqlDeliveriesStore;
  readonly conversationReferences: SqlConversationReferencesStore;
  readonly sameChild: SqlSameChildStore;
  readonly retention: SqlRetentionStore;

  constructor(
    /** The query layer, for read-only reporting queries (digests, export) outside this interface. */
    readonly sql: SqlClient,
    secrets: StoreSecrets,
  ) {
    this.requests = new SqlRequestsStore(sql, secrets);
    this.outcomes = new SqlOutcomesStore(sql, secrets);
    this.audit = new SqlAuditStore(sql);
    this.accessLog = new SqlAccessLogStore(sql);
    this.deliveries = new SqlDeliveriesStore(sql);
    this.conversationReferences = new SqlConversationReferencesStore(sql);
    this.sameChild = new SqlSameChildStore(sql);
    this.retention = new SqlRetentionStore(sql);
  }

  registerRequest(request: NewRequest): Promise<RegisteredRequest> {
    return this.requests.registerRequest(request);
  }
  getRequest(workflowId: string): Promise<(RegisteredRequest & OpenRequestRow) | null> {
    return this.requests.getRequest(workflowId);
  }
  getIdentity(workflowId: string): Promise<ChildIdentity | null> {
    return this.requests.getIdentity(workflowId);
  }
  getCaseDetails(workflowId: string): Promise<CaseDetails | null> {
    return this.requests.getCaseDetails(workflowId);
  }
  listOpenRequests(): Promise<OpenRequestRow[]> {
    return this.requests.listOpenRequests();
  }

  recordOutcome(outcome: OutcomeRecord): Promise<void> {
    return this.outcomes.recordOutcome(outcome);
  }
  getOutcome(workflowId: string): Promise<OutcomeRecord | null> {
    return this.outcomes.getOutcome(workflowId);
  }

  earlierDetentions(args: {
    workflowId: string;
    since: string;
    before: string;
  }): Promise<EarlierDetention[]> {
    return this.sameChild.earlierDetentions(args);
  }

  appendEvent(event: AuditEvent): Promise<void> {
    return this.audit.appendEvent(event);
  }
  listEvents(workflowId: string): Promise<AuditEvent[]> {
    return this.audit.listEvents(workflowId);
  }

  logAccess(entry: AccessEntry): Promise<void> {
    return this.accessLog.logAccess(entry);
  }
  listAccess(workflowId: string): Promise<Array<Omit<AccessEntry, 'workflowId'>>> {
    return this.accessLog.listAccess(workflowId);
  }

  getDelivery(workflowId: string, step: string, destinationKey: string): Promise<MessageRef | null> {
    return this.deliveries.getDelivery(workflowId, step, destinationKey);
  }
  saveDelivery(workflowId: string, step: string, destinationKey: string, ref: MessageRef): Promise<void> {
    return this.deliveries.saveDelivery(workflowId, step, destinationKey, ref);
  }
  listDeliveries(
    workflowId: string,
  ): Promise<Array<{ step: string; destinationKey: string; ref: MessageRef }>> {
    return this.deliveries.listDeliveries(workflowId);
  }

  saveConversationReference(
    platform: Platform,
    key: string,
    reference: Record<string, unknown>,
  ): Promise<void> {
    return this.conversationReferences.saveConversationReference(platform, key, reference);
  }
  getConversationReference(platform: Platform, key: string): Promise<Record<string, unknown> | null> {
    return this.conversationReferences.getConversationReference(platform, key);
  }

  purgePersonalData(before: string, actor: Actor): Promise<{ purged: number }> {
    return this.retention.purgePersonalData(before, actor);
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}
