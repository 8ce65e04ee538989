/**
 * The worker's task-slot use, read from the SDK at scrape time (Worker.getStatus()). Slots in use
 * near the maximum means tasks wait on this worker: the scheduled-to-started gap grows and pages
 * go out late, so this is the signal to add a worker (README, "Running in production").
 */
import type { Worker } from '@temporalio/worker';
import type { MetricsRegistry } from '../metrics.js';

export const WORKER_METRIC_NAMES = [
  'concordat_worker_task_slots_used',
  'concordat_worker_task_slots_max',
  'concordat_worker_cached_workflows',
  'concordat_worker_heartbeating_activities',
  'concordat_worker_polling',
] as const;

type SlotKind = 'workflow' | 'activity' | 'local_activity';

/** The fixed slot count of a slot supplier, or undefined for a resource-based or custom one. */
function fixedSlots(supplier: unknown): number | undefined {
  if (typeof supplier !== 'object' || supplier === null) return undefined;
  const s = supplier as { type?: unknown; numSlots?: unknown; maximumSlots?: unknown };
  if (s.type === 'fixed-size' && typeof s.numSlots === 'number') return s.numSlots;
  if (s.type === 'resource-based' && typeof s.maximumSlots === 'number') return s.maximumSlots;
  return undefined;
}

/** Registers the worker's gauges. Returns a function that unregisters them (worker stopped). */
export function registerWorkerMetrics(
  registry: MetricsRegistry,
  worker: Pick<Worker, 'getStatus' | 'options'>,
): () => void {
  const used = registry.gauge(
    'concordat_worker_task_slots_used',
    'Task slots this worker is using, by kind (workflow activations, activities, local activities).',
  );
  const max = registry.gauge(
    'concordat_worker_task_slots_max',
    'Task slots this worker has, by kind (its maxConcurrent* settings).',
  );
  const cached = registry.gauge(
    'concordat_worker_cached_workflows',
    'Workflow executions cached in this worker (each costs memory; see maxCachedWorkflows).',
  );
  const heartbeating = registry.gauge(
    'concordat_worker_heartbeating_activities',
    'Running activities of this worker that have heartbeated.',
  );
  const polling = registry.gauge(
    'concordat_worker_polling',
    '1 while this worker is RUNNING with its workflow and activity pollers polling, else 0.',
  );
  // The limits are fixed once the worker is built: read them once.
  const { tuner } = worker.options;
  const limits: Record<SlotKind, number | undefined> = {
    workflow: fixedSlots(tuner.workflowTaskSlotSupplier),
    activity: fixedSlots(tuner.activityTaskSlotSupplier),
    local_activity: fixedSlots(tuner.localActivityTaskSlotSupplier),
  };
  for (const [kind, n] of Object.entries(limits)) if (n !== undefined) max.set({ kind }, n);

  return registry.collect('worker', () => {
    const s = worker.getStatus();
    used.set({ kind: 'workflow' }, s.numInFlightWorkflowActivations);
    used.set({ kind: 'activity' }, s.numInFlightNonLocalActivities);
    used.set({ kind: 'local_activity' }, s.numInFlightLocalActivities);
    cached.set({}, s.numCachedWorkflows);
    heartbeating.set({}, s.numHeartbeatingActivities);
    polling.set(
      {},
      s.runState === 'RUNNING' && s.workflowPollerState === 'POLLING' && s.activityPollerState === 'POLLING'
        ? 1
        : 0,
    );
  });
}
