import type { ActionEnvelope } from '../../domain/actions.js';
import type { BedRequestInput } from '../../domain/bed-request.js';
import type { Protocol } from '../../domain/protocol.js';
import type { RequestView } from '../../domain/request-view.js';
import type { Logger } from '../../runtime/logger.js';
import type { RecordsStore } from '../../store/records-store.js';
import type { DigestRequests } from '../shared/digest-request.js';
import type { RecentClicks } from './recent-clicks.js';

/**
 * What the Teams bot needs from the Temporal side: the shape of `createBedRequestClient(...)` in
 * runtime/bed-request-client.ts, written out here so the bot can be driven by a fake in tests.
 */
export interface BedRequests {
  start(
    input: BedRequestInput,
    requestedAt: string,
  ): Promise<{ status: 'started' | 'already_open' | 'already_closed' | 'queued'; workflowId: string }>;
  act(workflowId: string, envelope: ActionEnvelope): Promise<void>;
  view(workflowId: string): Promise<RequestView | null>;
}

/** The store calls the Teams edge makes (identity for View details, the access log, references). */
export type TeamsBotStore = Pick<
  RecordsStore,
  'getIdentity' | 'logAccess' | 'saveConversationReference' | 'getConversationReference'
> &
  Partial<Pick<RecordsStore, 'getCaseDetails'>>;

/** Everything a handler needs. Built once by createTeamsBot. */
export interface HandlerDeps {
  protocol: Protocol;
  bedRequests: BedRequests;
  store: TeamsBotStore;
  log: Logger;
  clock: () => Date;
  /** The force's zone (protocol.force.timeZone), for times on cards. */
  zone: string;
  /** How long an invoke may take before the bot answers "not recorded yet" (Teams allows 5 s). */
  invokeBudgetMs: number;
  /** Double-click guard for card buttons. */
  recentClicks: RecentClicks;
  /** Starts a leads digest now (the `digest` command); absent, the command says it is not available. */
  digests?: DigestRequests | undefined;
}
