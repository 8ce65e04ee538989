import { join } from 'node:path';
import { parseEnvParts } from '../runtime/env.js';
import { runMigrations } from './migrations.js';
import { resolveStoreSecrets, type StoreSecrets } from './secrets.js';
import { SqlPendingStartsStore, type PendingStartsStore } from './pending-starts.js';
import { openPglite, openPostgres, type SqlClient } from './sql-client.js';
import { SqlRecordsStore } from './sql-records-store.js';

export interface OpenStoreOptions {
  /** A postgres:// URL: use that server. Otherwise the embedded PGlite. */
  databaseUrl?: string;
  /** PGlite directory (default `.data/pglite`); `memory://` for a throwaway in-memory database. */
  dataDir?: string;
  /** Postgres schema to create (if missing) and use; default: the server's search_path (public). */
  schema?: string;
  /** node-postgres pool size (default 10). */
  maxConnections?: number;
  secrets: StoreSecrets;
}

/**
 * The store plus its backend, for callers that need it (digests, export, tests), and the outbox
 * of starts queued while Temporal was unreachable (same database, same data key).
 */
export type Store = SqlRecordsStore & { readonly pendingStarts: PendingStartsStore };

/** Opens the database (PGlite or Postgres), runs pending migrations, and returns the store. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const client: SqlClient = options.databaseUrl
    ? await openPostgres({
        databaseUrl: options.databaseUrl,
        ...(options.schema ? { schema: options.schema } : {}),
        ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
      })
    : await openPglite({
        dataDir: options.dataDir ?? join('.data', 'pglite'),
        ...(options.schema ? { schema: options.schema } : {}),
      });
  try {
    await runMigrations(client);
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
  return Object.assign(new SqlRecordsStore(client, options.secrets), {
    pendingStarts: new SqlPendingStartsStore(client, options.secrets.dataKey),
  });
}

/**
 * The store's settings, parsed from the environment by the one schema in runtime/env.ts
 * (DATABASE_URL, CONCORDAT_DB_SCHEMA, CONCORDAT_DATA_DIR, NODE_ENV and the two keys).
 */
export interface StoreEnv {
  databaseUrl?: string;
  schema?: string;
  dataDir: string;
  /** NODE_ENV=production: an unset key is an error instead of being generated under dataDir. */
  production: boolean;
  keys: Partial<StoreSecrets>;
}

/**
 * Start-up entry for the worker and the bots:
 * - `databaseUrl` set: that Postgres server (in `schema` if set);
 * - otherwise PGlite under `<dataDir>/pglite` (default `.data/pglite`).
 * Keys missing outside production are generated once into `<dataDir>/secrets.json`.
 */
export async function openStoreFromEnv(settings: StoreEnv): Promise<Store> {
  const secrets = resolveStoreSecrets(settings.keys, settings);
  return openStore({
    ...(settings.databaseUrl
      ? { databaseUrl: settings.databaseUrl }
      : { dataDir: join(settings.dataDir, 'pglite') }),
    ...(settings.schema ? { schema: settings.schema } : {}),
    secrets,
  });
}

/**
 * The same from a raw environment, for the tests and tools; `npm start` parses the whole
 * environment once instead. A bad value throws a ConfigError naming the variable.
 */
export async function createStoreFromEnv(env: Record<string, string | undefined>): Promise<Store> {
  return openStoreFromEnv(parseEnvParts(env, ['core', 'store', 'keys']).store);
}
