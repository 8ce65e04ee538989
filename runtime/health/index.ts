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

export interface ProcessHealthOptions {
  role: 'worker' | 'bots' | 'all';
  host: string;
  port: number;
  /** The store's query layer (`store.sql`). */
  sql: Pick<SqlExecutor, 'query'>;
  /** The Temporal client's connection (`client.connection`). */
  temporal: Pick<ConnectionLike, 'withDeadline' | 'workflowService'>;
  /** On a worker process: its polling is part of readiness, its slots are metrics. */
  worker?: Pick<Worker, 'getState' | 'getStatus' | 'options'>;
  registry?: MetricsRegistry;
  log?: Logger;
}

export interface ProcessHealth extends HealthServer {
  /** Stops the server and unregisters this process's collectors. */
  stop(): Promise<void>;
}

/** Registers this process's metrics and starts its health server. */
export async function startProcessHealth(options: ProcessHealthOptions): Promise<ProcessHealth> {
  const registry = options.registry ?? processMetrics;
  // Declared up front so /metrics names every counter from the first scrape, at 0 by omission.
  deliveryMetrics(registry);
  const unregister = [registerStoreMetrics(registry, options.sql)];
  const checks: ReadinessCheck[] = [databaseCheck(options.sql), temporalCheck(options.temporal)];
  if (options.worker) {
    checks.push(workerCheck(options.worker));
    unregister.push(registerWorkerMetrics(registry, options.worker));
  }
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
    stop: async () => {
      for (const u of unregister) u();
      await server.close();
    },
  };
}
