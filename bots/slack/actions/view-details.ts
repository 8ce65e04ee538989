import { ENGINE_UNAVAILABLE_TEXT, REQUEST_NOT_FOUND_TEXT } from '../../shared/failure-text.js';
import { identityNote } from '../blocks/identity.js';
import { errorCode, refuse, replyPrivately } from '../common.js';
import type { SlackBotDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { parseClick, type ButtonArgs } from './click.js';

/**
 * View details: the desk decides who may see the child's identity and logs every view and every
 * denial; this shows it as an ephemeral message, seen by the one person who asked.
 */
export function viewDetailsButton(deps: SlackBotDeps) {
  return async ({ ack, body, client }: ButtonArgs): Promise<void> => {
    await ack();
    const click = await parseClick(deps, body, ACTION_IDS.viewDetails);
    if (!click) return;
    const to = { userId: click.actor.userId, channel: click.channel };
    const result = await deps.desk.viewDetails(click.actor, click.workflowId, { requestId: click.actionId });
    if (result.status === 'not_found') return await replyPrivately(deps, client, to, REQUEST_NOT_FOUND_TEXT);
    if (result.status === 'unavailable')
      return await replyPrivately(deps, client, to, ENGINE_UNAVAILABLE_TEXT);
    if (result.status === 'refused') return await refuse(deps, client, to, result.refusal);
    const { subject, identity, details } = result;
    const note = identityNote(subject.caseRef, subject.custodyRecordNumber, identity, details);
    try {
      if (click.channel) {
        await client.chat.postEphemeral({
          channel: click.channel,
          user: click.actor.userId,
          text: note.text,
          blocks: note.blocks,
        });
      } else {
        await replyPrivately(deps, client, to, note.text);
      }
    } catch (error) {
      deps.log.error({ err: errorCode(error), workflowId: click.workflowId }, 'could not show details');
      await replyPrivately(deps, client, to, ENGINE_UNAVAILABLE_TEXT);
    }
  };
}
