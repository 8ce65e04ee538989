import type { ActionEnvelope } from '../../../domain/actions.js';
import { ENGINE_UNAVAILABLE_TEXT, REQUEST_NOT_FOUND_TEXT } from '../../shared/failure-text.js';
import { errorCode, precheck, refuse, replyPrivately } from '../common.js';
import type { SlackBotDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { parseClick, type ButtonArgs } from './click.js';

/** Acknowledge: one click. Ack, pre-check role × state, then signal; the card updates in place. */
export function acknowledgeButton(deps: SlackBotDeps) {
  return async ({ ack, body, client }: ButtonArgs): Promise<void> => {
    await ack();
    const click = parseClick(deps, body, ACTION_IDS.acknowledge);
    if (!click) return;
    const to = { userId: click.actor.userId, channel: click.channel };
    const envelope: ActionEnvelope = {
      actionId: click.actionId,
      actor: click.actor,
      action: { kind: 'acknowledge' },
      ...(click.channel ? { replyChannel: click.channel } : {}),
    };
    try {
      const view = await deps.bedRequests.view(click.workflowId);
      if (!view) return await replyPrivately(deps, client, to, REQUEST_NOT_FOUND_TEXT);
      const refusal = precheck(deps, view, click.actor, envelope.action, envelope.actionId);
      if (refusal)
        return await refuse(deps, client, to, refusal, {
          workflowId: click.workflowId,
          action: 'acknowledge',
        });
      await deps.bedRequests.act(click.workflowId, envelope);
    } catch (error) {
      deps.log.error({ err: errorCode(error), workflowId: click.workflowId }, 'could not acknowledge');
      await replyPrivately(deps, client, to, ENGINE_UNAVAILABLE_TEXT);
    }
  };
}
