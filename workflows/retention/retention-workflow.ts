import { log, proxyActivities } from '@temporalio/workflow';
import type { createRetentionActivities } from '../../activities/retention/retention-activities.js';

const { purgeExpiredPersonalData } = proxyActivities<ReturnType<typeof createRetentionActivities>>({
  startToCloseTimeout: '30 minutes',
  retry: {
    initialInterval: '30 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 10,
  },
});

/**
 * Removes personal data past the configured retention (docs/legal-rules.md, "Retention of personal data"). Run daily by a Schedule;
 * the purge is idempotent (a second run finds nothing more to remove) and audited by the store.
 */
export async function retentionPurgeWorkflow(): Promise<{ cutoff: string; purged: number }> {
  const result = await purgeExpiredPersonalData();
  log.info('Retention purge finished', result);
  return result;
}
