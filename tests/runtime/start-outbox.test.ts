// A submit made while Temporal is down is kept and started once it is back (docs/queued-submits.md):
// a real dev server on a file database, stopped during the submit and restarted on the same file.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bedRequestWorkflowId } from '../../domain/bed-request.js';
import { createBedRequestClient, type BedRequestClient } from '../../runtime/bed-request-client.js';
import { createLogger } from '../../runtime/logger.js';
import { createStartOutboxDrainer, type StartOutboxDrainer } from '../../runtime/start-outbox.js';
import { openStore, type Store } from '../../store/open-store.js';
import { findFreePort, startDevServer, type DevServer } from '../../temporal-dev/dev-server.js';
import { findOrBuildTemporalCli } from '../../temporal-dev/temporal-cli.js';
import { quietTemporalRuntime } from '../support/temporal.js';
import { bedRequest, eventually } from '../support/workflow-harness.js';

// Every line the client and the drainer log, to check their words and that no child is named.
const logLines: string[] = [];
const log = createLogger({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
const taskQueue = `outbox-${randomBytes(4).toString('hex')}`;
let dir: string;
let serverOptions: Parameters<typeof startDevServer>[0];
let server: DevServer | undefined;
let connection: Connection;
let temporal: Client;
let store: Store;
let drainer: StartOutboxDrainer;
let bedRequests: BedRequestClient;

beforeAll(async () => {
  quietTemporalRuntime();
  dir = mkdtempSync(join(tmpdir(), 'concordat-outbox-'));
  serverOptions = {
    cliPath: await findOrBuildTemporalCli({ log: () => {} }),
    dbFile: join(dir, 'temporal.db'),
    port: await findFreePort(),
    headless: true,
    reuseExisting: false,
    startTimeoutMs: 90_000,
    log: () => {},
  };
  server = await startDevServer(serverOptions);
  connection = await Connection.connect({ address: server.address });
  temporal = new Client({ connection, namespace: 'default' });
  store = await openStore({
    dataDir: 'memory://',
    secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) },
  });
  drainer = createStartOutboxDrainer({
    client: temporal,
    taskQueue,
    outbox: store.pendingStarts,
    log,
    intervalMs: 500,
    startDeadlineMs: 2_000,
  });
  bedRequests = createBedRequestClient(temporal, {
    taskQueue,
    outbox: store.pendingStarts,
    startDeadlineMs: 2_000,
    onReachable: () => drainer.kick(),
    log,
  });
}, 180_000);

