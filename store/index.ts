export type * from './records-store.js';
export {
  openStore,
  openStoreFromEnv,
  createStoreFromEnv,
  type OpenStoreOptions,
  type Store,
  type StoreEnv,
} from './open-store.js';
export { SqlRecordsStore, SYSTEM_WORKFLOW_ID } from './sql-records-store.js';
export { SqlRequestsStore } from './requests-store.js';
export { SqlOutcomesStore } from './outcomes-store.js';
export { SqlAuditStore } from './audit-store.js';
export { SqlAccessLogStore } from './access-log-store.js';
export { SqlDeliveriesStore, SqlConversationReferencesStore } from './chat-references-store.js';
export { SqlRetentionStore } from './retention-store.js';
export { SqlSameChildStore, relinkAllChildren, exportChildKeyer } from './same-child.js';
export {
  SqlPendingStartsStore,
  type PendingStart,
  type PendingStartStatus,
  type PendingStartsStore,
  type EnqueueResult,
} from './pending-starts.js';
export {
  loadStoreSecrets,
  loadSecretKeys,
  parseKey,
  PSEUDONYM_KEY_VAR,
  DATA_KEY_VAR,
  type StoreSecrets,
} from './secrets.js';
export {
  childPseudonyms,
  deriveCaseRef,
  normaliseName,
  normalisePnc,
  encryptField,
  decryptField,
  type ChildPseudonym,
} from './crypto.js';
export { MIGRATIONS, runMigrations, type Migration } from './migrations.js';
export { openPglite, openPostgres, toIso, type SqlClient, type SqlExecutor } from './sql-client.js';
