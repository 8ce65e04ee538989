// The health server of a process: /healthz answers while the process lives, /readyz names what
// is not ready (the database closed or unreachable, Temporal unreachable, the worker stopped),
// and /metrics is Prometheus text naming every Concordat metric.
import { Connection } from '@temporalio/client';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../runtime/env.js';
import { DEFAULT_HEALTH_SETTINGS, METRIC_NAMES, startProcessHealth } from '../../../runtime/health/index.js';
import {
  checkReadiness,
  databaseCheck,
  temporalCheck,
  workerCheck,
  type ReadinessCheck,
} from '../../../runtime/health/readiness.js';
import { startHealthServer, type HealthServer } from '../../../runtime/health/server.js';
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from '../../../runtime/metrics.js';
import { pgliteBackend } from '../../store/helpers.js';
import { parsePrometheusText } from './prometheus-text.js';

const up: ReadinessCheck = { name: 'temporal', check: () => Promise.resolve() };
let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function get(
  server: HealthServer,
  path: string,
): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

/** A worker's state and status as the SDK reports them, settable by the test. */
function fakeWorker(state: 'RUNNING' | 'DRAINING' = 'RUNNING') {
  const worker = {
    state,
    getState: () => worker.state,
    getStatus: () => ({
      runState: worker.state,
      workflowPollerState: 'POLLING' as const,
      activityPollerState: 'POLLING' as const,
      hasOutstandingWorkflowPoll: true,
      hasOutstandingActivityPoll: true,
      numInFlightWorkflowActivations: 1,
      numInFlightActivities: 3,
      numInFlightNonLocalActivities: 2,
      numInFlightLocalActivities: 1,
      numCachedWorkflows: 7,
      numHeartbeatingActivities: 2,
    }),
  };
  return worker;
}

/** A Temporal connection that answers at once; the real call is tested above. */
const answeringTemporal = {
  withDeadline: <T>(_deadline: number | Date, fn: () => Promise<T>) => fn(),
  workflowService: { getSystemInfo: () => Promise.resolve({}) },
} as unknown as NonNullable<Parameters<typeof startProcessHealth>[0]['temporal']>;

/** The fake worker with the slot settings the SDK reports in `options.tuner`. */
const withSlots = (worker: ReturnType<typeof fakeWorker>) =>
  ({
    ...worker,
    options: {
      tuner: {
        workflowTaskSlotSupplier: { type: 'fixed-size', numSlots: 40 },
        activityTaskSlotSupplier: { type: 'fixed-size', numSlots: 20 },
        localActivityTaskSlotSupplier: { type: 'fixed-size', numSlots: 10 },
      },
    },
  }) as unknown as NonNullable<Parameters<typeof startProcessHealth>[0]['worker']>;

describe('the health server', () => {
  it('/healthz is 200 with a small JSON body; other paths 404, other methods 405', async () => {
    const server = await startHealthServer({ role: 'worker', host: '127.0.0.1', port: 0, checks: [] });
    cleanups.push(() => server.close());
    const alive = await get(server, '/healthz');
    expect(alive.status).toBe(200);
    expect(alive.type).toMatch(/^application\/json/);
    expect(JSON.parse(alive.body)).toMatchObject({ status: 'ok', role: 'worker' });
    expect((await get(server, '/nope')).status).toBe(404);
    expect((await fetch(`${server.url}/readyz`, { method: 'POST' })).status).toBe(405);
  });

  it('/readyz is 200 when all answer, and 503 naming the database once it is closed', async () => {
    const { store, cleanup } = await pgliteBackend.open();
    let closed = false;
    cleanups.push(async () => {
      if (!closed) await cleanup();
    });
    const worker = fakeWorker();
    const server = await startHealthServer({
      role: 'worker',
      host: '127.0.0.1',
      port: 0,
      checks: [databaseCheck(store.sql), up, workerCheck(worker)],
    });
    cleanups.push(() => server.close());

    const ready = await get(server, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({
      status: 'ready',
      checks: { database: { ok: true }, temporal: { ok: true }, worker: { ok: true } },
    });

    await cleanup();
    closed = true;
    const down = await get(server, '/readyz');
    expect(down.status).toBe(503);
    const body = JSON.parse(down.body) as { notReady: string[]; checks: Record<string, { ok: boolean }> };
    expect(body.notReady).toEqual(['database']);
    expect(body.checks.temporal?.ok).toBe(true);

    worker.state = 'DRAINING';
    const both = JSON.parse((await get(server, '/readyz')).body) as { notReady: string[] };
    expect(both.notReady).toEqual(['database', 'worker']);
  });

  it('names the database when Postgres is at a dead port, without echoing the URL', async () => {
    const pool = new pg.Pool({
      connectionString: 'postgres://concordat:hunter2@127.0.0.1:1/concordat',
      connectionTimeoutMillis: 500,
    });
    cleanups.push(() => pool.end());
    const sql = {
      query: async <R extends object>(text: string) => (await pool.query<R & pg.QueryResultRow>(text)).rows,
    };
    const report = await checkReadiness([databaseCheck(sql), up], 1_000);
    expect(report).toMatchObject({ ready: false, notReady: ['database'] });
    expect(JSON.stringify(report)).not.toContain('hunter2');
  });

  it('names Temporal when no frontend answers within the deadline', async () => {
    const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 300 });
    // The SDK's gRPC retry may still have a backoff timer pending at the deadline (its next call
    // then fails at once on the expired deadline); closing the channel first would make that throw.
    cleanups.push(async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await connection.close();
    });
    const started = Date.now();
    const report = await checkReadiness([temporalCheck(connection)], 800);
    expect(report).toMatchObject({ ready: false, notReady: ['temporal'] });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a check that hangs is cut at its deadline', async () => {
    const hang: ReadinessCheck = { name: 'database', check: () => new Promise(() => undefined) };
    const report = await checkReadiness([hang, up], 100);
    expect(report.notReady).toEqual(['database']);
    expect(report.checks.database?.error).toMatch(/did not answer within 100 ms/);
  });
});

