import { ENGINE_UNAVAILABLE_TEXT, REQUEST_NOT_FOUND_TEXT } from '../../shared/failure-text.js';
import { errorCode, nowIso, refuse, replyPrivately } from '../common.js';
import type { SlackBotDeps } from '../deps.js';
import { actionModal, type ModalActionKind } from '../forms/action-forms.js';
import { parseClick, type ButtonArgs } from './click.js';

/**
 * The shared body of every button that opens a modal: ack, ask the desk whether this person may
 * take this kind of action now (refused: an ephemeral), else open the modal built from the view
 * model. The trigger ID lasts 3 seconds; one query fits well inside it.
 */
export function openActionModal(deps: SlackBotDeps, kind: ModalActionKind, actionId: string) {
  return async ({ ack, body, client }: ButtonArgs): Promise<void> => {
    await ack();
    const click = await parseClick(deps, body, actionId);
    if (!click) return;
    const to = { userId: click.actor.userId, channel: click.channel };
    const result = await deps.desk.probe(click.actor, click.workflowId, kind, {
      requestId: click.actionId,
      clickKey: click.clickKey,
    });
    if (result.status === 'duplicate') return;
    if (result.status === 'not_found') return await replyPrivately(deps, client, to, REQUEST_NOT_FOUND_TEXT);
    if (result.status === 'unavailable')
      return await replyPrivately(deps, client, to, ENGINE_UNAVAILABLE_TEXT);
    if (result.status === 'refused') return await refuse(deps, client, to, result.refusal);
    try {
      await client.views.open({
        trigger_id: click.triggerId,
        view: actionModal(
          kind,
          result.view,
          click.channel ? { channel: click.channel } : {},
          nowIso(deps),
          deps.protocol.force.timeZone,
        ),
      });
    } catch (error) {
      deps.log.error(
        { err: errorCode(error), workflowId: click.workflowId, action: kind },
        'could not open a modal',
      );
      await replyPrivately(deps, client, to, ENGINE_UNAVAILABLE_TEXT);
    }
  };
}
