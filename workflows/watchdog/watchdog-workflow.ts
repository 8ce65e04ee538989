import { log, proxyActivities } from '@temporalio/workflow';
import type { createWatchdogActivities } from '../../activities/watchdog/watchdog-activities.js';

type WatchdogActivities = ReturnType<typeof createWatchdogActivities>;

// One look at Temporal and the store; a failed look is simply retried by the next run a minute on.
const { findStuckRequests } = proxyActivities<WatchdogActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumAttempts: 3 },
});

// A page must reach people: retry through a chat blip. Delivery is keyed per destination, so a
// retry never pages twice.
const { pageStuckRequest } = proxyActivities<WatchdogActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 8,
  },
});

export interface WatchdogRunResult {
  checked: number;
  stuck: Array<{ workflowId: string; reason: string }>;
  posted: number;
  /** Incidents whose paging failed after every retry (the next run tries again). */
  failedPages: number;
}

/**
 * The stuck-request watchdog (docs/watchdog.md), run by a Schedule every minute: find every open
 * bed request that has stopped moving and page the admins and the custody suite, once per
 * incident. Holds no state between runs: what was paged is in the delivery store.
 */
export async function stuckRequestWatchdogWorkflow(): Promise<WatchdogRunResult> {
  const found = await findStuckRequests();
  const pages = await Promise.allSettled(found.stuck.map((s) => pageStuckRequest(s)));
  let posted = 0;
  let failedPages = 0;
  for (const p of pages) {
    if (p.status === 'fulfilled') posted += p.value.posted;
    else failedPages++;
  }
  const result: WatchdogRunResult = {
    checked: found.checked,
    stuck: found.stuck.map((s) => ({ workflowId: s.view.workflowId, reason: s.view.reason })),
    posted,
    failedPages,
  };
  if (found.stuck.length) log.warn('Stuck bed requests found', { ...result });
  return result;
}
