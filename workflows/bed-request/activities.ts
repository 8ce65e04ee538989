import { proxyActivities } from '@temporalio/workflow';
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