afterAll(async () => {
  await drainer?.stop();
  await connection?.close().catch(() => undefined);
  await server?.stop();
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const count = async (sql: string, params: unknown[]) =>
  Number((await store.sql.query<{ n: number }>(sql, params))[0]?.n);

/** Every execution the server holds under this workflow ID, closed or running. */
async function executionsOf(workflowId: string) {
  const runs = [];
  for await (const w of temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(w);
  return runs;
}

describe('a submit while Temporal is unreachable', () => {
  it('is queued once, then started with its own workflow ID and submit time when Temporal is back', async () => {
    // With Temporal up, the outbox is not involved.
    const live = bedRequest({ custodyRecordNumber: 'NC-OUTBOX-LIVE' });
    expect((await bedRequests.start(live, '2026-03-01T20:00:00.000Z')).status).toBe('started');

    await server?.stop();
    server = undefined;

    const input = bedRequest({
      custodyRecordNumber: 'NC-OUTBOX-0001',
      child: { givenName: 'Jordanna', familyName: 'Quillfeather', dateOfBirth: '1997-11-03' },
    });
    const workflowId = bedRequestWorkflowId(input.custodySuiteId, input.custodyRecordNumber);
    const requestedAt = '2026-03-01T21:55:00.000Z';
    const began = Date.now();
    expect(await bedRequests.start(input, requestedAt)).toEqual({ status: 'queued', workflowId });
    // Inside the Teams invoke budget (4 s): the start deadline, not the client's 20 s of retries.
    expect(Date.now() - began).toBeLessThan(4_000);
    // The sergeant submits again: the same answer, no second row, the first submit time kept.
    expect(await bedRequests.start(input, '2026-03-01T22:05:00.000Z')).toEqual({
      status: 'queued',
      workflowId,
    });
    expect(await count('SELECT count(*)::int AS n FROM pending_starts', [])).toBe(1);
    expect(await store.pendingStarts.status(workflowId)).toMatchObject({ state: 'queued', requestedAt });

    // The drainer keeps trying while the server is down, and counts it.
    await eventually(
      async () => ((await store.pendingStarts.status(workflowId))?.attempts ?? 0) >= 1,
      20_000,
    );
    expect((await store.pendingStarts.status(workflowId))?.lastError).toMatch(/ServiceError/);

    server = await startDevServer(serverOptions);
    const done = await eventually(async () => {
      const s = await store.pendingStarts.status(workflowId);
      return s?.state === 'started' ? s : undefined;
    }, 60_000);
    expect(done).toMatchObject({ requestedAt, holdsPayload: false });

    const runs = await eventually(async () => {
      const r = await executionsOf(workflowId);
      return r.length > 0 ? r : undefined;
    }, 20_000);
    expect(runs).toHaveLength(1);
    const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(payload).toBeDefined();
    const args = defaultPayloadConverter.fromPayload<{
      request: { custodyRecordNumber: string };
      requestedAt: string;
    }>(payload ?? {});
    expect(args.requestedAt).toBe(requestedAt);
    expect(args.request.custodyRecordNumber).toBe('NC-OUTBOX-0001');

    // No personal data lingers in the outbox once the request has started.
    const rows = await store.sql.query<Record<string, unknown>>(
      'SELECT * FROM pending_starts WHERE workflow_id = $1',
      [workflowId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.input_enc).toBeNull();
    expect(JSON.stringify(rows)).not.toMatch(/Jordanna|Quillfeather|1997-11-03/);

    const logged = logLines.join('');
    expect(logged).toContain('Temporal unreachable: bed request kept in the outbox');
    expect(logged).toContain('queued bed request started');
    expect(logged).not.toMatch(/Jordanna|Quillfeather|1997-11-03/);

    // A later submit of the same record reaches Temporal and is pointed at the open request.
    expect(await bedRequests.start(input, '2026-03-01T23:00:00.000Z')).toEqual({
      status: 'already_open',
      workflowId,
    });
    // One request, once: a further drain starts nothing.
    expect(await drainer.drainOnce()).toEqual({ started: 0, waiting: 0, unreachable: false });
    expect(await executionsOf(workflowId)).toHaveLength(1);
  }, 240_000);
});

describe('the drainer', () => {
  it('goes at once when a start gets through, without waiting for its next pass', async () => {
    await drainer.stop();
    // A pass every 10 minutes: only the kick from a successful start can explain a prompt start.
    const slow = createStartOutboxDrainer({
      client: temporal,
      taskQueue,
      outbox: store.pendingStarts,
      log,
      intervalMs: 600_000,
      startDeadlineMs: 2_000,
    });
    const kicked = createBedRequestClient(temporal, {
      taskQueue,
      outbox: store.pendingStarts,
      startDeadlineMs: 2_000,
      onReachable: () => slow.kick(),
      log,
    });
    try {
      await server?.stop();
      server = undefined;
      const queued = bedRequest({ custodyRecordNumber: 'NC-OUTBOX-0002' });
      expect((await kicked.start(queued, '2026-03-02T01:00:00.000Z')).status).toBe('queued');
      server = await startDevServer(serverOptions);
      const next = bedRequest({ custodyRecordNumber: 'NC-OUTBOX-0003' });
      // Wait for the client's channel to reconnect (a call that starts nothing), then one submit.
      await eventually(
        () =>
          temporal.workflowService.getSystemInfo({}).then(
            () => true,
            () => false,
          ),
        30_000,
      );
      expect((await kicked.start(next, '2026-03-02T01:05:00.000Z')).status).toBe('started');
      const workflowId = bedRequestWorkflowId(queued.custodySuiteId, queued.custodyRecordNumber);
      await eventually(
        async () => (await store.pendingStarts.status(workflowId))?.state === 'started',
        10_000,
      );
      expect(await executionsOf(workflowId)).toHaveLength(1);
    } finally {
      await slow.stop();
    }
  }, 240_000);
});

describe('a queued request the server refuses', () => {
  it('stays queued with the reason, without holding up the rest, and starts once the cause is fixed', async () => {
    const refused = bedRequest({ custodyRecordNumber: 'NC-OUTBOX-0004' });
    const workflowId = bedRequestWorkflowId(refused.custodySuiteId, refused.custodyRecordNumber);
    await store.pendingStarts.enqueue({
      workflowId,
      input: refused,
      requestedAt: '2026-03-02T02:00:00.000Z',
    });
    // A misconfigured namespace: the server answers NOT_FOUND, which is not "unreachable".
    const misconfigured = createStartOutboxDrainer({
      client: new Client({ connection, namespace: 'no-such-namespace' }),
      taskQueue,
      outbox: store.pendingStarts,
      log,
      intervalMs: 600_000,
    });
    try {
      expect(await misconfigured.drainOnce()).toEqual({ started: 0, waiting: 1, unreachable: false });
    } finally {
      await misconfigured.stop();
    }
    expect(await store.pendingStarts.status(workflowId)).toMatchObject({
      state: 'queued',
      holdsPayload: true,
    });
    expect((await store.pendingStarts.status(workflowId))?.lastError).toMatch(/no-such-namespace|not found/i);
    expect(logLines.join('')).toContain('queued bed request refused');

    const fixed = createStartOutboxDrainer({ client: temporal, taskQueue, outbox: store.pendingStarts, log });
    try {
      await eventually(
        async () => (await store.pendingStarts.status(workflowId))?.state === 'started',
        20_000,
      );
    } finally {
      await fixed.stop();
    }
    expect(await executionsOf(workflowId)).toHaveLength(1);
  }, 120_000);
});
