import type { TurnContext } from 'botbuilder';
import { describeRefusal } from '../../shared/failure-text.js';
import { cardActivity, textActivity } from '../chat-port/render-message.js';
import { installActivitySchema, referencesToStore } from '../chat-port/conversation-reference.js';
import type { HandlerDeps } from '../deps.js';
import { formForDeps } from './submit-request.js';
import { actorOf, errorCode, isPersonal } from './turn.js';

/**
 * Typed or picked from the command list: "bedrequest", "bed request", "/bedrequest", also after an
 * @mention that teams-ai did not strip (a mention without its entity).
 */
export const BED_REQUEST_COMMAND = /^\s*(?:<at>[^<]*<\/at>\s*)*\/?\s*bed[\s-]*request\b/i;

/**
 * The `bedrequest` command replies with the request form as an Adaptive Card. Only custody (or
 * admin) get the form; anyone else is told why. In a personal chat the conversation reference is
 * refreshed too, so private notes can reach this person later.
 */
export async function bedRequestCommand(deps: HandlerDeps, context: TurnContext): Promise<void> {
  const actor = actorOf(context);
  if (isPersonal(context)) {
    const parsed = installActivitySchema.safeParse(context.activity);
    if (parsed.success) {
      for (const { key, reference } of referencesToStore(parsed.data)) {
        await deps.conversations
          .saveConversationReference('teams', key, reference)
          .catch((err: unknown) => deps.log.warn({ err: errorCode(err) }, 'could not refresh reference'));
      }
    }
  }
  const refused = await deps.desk.mayStart(actor, context.activity.id ?? `form:${actor.userId}`);
  if (refused) {
    await context.sendActivity(textActivity(describeRefusal(refused)));
    return;
  }
  await context.sendActivity(cardActivity(formForDeps(deps), 'Bed request form'));
}
