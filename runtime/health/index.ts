/**
 * One call for runtime/main.ts: the health server of this process, with the readiness checks and
 * the metrics its role has. The worker's port serves the worker (and, in the all-in-one
 * `npm start`, the bots too); `--bots` serves its own port.
 */
import type { ConnectionLike } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { Logger } from '../../domain/logger.js';
import type { SqlExecutor } from '../../store/sql-client.js';
import { metrics as processMetrics, type MetricsRegistry } from '../metrics.js';
import { databaseCheck, temporalCheck, workerCheck, type ReadinessCheck } from './readiness.js';
import { startHealthServer, type HealthServer } from './server.js';
import { registerStoreMetrics, STORE_METRIC_NAMES } from './store-metrics.js';
import { registerWorkerMetrics, WORKER_METRIC_NAMES } from './worker-metrics.js';
import { deliveryMetrics, DELIVERY_METRIC_NAMES } from './delivery-metrics.js';

export {
  checkReadiness,
  databaseCheck,
  temporalCheck,
  workerCheck,
  type ReadinessCheck,
} from './readiness.js';
export { createHealthHandler, startHealthServer, type HealthServer } from './server.js';
export { registerStoreMetrics } from './store-metrics.js';
export { registerWorkerMetrics } from './worker-metrics.js';
export { deliveryMetrics, failureCodeOf } from './delivery-metrics.js';

/** Every Concordat metric name the /metrics endpoint serves (the README lists them). */
export const METRIC_NAMES: readonly string[] = [
  ...STORE_METRIC_NAMES,
  ...DELIVERY_METRIC_NAMES,
  ...WORKER_METRIC_NAMES,
];

/** Where the health servers listen (runtime/env.ts: CONCORDAT_HEALTH_HOST and the two ports). */
export interface HealthSettings {
  host: string;
  workerPort: number;
  botsPort: number;
}

export const DEFAULT_HEALTH_SETTINGS: HealthSettings = {
  host: '127.0.0.1',
  workerPort: 9464,
  botsPort: 9465,
};

type HealthSql = Pick<SqlExecutor, 'query'>;
type HealthTemporal = Pick<ConnectionLike, 'withDeadline' | 'workflowService'>;
type HealthWorker = Pick<Worker, 'getState' | 'getStatus' | 'options'>;

export interface ProcessHealthOptions {
  role: 'worker' | 'bots' | 'all';
  host: string;
  port: number;
  /** The store's query layer (`store.sql`); absent until attached with `attachStore`. */
  sql?: HealthSql;
  /** The Temporal client's connection (`client.connection`); absent until `attachTemporal`. */
  temporal?: HealthTemporal;
  /** On a worker process: its polling is part of readiness, its slots are metrics. */
  worker?: HealthWorker;
  /**
   * A worker process whose worker is not built yet: /readyz says the worker is starting until
   * {@link ProcessHealth.attachWorker} is called.
   */
  expectWorker?: boolean;
  registry?: MetricsRegistry;
  log?: Logger;
}

export interface ProcessHealth extends HealthServer {
  /** The store is open: its `SELECT 1` joins readiness and its counts the metrics. */
  attachStore(sql: HealthSql): void;
  /** The Temporal client is connected: its frontend joins readiness. */
  attachTemporal(connection: HealthTemporal): void;
  /** The worker is built: its polling joins readiness and its slots the metrics. */
  attachWorker(worker: HealthWorker): void;
  /** Stops the server and unregisters this process's collectors. */
  stop(): Promise<void>;
}

/** A readiness check whose dependency arrives later; until then it says what it waits for. */
function lateCheck<T>(
  name: string,
  current: () => T | undefined,
  make: (dep: T) => ReadinessCheck,
  waiting: string,
): ReadinessCheck {
  return {
    name,
    check: (deadlineMs) => {
      const dep = current();
      return dep === undefined ? Promise.reject(new Error(waiting)) : make(dep).check(deadlineMs);
    },
  };
}

/**
 * Registers this process's metrics and starts its health server. It can start before the store,
 * Temporal and the worker exist (each is attached when ready), so a slow start (waiting for
 * Temporal, building the workflow bundle) is seen as alive and not ready, not as nothing listening.
 */
export async function startProcessHealth(options: ProcessHealthOptions): Promise<ProcessHealth> {
  const registry = options.registry ?? processMetrics;
  // Declared up front so /metrics names every counter from the first scrape, at 0 by omission.
  deliveryMetrics(registry);
  const unregister: Array<() => void> = [];
  let sql: HealthSql | undefined;
  let temporal: HealthTemporal | undefined;
  let worker: HealthWorker | undefined;
  const attachStore = (s: HealthSql) => {
    if (sql) return;
    sql = s;
    unregister.push(registerStoreMetrics(registry, s));
  };
  const attachTemporal = (t: HealthTemporal) => {
    temporal ??= t;
  };
  const attachWorker = (w: HealthWorker) => {
    if (worker) return;
    worker = w;
    unregister.push(registerWorkerMetrics(registry, w));
  };
  const checks: ReadinessCheck[] = [
    lateCheck('database', () => sql, databaseCheck, 'the records store is not open yet'),
    lateCheck('temporal', () => temporal, temporalCheck, 'not connected to Temporal yet'),
  ];
  if (options.worker || options.expectWorker) {
    checks.push(lateCheck('worker', () => worker, workerCheck, 'worker is starting'));
  }
  if (options.sql) attachStore(options.sql);
  if (options.temporal) attachTemporal(options.temporal);
  if (options.worker) attachWorker(options.worker);
  let server: HealthServer;
  try {
    server = await startHealthServer({
      role: options.role,
      host: options.host,
      port: options.port,
      checks,
      registry,
      ...(options.log ? { log: options.log } : {}),
    });
  } catch (error) {
    for (const u of unregister) u();
    throw error;
  }
  return {
    ...server,
    attachStore,
    attachTemporal,
    attachWorker,
    stop: async () => {
      for (const u of unregister) u();
      await server.close();
    },
  };
}
