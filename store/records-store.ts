import type { AccessLogStore } from './access-log-store.js';
import type { AuditStore } from './audit-store.js';
import type { ConversationReferencesStore, DeliveriesStore } from './chat-references-store.js';
import type { OutcomesStore } from './outcomes-store.js';
import type { RequestsStore } from './requests-store.js';
import type { RetentionStore } from './retention-store.js';
import type { SameChildStore } from './same-child.js';

export type { AccessEntry, AccessLogStore } from './access-log-store.js';
export type { AuditEvent, AuditStore } from './audit-store.js';
export type { ConversationReferencesStore, DeliveriesStore } from './chat-references-store.js';
export type { OutcomeRecord, OutcomesStore } from './outcomes-store.js';
export type {
  CaseDetails,
  NewRequest,
  OpenRequestRow,
  RegisteredRequest,
  RequestsStore,
} from './requests-store.js';
export type { RetentionStore } from './retention-store.js';
export type { EarlierDetention, SameChildStore } from './same-child.js';

/**
 * The records store: one Postgres schema on PGlite (embedded, under .data/) or a real Postgres
 * server (DATABASE_URL). Every write is idempotent under activity retry. It is the sum of narrow
 * stores, one per concern (docs/architecture.md); depend on the narrowest that serves, e.g.
 * `AuditStore & AccessLogStore & Pick<RequestsStore, 'getRequest'>`. Reporting (digests, the
 * export) reads through store/digest-queries.ts; the pending-starts outbox is store/pending-starts.ts.
 */
export interface RecordsStore
  extends
    RequestsStore,
    OutcomesStore,
    SameChildStore,
    AuditStore,
    AccessLogStore,
    DeliveriesStore,
    ConversationReferencesStore,
    RetentionStore {
  close(): Promise<void>;
}
