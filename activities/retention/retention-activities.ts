import { SYSTEM_ACTOR } from '../../domain/people.js';
import type { Protocol } from '../../domain/protocol.js';
import type { RecordsStore } from '../../store/records-store.js';

export interface RetentionActivityDeps {
  store: Pick<RecordsStore, 'purgePersonalData'>;
  protocol: Pick<Protocol, 'retention'>;
  clock?: () => Date;
  log?: { info(obj: object, msg?: string): void };
}

/**
 * The retention purge: personal fields (the encrypted identity and certificate) of requests made
 * more than `retention.personalData` ago are removed; pseudonyms, outcomes and timestamps stay, so
 * the statistics and repeat matching survive. The store writes the purge to the audit log in the
 * same transaction.
 */
export function createRetentionActivities(deps: RetentionActivityDeps) {
  const clock = deps.clock ?? (() => new Date());
  return {
    purgeExpiredPersonalData: async (): Promise<{ cutoff: string; purged: number }> => {
      const cutoff = new Date(clock().getTime() - deps.protocol.retention.personalData).toISOString();
      const { purged } = await deps.store.purgePersonalData(cutoff, SYSTEM_ACTOR);
      deps.log?.info({ cutoff, purged }, 'retention purge done');
      return { cutoff, purged };
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
