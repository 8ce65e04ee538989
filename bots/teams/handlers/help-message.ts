import type { TurnContext } from 'botbuilder';
import { textActivity } from '../chat-port/render-message.js';

export const HELP_TEXT =
  'Concordat gets a bed in local authority accommodation for a child charged and refused bail ' +
  '(PACE s.38(6)). Custody officers: type "bedrequest" (or pick it from the command list) to start a ' +
  'request. Duty teams and EDT: act on the request cards Concordat posts in your channel. ' +
  'Administrators: type "digest 2026-11-01 2026-11-27" for a leads digest of those days now.';

/** Any other message: say what the bot does and how to start. */
export async function helpMessage(context: TurnContext): Promise<void> {
  await context.sendActivity(textActivity(HELP_TEXT));
}
