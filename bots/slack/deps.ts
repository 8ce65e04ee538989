import type { ActionEnvelope } from '../../domain/actions.js';
import type { BedRequestInput } from '../../domain/bed-request.js';
import type { Protocol } from '../../domain/protocol.js';
import type { RequestView } from '../../domain/request-view.js';
import type { Logger } from '../../runtime/logger.js';
import type { RecordsStore } from '../../store/records-store.js';
import type { DigestRequests } from '../shared/digest-request.js';
import type { RecentSet } from './recent-set.js';

/**
 * What the bot needs from the Temporal side: the shape of `createBedRequestClient(...)` in
 * runtime/bed-request-client.ts (start = idempotent workflow start, act = the action signal,
 * view = the state query).
 */
export interface BedRequestClient {
  start(
    input: BedRequestInput,
    requestedAt: string,
  ): Promise<{ status: 'started' | 'already_open' | 'already_closed' | 'queued'; workflowId: string }>;
  act(workflowId: string, envelope: ActionEnvelope): Promise<void>;
  view(workflowId: string): Promise<RequestView | null>;
}

/** The store calls the Slack edge makes (View details, App Home). */
export type BotStore = Pick<RecordsStore, 'getIdentity' | 'logAccess' | 'listOpenRequests' | 'getRequest'> &
  Partial<Pick<RecordsStore, 'getCaseDetails'>>;

export interface SlackBotDeps {
  protocol: Protocol;
  bedRequests: BedRequestClient;
  store: BotStore;
  log: Logger;
  /** The clock (tests pin it). */
  now: () => Date;
  /** Clicks seen in the last few seconds, so a double-click is one click. */
  recentClicks: RecentSet;
  /** Members of the Slack user groups that the protocol maps to roles. */
  userGroups?: { groupsOf(userId: string): string[] } | undefined;
  /** Starts a leads digest now (`/bedrequest digest …`); absent, the command says it is not available. */
  digests?: DigestRequests | undefined;
}

export function zoneOf(protocol: Protocol): string {
  return protocol.force.timeZone;
}
