import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * The one query layer the store speaks: positional parameters ($1, $2…), rows back as plain
 * objects. Two implementations, PGlite (embedded) and node-postgres (a real server), run the same
 * SQL. Drivers differ in how they return some types (pg gives int8 as a string, PGlite as a
 * number; both give timestamptz as a Date), so callers cast counts to int in SQL and convert
 * timestamps with `toIso`.
 */
export interface QueryOptions {
  /**
   * Name of a server-side prepared statement (node-postgres only; PGlite ignores it): a hot query
   * is then parsed and planned once per connection. One name, one text, for the whole process.
   */
  prepare?: string;
}

export interface SqlExecutor {
  query<R extends object = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<R[]>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
}

export interface SqlClient extends SqlExecutor {
  readonly backend: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A timestamp from either driver (Date or text) as an ISO-8601 UTC string. */
export function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return new Date(value).toISOString();
  throw new TypeError(`Expected a timestamp, got ${typeof value}`);
}

export function toIsoOrUndefined(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : toIso(value);
}

/** A valid SQL identifier for a schema name (we interpolate it, so it is checked strictly). */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function checkSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`Database schema name "${schema}" must be lower-case letters, digits and _`);
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------
// PGlite

class PgliteExecutor implements SqlExecutor {
  constructor(private readonly db: PGlite | Transaction) {}

  async query<R extends object>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    const result = await this.db.query<R>(text, [...params]);
    return result.rows;
  }

  async exec(text: string): Promise<void> {
    await this.db.exec(text);
  }
}

/**
 * PGlite runs Postgres inside this process and owns its data directory: a second process opening
 * the same directory would corrupt it. A lock file beside the directory refuses that with a clear
 * message (a lock left by a dead process is taken over).
 */
function acquireDirLock(dataDir: string): () => void {
  const lockPath = `${resolve(dataDir)}.lock`;
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(lockPath, 'utf8').trim(), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `The embedded database at ${dataDir} is in use by process ${holder}. PGlite serves one process: ` +
            'run the worker and bots in one process, or set DATABASE_URL to share a Postgres server.',
        );
      }
      if (holder === process.pid) {
        throw new Error(`The embedded database at ${dataDir} is already open in this process`);
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database at ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function openPglite(options: { dataDir?: string; schema?: string }): Promise<SqlClient> {
  let release: (() => void) | undefined;
  let db: PGlite;
  if (options.dataDir === undefined || options.dataDir.startsWith('memory://')) {
    db = await PGlite.create(options.dataDir);
  } else {
    mkdirSync(options.dataDir, { recursive: true });
    release = acquireDirLock(options.dataDir);
    try {
      db = await PGlite.create(options.dataDir);
    } catch (err) {
      release();
      throw err;
    }
  }
  if (options.schema) {
    const schema = checkSchema(options.schema);
    await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema};`);
  }
  const root = new PgliteExecutor(db);
  return {
    backend: 'pglite',
    query: (text, params) => root.query(text, params),
    exec: (text) => root.exec(text),
    transaction: (fn) => db.transaction((tx) => fn(new PgliteExecutor(tx))),
    close: async () => {
      try {
        if (!db.closed) await db.close();
      } finally {
        release?.();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// node-postgres

class PgExecutor implements SqlExecutor {
  constructor(private readonly db: pg.Pool | pg.PoolClient) {}

  async query<R extends object>(
    text: string,
    params: readonly unknown[] = [],
    options: QueryOptions = {},
  ): Promise<R[]> {
    const result = await this.db.query<R & pg.QueryResultRow>({
      text,
      values: [...params],
      ...(options.prepare ? { name: options.prepare } : {}),
    });
    return result.rows;
  }

  async exec(text: string): Promise<void> {
    await this.db.query(text);
  }
}

export async function openPostgres(options: {
  databaseUrl: string;
  schema?: string;
  maxConnections?: number;
}): Promise<SqlClient> {
  const schema = options.schema ? checkSchema(options.schema) : undefined;
  if (schema) {
    // Create the schema on a one-off connection, so every pooled connection can start in it.
    const setup = new pg.Client({ connectionString: options.databaseUrl });
    await setup.connect();
    try {
      // CREATE SCHEMA IF NOT EXISTS races with itself; serialise concurrent openers.
      await setup.query('BEGIN');
      await setup.query(`SELECT pg_advisory_xact_lock(hashtext('concordat.schema:' || $1::text))`, [schema]);
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await setup.query('COMMIT');
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.maxConnections ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener that
  // would crash the process. The next query gets a fresh connection.
  pool.on('error', () => undefined);
  // Fail fast with the server's message when the URL is wrong.
  const probe = await pool.connect();
  probe.release();
  const root = new PgExecutor(pool);
  return {
    backend: 'postgres',
    query: (text, params, opts) => root.query(text, params, opts),
    exec: (text) => root.exec(text),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(new PgExecutor(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** The default embedded directory under a data root (`.data/pglite`). */
export function defaultPgliteDir(dataRoot = '.data'): string {
  return join(dataRoot, 'pglite');
}
