import { join } from 'node:path';
import { z } from 'zod';
import { runMigrations } from './migrations.js';
import { loadStoreSecrets, type StoreSecrets } from './secrets.js';
import { SqlPendingStartsStore, type PendingStartsStore } from './pending-starts.js';
import { openPglite, openPostgres, SCHEMA_NAME, type SqlClient } from './sql-client.js';
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

const storeEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  CONCORDAT_DATA_DIR: z.string().trim().min(1, 'CONCORDAT_DATA_DIR is empty').default('.data'),
  CONCORDAT_DB_SCHEMA: z
    .string()
    .trim()
    .regex(SCHEMA_NAME, 'CONCORDAT_DB_SCHEMA must be lower-case letters, digits and _')
    .optional(),
});

/**
 * Start-up entry for the worker and the bots:
 * - `DATABASE_URL` set: that Postgres server (schema `CONCORDAT_DB_SCHEMA` if set);
 * - otherwise PGlite under `<CONCORDAT_DATA_DIR>/pglite` (default `.data/pglite`).
 * Secrets: `CONCORDAT_PSEUDONYM_KEY` and `CONCORDAT_DATA_KEY` (see loadStoreSecrets), with dev
 * keys kept in `<CONCORDAT_DATA_DIR>/secrets.json`. A bad value stops start-up naming the variable.
 */
export async function createStoreFromEnv(
  env: Record<string, string | undefined> = process.env,
): Promise<Store> {
  const parsed = storeEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  }
  const { DATABASE_URL, CONCORDAT_DATA_DIR, CONCORDAT_DB_SCHEMA } = parsed.data;
  const secrets = loadStoreSecrets(env, CONCORDAT_DATA_DIR);
  return openStore({
    ...(DATABASE_URL ? { databaseUrl: DATABASE_URL } : { dataDir: join(CONCORDAT_DATA_DIR, 'pglite') }),
    ...(CONCORDAT_DB_SCHEMA ? { schema: CONCORDAT_DB_SCHEMA } : {}),
    secrets,
  });
}
