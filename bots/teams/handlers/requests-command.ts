import type { TurnContext } from 'botbuilder';
import { openRequestsCard } from '../cards/open-requests-card.js';
import { cardActivity } from '../chat-port/render-message.js';
import type { HandlerDeps } from '../deps.js';
import { actorOf, nowIso } from './turn.js';

/** Typed or picked from the command list: "requests", "/requests", "my requests", after an @mention. */
export const REQUESTS_COMMAND = /^\s*(?:<at>[^<]*<\/at>\s*)*\/?\s*(?:my\s+)?(?:open\s+)?requests\s*$/i;

/** Teams shows at most this many on the card. */
const MAX_ROWS = 20;

async function sendList(deps: HandlerDeps, context: TurnContext, welcome: boolean): Promise<void> {
  const actor = actorOf(context);
  const list = await deps.desk.listOpen(actor, MAX_ROWS);
  const content = openRequestsCard(list, { nowIso: nowIso(deps), welcome, userId: actor.userId });
  await context.sendActivity(cardActivity(content, welcome ? 'Welcome to Concordat' : 'Open bed requests'));
}

/** `requests`: the person's open requests by role, through the desk's list. */
export function requestsCommand(deps: HandlerDeps, context: TurnContext): Promise<void> {
  return sendList(deps, context, false);
}

/** The welcome card when the bot is added to someone's personal chat: the same list. */
export function welcome(deps: HandlerDeps, context: TurnContext): Promise<void> {
  return sendList(deps, context, true);
}
