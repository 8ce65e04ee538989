import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import type { ChildIdentity } from '../../domain/bed-request.js';
import { openStore, type Store } from '../../store/open-store.js';
import type { NewRequest, OutcomeRecord } from '../../store/records-store.js';
import type { StoreSecrets } from '../../store/secrets.js';

export function testSecrets(): StoreSecrets {
  return { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) };
}

/**
 * A backend to run the store suite on: PGlite always, Postgres when DATABASE_URL_TEST (or
 * DATABASE_URL) is set. Without one, the Postgres suites are reported as skipped, never dropped.
 */
export interface Backend {
  name: 'pglite' | 'postgres';
  available: boolean;
  /** Opens a store on a fresh, private database (temp directory or random schema). */
  open(secrets?: StoreSecrets): Promise<{ store: Store; cleanup: () => Promise<void> }>;
}

export const pgliteBackend: Backend = {
  name: 'pglite',
  available: true,
  async open(secrets = testSecrets()) {
    const dir = mkdtempSync(join(tmpdir(), 'concordat-store-'));
    const store = await openStore({ dataDir: join(dir, 'pglite'), secrets });
    return {
      store,
      cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export function randomSchema(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

export const DATABASE_URL_TEST = process.env.DATABASE_URL_TEST || process.env.DATABASE_URL || undefined;

export const postgresBackend: Backend = {
  name: 'postgres',
  available: DATABASE_URL_TEST !== undefined,
  async open(secrets = testSecrets()) {
    const databaseUrl = DATABASE_URL_TEST;
    if (!databaseUrl) throw new Error('DATABASE_URL_TEST is not set');
    const schema = randomSchema();
    const store = await openStore({ databaseUrl, schema, secrets, maxConnections: 4 });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await dropSchema(databaseUrl, schema);
      },
    };
  },
};

export const BACKENDS: Backend[] = [pgliteBackend, postgresBackend];

/** `describe` once per backend; a backend that is not available is a skipped suite. */
export function describeEachBackend(title: string, suite: (backend: Backend) => void): void {
  for (const backend of BACKENDS) {
    describe.skipIf(!backend.available)(title.replace('$name', backend.name), () => suite(backend));
  }
}

let counter = 0;
/** A unique workflow ID per call, so tests sharing one database never collide. */
export function uniqueWorkflowId(label: string): string {
  counter += 1;
  return `bed-request:TEST:${label.toUpperCase()}-${counter}-${randomBytes(3).toString('hex')}`;
}

export const SEED_CHILD: ChildIdentity = {
  pncId: '13/123456A',
  givenName: 'Zoë',
  familyName: 'O’Brien-Smith',
  dateOfBirth: '1997-11-03',
};

export function newRequest(overrides: Partial<NewRequest> & { workflowId: string }): NewRequest {
  return {
    custodyRecordNumber: `CR-${overrides.workflowId.slice(-6).toUpperCase()}`,
    custodySuiteId: 'northampton',
    localAuthorityId: 'northamptonshire',
    route: 'out_of_hours',
    outOfArea: false,
    age: 15,
    accommodation: 'non_secure',
    chargedAt: '2013-02-18T21:40:00Z',
    requestedAt: '2013-02-18T21:55:00Z',
    nextCourtSitting: '2013-02-19T10:00:00Z',
    requestingOfficer: { platform: 'slack', userId: 'U_SGT', displayName: 'Sgt Example' },
    identity: SEED_CHILD,
    ...overrides,
  };
}

export function outcomeFor(
  request: Pick<NewRequest, 'workflowId' | 'chargedAt' | 'requestedAt'>,
  overrides: Partial<OutcomeRecord> = {},
): OutcomeRecord {
  return {
    workflowId: request.workflowId,
    outcome: 'detained_no_bed_non_secure',
    chargedAt: request.chargedAt,
    requestedAt: request.requestedAt,
    endedAt: '2013-02-19T09:30:00Z',
    escalationLevel: 3,
    overnight: true,
    weekend: false,
    stayReason: 'no_accommodation_provided',
    declineReasons: ['no_non_secure_placement'],
    actors: { resolved: { platform: 'slack', userId: 'U_SGT' } },
    ...overrides,
  };
}
