import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { createActivities } from '../../activities/index.js';
import { FailureCode } from '../../domain/failures.js';

type Activities = ReturnType<typeof createActivities>;

/** Store writes must happen: retry until they do (a store outage pauses the request, not loses it). */
export const records = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // The activities heartbeat (activities/heartbeat): a killed worker's activity is retried 5 s on.
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Patch ID: the opening's store reads and writes as local activities; older histories replay without. */
export const LOCAL_OPEN_PATCH = 'open-with-local-activities';

/**
 * The same store activities run locally, in the workflow task that asked for them: the opening's
 * snapshot, registration and repeat lookup then cost one workflow task instead of three
 * activity round trips on the way to the first card (docs/benchmarks.md). Retried as above; a
 * worker killed mid-way loses the task, and the next worker runs them again (they are idempotent,
 * keyed by the workflow ID).
 */
const localRecords = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Patch ID: the opening back on ordinary activities. The crash suite found a request opened on
 * local activities, with its worker killed mid-way, that no longer replayed ("patch marker for
 * repeat-child-at-start, but no corresponding change command"): docs/durability.md, "Local
 * activities in the opening".
 */
export const REGULAR_OPEN_PATCH = 'open-with-regular-activities';

/**
 * The store activities for the opening. New requests use ordinary activities; a history that
 * opened on local ones (between the two patches) replays on local ones; older ones on ordinary.
 */
export function openingRecords(): typeof records {
  if (patched(REGULAR_OPEN_PATCH)) return records;
  return patched(LOCAL_OPEN_PATCH) ? localRecords : records;
}

/**
 * Chat deliveries retry for a few minutes (honouring Retry-After through `nextRetryDelay`), then
 * give up so that a chat outage never holds up the ladder's timers. A card that could not be
 * posted is posted by the next state change, because delivery is keyed per (workflow, step).
 */
export const chat = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: '5 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
    // A missing Teams conversation reference is retried (and logged each time): the app may be
    // installed in that channel minutes later. A rejected message never will succeed.
    nonRetryableErrorTypes: [FailureCode.ChatRejected],
  },
});
