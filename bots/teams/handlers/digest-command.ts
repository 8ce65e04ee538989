import type { TurnContext } from 'botbuilder';
import { digestUsage } from '../../../desk/digest-now.js';
import { textActivity } from '../chat-port/render-message.js';
import type { HandlerDeps } from '../deps.js';
import { actorOf } from './turn.js';

/**
 * Typed or picked from the command list: "digest 2026-11-01 2026-11-27", also "/digest …" and after
 * an @mention that teams-ai did not strip. The first group is what follows the word.
 */
export const DIGEST_COMMAND = /^\s*(?:<at>[^<]*<\/at>\s*)*\/?\s*digest\b([\s\S]*)$/i;

export const DIGEST_USAGE_TEXT = digestUsage('digest');

/**
 * `digest <from> <to>`: an admin asks for a leads digest now. The answer is a plain reply in the
 * conversation (it names dates only). The activity ID is the request ID, so a redelivered message
 * starts nothing new.
 */
export async function digestCommand(deps: HandlerDeps, context: TurnContext): Promise<void> {
  const rest = DIGEST_COMMAND.exec(context.activity.text ?? '')?.[1] ?? '';
  const check = await deps.desk.checkDigest({
    actor: actorOf(context),
    rest,
    requestId: context.activity.id,
    usage: DIGEST_USAGE_TEXT,
  });
  const text = 'reply' in check ? check.reply : await deps.desk.requestDigest(check.args);
  await context.sendActivity(textActivity(text));
}
