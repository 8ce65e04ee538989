/**
 * The retention purge workflow against a seeded PGlite store: it removes the personal fields of
 * requests made before now − retention, leaves every other column and row as it was (so the
 * statistics survive), and writes the purge to the audit log.
 */
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gatherDigestFigures } from '../../../activities/digest/gather-figures.js';
import { createRetentionActivities } from '../../../activities/retention/retention-activities.js';
import { computePeriod } from '../../../domain/digest/period.js';
import type { Store } from '../../../store/open-store.js';
import { SYSTEM_WORKFLOW_ID } from '../../../store/sql-records-store.js';
import { retentionPurgeWorkflow } from '../../../workflows/retention/index.js';
import { buildSeed, seedStore, testProtocol } from '../../activities/digest/seed.js';
import { pgliteBackend } from '../../store/helpers.js';
import { createTestEnv } from '../../support/temporal.js';

const workflowsPath = fileURLToPath(new URL('../digest/workflows.ts', import.meta.url));
const seed = buildSeed(150, 7);
const NOW = '2028-07-01T00:00:00.000Z';
// 730 days before 1 July 2028 (2028 is a leap year): 2 July 2026.
const CUTOFF = '2026-07-02T00:00:00.000Z';

let env: TestWorkflowEnvironment;
let store: Store;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  [env, { store, cleanup }] = await Promise.all([createTestEnv(), pgliteBackend.open()]);
  await seedStore(store, seed);
}, 300_000);

afterAll(async () => {
  await env?.teardown();
  await cleanup?.();
});

type Row = Record<string, unknown>;
async function snapshot(): Promise<{
  requests: Row[];
  outcomes: Row[];
  pseudonyms: Row[];
  deliveries: Row[];
}> {
  const q = (sql: string) => store.sql.query<Row>(sql);
  const [requests, outcomes, pseudonyms, deliveries] = await Promise.all([
    q('SELECT * FROM requests ORDER BY workflow_id'),
    q('SELECT * FROM outcomes ORDER BY workflow_id'),
    q('SELECT * FROM child_pseudonyms ORDER BY workflow_id, kind'),
    q('SELECT * FROM chat_deliveries ORDER BY workflow_id, step, destination_key'),
  ]);
  return { requests, outcomes, pseudonyms, deliveries };
}

async function purge() {
  const protocol = testProtocol();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'retention',
    workflowsPath,
    activities: createRetentionActivities({ store, protocol, clock: () => new Date(NOW) }),
  });
  return worker.runUntil(
    env.client.workflow.execute(retentionPurgeWorkflow, {
      taskQueue: 'retention',
      workflowId: `retention-${Date.now()}`,
    }),
  );
}

it('purges personal fields past retention, and nothing else', async () => {
  const protocol = testProtocol();
  expect(protocol.retention.personalData).toBe(730 * 86_400_000);
  const old = seed.filter((s) => s.request.requestedAt < CUTOFF);
  const young = seed.filter((s) => s.request.requestedAt >= CUTOFF);
  expect(old.length).toBeGreaterThan(50);
  expect(young.length).toBeGreaterThan(30);

  const period = computePeriod({
    kind: 'range',
    now: NOW,
    timeZone: 'Europe/London',
    from: '2026-01-01',
    to: '2026-12-31',
  });
  const figuresBefore = await gatherDigestFigures(store.sql, protocol, period, NOW);
  const before = await snapshot();

  const result = await purge();
  expect(result).toEqual({ cutoff: CUTOFF, purged: old.length });

  const after = await snapshot();
  const oldIds = new Set(old.map((s) => s.request.workflowId));
  // Requests: only identity_enc and purged_at change, and only on the old ones.
  expect(after.requests).toHaveLength(before.requests.length);
  after.requests.forEach((row, i) => {
    const was = before.requests[i]!;
    if (oldIds.has(String(row.workflow_id))) {
      expect(was.identity_enc).not.toBeNull();
      expect(row.identity_enc).toBeNull();
      expect(row.purged_at).not.toBeNull();
      expect({ ...row, identity_enc: 0, purged_at: 0 }).toEqual({ ...was, identity_enc: 0, purged_at: 0 });
    } else {
      expect(row).toEqual(was);
    }
  });
  // Outcomes: only the certificate goes, and only on the old ones.
  after.outcomes.forEach((row, i) => {
    const was = before.outcomes[i]!;
    if (oldIds.has(String(row.workflow_id))) {
      expect(row.certificate_enc).toBeNull();
      expect({ ...row, certificate_enc: 0 }).toEqual({ ...was, certificate_enc: 0 });
    } else {
      expect(row).toEqual(was);
    }
  });
  expect(after.pseudonyms).toEqual(before.pseudonyms);
  expect(after.deliveries).toEqual(before.deliveries);

  for (const s of old.slice(0, 5)) expect(await store.getIdentity(s.request.workflowId)).toBeNull();
  for (const s of young.slice(0, 5)) {
    expect(await store.getIdentity(s.request.workflowId)).toMatchObject(s.request.identity);
  }
  const withCertificate = young.find((s) => s.outcome?.certificate);
  expect((await store.getOutcome(withCertificate!.request.workflowId))?.certificate).toBe(
    withCertificate!.outcome!.certificate,
  );

  // The statistics survive: the digest figures are the same after the purge.
  expect(await gatherDigestFigures(store.sql, protocol, period, NOW)).toEqual(figuresBefore);

  // The purge is in the audit log; a second run finds nothing more and is audited too.
  expect(await purge()).toEqual({ cutoff: CUTOFF, purged: 0 });
  const events = (await store.listEvents(SYSTEM_WORKFLOW_ID)).filter((e) => e.type === 'retention_purge');
  expect(events.map((e) => e.data)).toEqual([
    { before: CUTOFF, purged: old.length },
    { before: CUTOFF, purged: 0 },
  ]);
  expect(events[0]?.actor).toMatchObject({ platform: 'system' });
});
