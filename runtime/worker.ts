import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { type NativeConnection, Worker, type WorkerOptions, type WorkerPlugin } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { createDigestActivities } from '../activities/digest/index.js';
import { createRetentionActivities } from '../activities/retention/index.js';
import { createWatchdogActivities } from '../activities/watchdog/index.js';
import type { ChatPort } from '../domain/chat-port.js';
import type { Protocol } from '../domain/protocol.js';
import type { Store } from '../store/index.js';
import type { Logger } from './logger.js';
import { metrics } from './metrics.js';
import type { EncryptionCodec } from './payload-codec.js';
import { dataConverterFor } from './temporal-connection.js';
import { cachedWorkflowBundle } from './workflow-bundle.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  protocol: Protocol;
  store: Store;
  chat: ChatPort;
  codec: EncryptionCodec;
  log: Logger;
  /** For the stuck-request watchdog's look at running workflows; without it the watchdog is off. */
  client?: Client;
  /** Bounded so one worker on a small machine never starves its own bots; scale by adding workers. */
  maxConcurrentActivityTaskExecutions?: number;
  /** SDK plugins: the OpenTelemetry one when tracing is on (runtime/tracing.ts). */
  plugins?: WorkerPlugin[];
  /** Workflow tasks run at once (CONCORDAT_WORKFLOW_TASK_SLOTS); unset = the default above. */
  workflowTaskSlots?: number;
  /** Benchmarks only: try other cache and poller settings than {@link PERFORMANCE_SETTINGS}. */
  tuning?: Partial<WorkerTuning>;
}

export type WorkerTuning = Pick<
  WorkerOptions,
  | 'maxCachedWorkflows'
  | 'maxConcurrentWorkflowTaskPolls'
  | 'maxConcurrentActivityTaskPolls'
  | 'maxConcurrentWorkflowTaskExecutions'
>;

/**
 * How fast another worker takes over a dead worker's requests (docs/durability.md, "Recovery after
 * a crash"). A task for a request cached on a worker that was killed waits on that worker's
 * sticky queue until this timeout, then goes to the shared queue: 2 s, not the SDK's 10 s, so a
 * page due during an outage goes out within a few seconds of a worker being back. A live worker
 * answers its sticky queue in milliseconds; missing the deadline costs a replay, not correctness.
 * On SIGTERM the worker stops polling and lets running activities (a card being posted) finish
 * for up to 10 s, inside the usual 30 s an orchestrator waits before it kills.
 */
export const RECOVERY_SETTINGS = {
  stickyQueueScheduleToStartTimeout: '2 seconds',
  shutdownGraceTime: '10 seconds',
} as const;

/**
 * Cache and poller settings (bench/submit-to-card.ts measures them; docs/benchmarks.md has the
 * figures). Only settings a measurement justified; otherwise the SDK's defaults apply.
 *
 * Workflow-task slots: 8, not the SDK's 40 (docs/durability.md, "Workflow-task slots"). A
 * workflow task's 10 s timeout runs from the moment a worker takes it, and one worker runs its
 * workflow code on one thread, so a restarted worker that takes 40 tasks at once (every open
 * request needs its history replayed) finishes each only after the other 39; on a small machine
 * they run past the timeout, and a kill mid-way strands all 40 until it expires. With 8 taken at
 * a time the rest wait on the server, where no timeout runs and any live worker can take them.
 */
export const DEFAULT_WORKFLOW_TASK_SLOTS = 8;
/**
 * Cached requests: 200, not the SDK's default (about 2,300 on this machine). `bench:rss` measured
 * the worker's own process with 1,000 requests asked for (docs/benchmarks.md): the default held
 * 1,301 MiB idle, over the 1 GiB goal; 500 held 1,037 MiB; 200 held 595 MiB, with the Acknowledge
 * → card update no slower; with all 1,000 open it held 546–1,016 MiB idle in four runs. A request
 * out of the cache is replayed from history on its next task:
 * CPU, never correctness. With many hundreds open at once, add workers rather than cache.
 */
export const MAX_CACHED_WORKFLOWS = 200;
export const PERFORMANCE_SETTINGS: Partial<WorkerTuning> = {
  maxConcurrentWorkflowTaskExecutions: DEFAULT_WORKFLOW_TASK_SLOTS,
  maxCachedWorkflows: MAX_CACHED_WORKFLOWS,
};

/**
 * The Concordat worker: every workflow and activity, with their dependencies injected. Workers are
 * stateless: run as many copies as the load needs, on any machine that reaches Temporal and the
 * database.
 */
export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  const { store, chat, protocol, log } = deps;
  const activities = {
    ...createActivities({ chat, store, protocol: () => protocol, log, metrics }),
    ...createDigestActivities({ store, chat, protocol, log }),
    ...createRetentionActivities({ store, protocol }),
    ...(deps.client
      ? createWatchdogActivities({ client: deps.client, store, chat, protocol, log, metrics })
      : {}),
  };
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    // A plugin may add workflow interceptors to the bundle (tracing): then the worker bundles for
    // itself. Otherwise the cached bundle for these sources, so a restart is quick.
    ...(deps.plugins?.length
      ? { workflowsPath: WORKFLOWS_PATH }
      : { workflowBundle: await cachedWorkflowBundle({ workflowsPath: WORKFLOWS_PATH, log }) }),
    activities,
    dataConverter: dataConverterFor(deps.codec),
    maxConcurrentActivityTaskExecutions: deps.maxConcurrentActivityTaskExecutions ?? 20,
    ...RECOVERY_SETTINGS,
    ...PERFORMANCE_SETTINGS,
    ...(deps.workflowTaskSlots ? { maxConcurrentWorkflowTaskExecutions: deps.workflowTaskSlots } : {}),
    ...deps.tuning,
    ...(deps.plugins?.length ? { plugins: deps.plugins } : {}),
  });
}
