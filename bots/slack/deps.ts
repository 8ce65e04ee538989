import type { Desk } from '../../desk/index.js';
import type { Logger } from '../../domain/logger.js';
import type { Protocol } from '../../domain/protocol.js';

export interface SlackBotDeps {
  protocol: Protocol;
  /** Everything a person asks of Concordat: checks, refusal audit, repeat guards (desk/). */
  desk: Desk;
  log: Logger;
  /** Members of the Slack user groups that the protocol maps to roles. */
  userGroups?: { groupsOf(userId: string): string[] } | undefined;
}

export function zoneOf(protocol: Protocol): string {
  return protocol.force.timeZone;
}
