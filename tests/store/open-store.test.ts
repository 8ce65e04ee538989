import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../store/migrations.js';
import { createStoreFromEnv, openStore } from '../../store/open-store.js';
import {
  DATABASE_URL_TEST,
  dropSchema,
  newRequest,
  randomSchema,
  testSecrets,
  uniqueWorkflowId,
} from './helpers.js';

describe('createStoreFromEnv on PGlite', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'concordat-open-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('persists under <CONCORDAT_DATA_DIR>/pglite with dev secrets beside it, and reopens with both', async () => {
    const env = { CONCORDAT_DATA_DIR: join(dir, '.data') };
    const workflowId = uniqueWorkflowId('persist');
    const request = newRequest({ workflowId });

    const store = await createStoreFromEnv(env);
    expect(store.sql.backend).toBe('pglite');
    const registered = await store.registerRequest(request);
    // A second opener of the same directory is refused while this one holds it.
    await expect(createStoreFromEnv(env)).rejects.toThrow(/already open in this process/);
    await store.close();
    expect(existsSync(join(dir, '.data', 'pglite'))).toBe(true);
    expect(existsSync(join(dir, '.data', 'secrets.json'))).toBe(true);
    expect(existsSync(join(dir, '.data', 'pglite.lock'))).toBe(false);

    const reopened = await createStoreFromEnv(env);
    try {
      expect(await reopened.registerRequest(request)).toEqual(registered);
      expect(await reopened.getIdentity(workflowId)).toEqual(request.identity);
      const versions = await reopened.sql.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM schema_migrations',
      );
      expect(versions[0]?.n).toBe(MIGRATIONS.length);
    } finally {
      await reopened.close();
    }
  });

  it('refuses a directory another live process holds, and takes over a lock left by a dead one', async () => {
    const dataDir = join(dir, 'locked');
    writeFileSync(`${dataDir}.lock`, String(process.ppid));
    await expect(openStore({ dataDir, secrets: testSecrets() })).rejects.toThrow(
      new RegExp(`in use by process ${process.ppid}.*DATABASE_URL`),
    );

    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(`${dataDir}.lock`, String(dead));
    const store = await openStore({ dataDir, secrets: testSecrets() });
    await store.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it('names the variable when the environment is wrong', async () => {
    await expect(createStoreFromEnv({ DATABASE_URL: 'mysql://x' })).rejects.toThrow(
      /DATABASE_URL must be a postgres/,
    );
    await expect(createStoreFromEnv({ CONCORDAT_DB_SCHEMA: 'Bad-Name' })).rejects.toThrow(
      /CONCORDAT_DB_SCHEMA/,
    );
    await expect(
      createStoreFromEnv({ CONCORDAT_DATA_DIR: join(dir, 'x'), CONCORDAT_DATA_KEY: 'short' }),
    ).rejects.toThrow(/CONCORDAT_DATA_KEY must be a 32-byte key/);
  });
});

describe.skipIf(!DATABASE_URL_TEST)('openStore on Postgres', () => {
  const databaseUrl = DATABASE_URL_TEST ?? '';

  it('migrates once when several processes open a fresh database at the same time', async () => {
    const schema = randomSchema();
    const secrets = testSecrets();
    try {
      const stores = await Promise.all(
        Array.from({ length: 4 }, () => openStore({ databaseUrl, schema, secrets, maxConnections: 2 })),
      );
      const [first] = stores;
      const rows = await first!.sql.query<{ version: number }>('SELECT version FROM schema_migrations');
      expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
      // They share one database: a request registered through one is seen through another.
      const workflowId = uniqueWorkflowId('shared');
      await stores[1]!.registerRequest(newRequest({ workflowId }));
      expect((await stores[2]!.getRequest(workflowId))?.workflowId).toBe(workflowId);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await dropSchema(databaseUrl, schema);
    }
  });

  it('registers concurrently retried requests once', async () => {
    const schema = randomSchema();
    const store = await openStore({ databaseUrl, schema, secrets: testSecrets(), maxConnections: 6 });
    try {
      const workflowId = uniqueWorkflowId('race');
      const results = await Promise.all(
        Array.from({ length: 6 }, () => store.registerRequest(newRequest({ workflowId }))),
      );
      expect(new Set(results.map((r) => r.caseRef)).size).toBe(1);
      const n = await store.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM child_pseudonyms');
      expect(n[0]?.n).toBe(2);
    } finally {
      await store.close();
      await dropSchema(databaseUrl, schema);
    }
  });

  it('createStoreFromEnv uses DATABASE_URL and CONCORDAT_DB_SCHEMA', async () => {
    const schema = randomSchema();
    const dir = mkdtempSync(join(tmpdir(), 'concordat-open-pg-'));
    try {
      const store = await createStoreFromEnv({
        DATABASE_URL: databaseUrl,
        CONCORDAT_DB_SCHEMA: schema,
        CONCORDAT_DATA_DIR: dir,
      });
      expect(store.sql.backend).toBe('postgres');
      const [row] = await store.sql.query<{ s: string }>('SELECT current_schema() AS s');
      expect(row?.s).toBe(schema);
      await store.close();
    } finally {
      await dropSchema(databaseUrl, schema);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
