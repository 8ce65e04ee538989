import type { ActionEnvelope } from '../../../domain/actions.js';
import { ENGINE_UNAVAILABLE_TEXT, REQUEST_NOT_FOUND_TEXT } from '../../shared/failure-text.js';
import { refuse, replyPrivately } from '../common.js';
import type { SlackBotDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { parseClick, type ButtonArgs } from './click.js';

/**
 * Countersign (a protocol option: docs/legal-rules.md, "Countersignature by an inspector"): one
 * click on the inspector's card. Ack, then the desk (the domain's rule: an inspector, not the
 * certifying sergeant), then the signal; the workflow checks again, audits it, and updates the cards.
 */
export function countersignButton(deps: SlackBotDeps) {
  return async ({ ack, body, client }: ButtonArgs): Promise<void> => {
    await ack();
    const click = await parseClick(deps, body, ACTION_IDS.countersign);
    if (!click) return;
    const to = { userId: click.actor.userId, channel: click.channel };
    const envelope: ActionEnvelope = {
      actionId: click.actionId,
      actor: click.actor,
      action: { kind: 'countersign' },
      ...(click.channel ? { replyChannel: click.channel } : {}),
    };
    const result = await deps.desk.act(click.workflowId, envelope, { clickKey: click.clickKey });
    if (result.status === 'not_found') await replyPrivately(deps, client, to, REQUEST_NOT_FOUND_TEXT);
    else if (result.status === 'refused') await refuse(deps, client, to, result.refusal);
    else if (result.status === 'unavailable') await replyPrivately(deps, client, to, ENGINE_UNAVAILABLE_TEXT);
  };
}
