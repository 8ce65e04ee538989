import type { Desk } from '../../desk/index.js';
import type { ConversationReferences } from '../../domain/conversation-references.js';
import type { Logger } from '../../domain/logger.js';
import type { Protocol } from '../../domain/protocol.js';

/** Everything a handler needs. Built once by createTeamsBot. */
export interface HandlerDeps {
  protocol: Protocol;
  /** Everything a person asks of Concordat: checks, refusal audit, repeat guards (desk/). */
  desk: Desk;
  /** Conversation references captured at install, for proactive messages. */
  conversations: ConversationReferences;
  log: Logger;
  /** The force's zone (protocol.force.timeZone), for times on cards. */
  zone: string;
  /** How long an invoke may take before the bot answers "not recorded yet" (Teams allows 5 s). */
  invokeBudgetMs: number;
}