describe('startProcessHealth', () => {
  it('serves /metrics as Prometheus text with every metric name, and readiness over the store', async () => {
    const { store, cleanup } = await pgliteBackend.open();
    cleanups.push(cleanup);
    const registry = new MetricsRegistry();
    const worker = fakeWorker();
    const health = await startProcessHealth({
      role: 'worker',
      host: '127.0.0.1',
      port: 0,
      sql: store.sql,
      temporal: answeringTemporal,
      worker: withSlots(worker),
      registry,
    });
    cleanups.push(() => health.stop());

    expect((await get(health, '/readyz')).status).toBe(200);
    const scrape = await get(health, '/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.type).toBe(PROMETHEUS_CONTENT_TYPE);
    const families = parsePrometheusText(scrape.body);
    for (const name of METRIC_NAMES) expect([...families.keys()], name).toContain(name);
    const sample = (name: string, labels: Record<string, string> = {}) =>
      families.get(name)?.samples.find((s) => JSON.stringify(s.labels) === JSON.stringify(labels))?.value;
    expect(sample('concordat_requests_open')).toBe(0);
    expect(sample('concordat_worker_task_slots_used', { kind: 'activity' })).toBe(2);
    expect(sample('concordat_worker_task_slots_max', { kind: 'activity' })).toBe(20);
    expect(sample('concordat_worker_cached_workflows')).toBe(7);
    expect(sample('concordat_worker_polling')).toBe(1);
    expect(families.get('concordat_escalation_page_lateness_seconds')?.type).toBe('histogram');
  });
});

describe('a worker process while it starts', () => {
  it('answers /healthz at once, /readyz 503 naming what it waits for, then ready as each part is attached', async () => {
    const { store, cleanup } = await pgliteBackend.open();
    cleanups.push(cleanup);
    const registry = new MetricsRegistry();
    // Nothing yet: no store, no Temporal, no worker.
    const health = await startProcessHealth({
      role: 'worker',
      host: '127.0.0.1',
      port: 0,
      expectWorker: true,
      registry,
    });
    cleanups.push(() => health.stop());

    expect((await get(health, '/healthz')).status).toBe(200);
    const waiting = await get(health, '/readyz');
    expect(waiting.status).toBe(503);
    expect(JSON.parse(waiting.body)).toMatchObject({
      notReady: ['database', 'temporal', 'worker'],
      checks: {
        database: { error: expect.stringContaining('the records store is not open yet') as unknown },
        temporal: { error: expect.stringContaining('not connected to Temporal yet') as unknown },
        worker: { error: expect.stringContaining('worker is starting') as unknown },
      },
    });
    // No store or slot metrics before there is a store or a worker to read them from.
    const before = parsePrometheusText((await get(health, '/metrics')).body);
    expect(before.get('concordat_requests_open')?.samples ?? []).toEqual([]);
    expect(before.get('concordat_worker_polling')?.samples ?? []).toEqual([]);

    health.attachStore(store.sql);
    health.attachTemporal(answeringTemporal);
    const storeAndTemporal = await get(health, '/readyz');
    expect(JSON.parse(storeAndTemporal.body)).toMatchObject({ notReady: ['worker'] });

    health.attachWorker(withSlots(fakeWorker()));
    expect((await get(health, '/readyz')).status).toBe(200);
    const after = parsePrometheusText((await get(health, '/metrics')).body);
    expect(after.get('concordat_requests_open')?.samples[0]?.value).toBe(0);
    expect(after.get('concordat_worker_polling')?.samples[0]?.value).toBe(1);
  });
});

describe('the health settings', () => {
  it('default to loopback on 9464 (worker) and 9465 (bots), and a bad port names its variable', () => {
    expect(parseEnv({}).health).toEqual(DEFAULT_HEALTH_SETTINGS);
    expect(
      parseEnv({
        CONCORDAT_HEALTH_HOST: '0.0.0.0',
        CONCORDAT_WORKER_HEALTH_PORT: '0',
        CONCORDAT_BOTS_HEALTH_PORT: '9100',
      }).health,
    ).toEqual({ host: '0.0.0.0', workerPort: 0, botsPort: 9100 });
    expect(() => parseEnv({ CONCORDAT_BOTS_HEALTH_PORT: 'abc' })).toThrow(
      /CONCORDAT_BOTS_HEALTH_PORT: "abc" is not a port/,
    );
  });
});
