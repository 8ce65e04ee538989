/**
 * Migration 9 (docs/demographics.md): the request's ethnicity and sex codes. Stored as the codes
 * given (NULL when not recorded), refused by the database when not a listed code, never read back by
 * the lookups that feed cards and messages, and kept through the retention purge (which clears the
 * identity and case details only), so aggregate figures stay whole. On PGlite always and on Postgres
 * when DATABASE_URL_TEST is set.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ETHNICITY_CODES, SEX_CODES } from '../../domain/demographics.js';
import { MIGRATIONS } from '../../store/migrations.js';
import type { Store } from '../../store/open-store.js';
import { describeEachBackend, newRequest, uniqueWorkflowId } from './helpers.js';

describeEachBackend('ethnicity and sex columns on $name', (backend) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  const codesOf = async (workflowId: string) =>
    (
      await store.sql.query<{ ethnicity: string | null; sex: string | null }>(
        'SELECT ethnicity, sex FROM requests WHERE workflow_id = $1',
        [workflowId],
      )
    )[0];

  beforeAll(async () => {
    ({ store, cleanup } = await backend.open());
  }, 60_000);
  afterAll(async () => {
    await cleanup?.();
  });

  it('migration 9 is applied, after 8, under its name', async () => {
    const rows = await store.sql.query<{ version: number; name: string }>(
      'SELECT version, name FROM schema_migrations WHERE version >= 8 ORDER BY version',
    );
    expect(rows.map((r) => [Number(r.version), r.name]).slice(0, 2)).toEqual([
      [8, 'how the child left the cells'],
      [9, 'ethnicity and sex codes'],
    ]);
    expect(MIGRATIONS.find((m) => m.version === 9)?.name).toBe('ethnicity and sex codes');
  });

  it('stores every listed code as given, and NULL when not recorded', async () => {
    for (const [i, ethnicity] of ETHNICITY_CODES.entries()) {
      const sex = SEX_CODES[i % SEX_CODES.length];
      const workflowId = uniqueWorkflowId(`eth-${ethnicity}`);
      await store.registerRequest(
        newRequest({ workflowId, identity: { pncId: `26/${200_000 + i}E` }, ethnicity, sex }),
      );
      expect(await codesOf(workflowId)).toEqual({ ethnicity, sex });
    }
    const none = uniqueWorkflowId('eth-none');
    await store.registerRequest(newRequest({ workflowId: none, identity: { pncId: '26/299999E' } }));
    expect(await codesOf(none)).toEqual({ ethnicity: null, sex: null });
  });

  it('the database refuses a code that is not listed (O1, a label, a lower-case code, M for male)', async () => {
    const workflowId = uniqueWorkflowId('eth-check');
    await store.registerRequest(newRequest({ workflowId, identity: { pncId: '26/298888E' } }));
    for (const bad of ['O1', 'White', 'w1', 'X7']) {
      await expect(
        store.sql.query('UPDATE requests SET ethnicity = $1 WHERE workflow_id = $2', [bad, workflowId]),
      ).rejects.toThrow(/check constraint/i);
    }
    for (const bad of ['M', 'male', '3']) {
      await expect(
        store.sql.query('UPDATE requests SET sex = $1 WHERE workflow_id = $2', [bad, workflowId]),
      ).rejects.toThrow(/check constraint/i);
    }
    expect(await codesOf(workflowId)).toEqual({ ethnicity: null, sex: null });
  });

  it('the lookups that feed cards and the open list never return them', async () => {
    const workflowId = uniqueWorkflowId('eth-lookup');
    await store.registerRequest(
      newRequest({ workflowId, identity: { pncId: '26/297777E' }, ethnicity: 'W3', sex: '2' }),
    );
    const got = await store.getRequest(workflowId);
    expect(got).not.toBeNull();
    const open = (await store.listOpenRequests()).find((r) => r.workflowId === workflowId);
    expect(open).toBeDefined();
    for (const row of [got, open]) {
      const text = JSON.stringify(row);
      expect(text).not.toContain('W3');
      expect(Object.keys(row ?? {})).not.toContain('ethnicity');
      expect(Object.keys(row ?? {})).not.toContain('sex');
    }
  });

  it('the retention purge clears the identity and keeps the codes, like the age, for the statistics', async () => {
    const workflowId = uniqueWorkflowId('eth-purge');
    await store.registerRequest(
      newRequest({
        workflowId,
        identity: { pncId: '26/296666E' },
        ethnicity: 'A4',
        sex: '1',
        requestedAt: '2013-02-18T21:55:00Z',
      }),
    );
    const { purged } = await store.purgePersonalData('2014-01-01T00:00:00Z', {
      platform: 'slack',
      userId: 'U_ADMIN',
    });
    expect(purged).toBeGreaterThan(0);
    expect(await store.getIdentity(workflowId)).toBeNull();
    expect(await codesOf(workflowId)).toEqual({ ethnicity: 'A4', sex: '1' });
  });
});
