import { FailureCode } from '../../../domain/failures.js';
import { ENGINE_UNAVAILABLE_TEXT, REQUEST_NOT_FOUND_TEXT } from '../../shared/failure-text.js';
import { errorCode, nowIso, precheck, probeAction, refuse, replyPrivately } from '../common.js';
import type { SlackBotDeps } from '../deps.js';
import { actionModal, type ModalActionKind } from '../forms/action-forms.js';
import { parseClick, type ButtonArgs } from './click.js';

/**
 * The shared body of every button that opens a modal: ack, read the live request, refuse at once
 * (ephemeral) when this person may not take this kind of action now, else open the modal built
 * from the view model. The trigger ID lasts 3 seconds; one query fits well inside it.
 */
export function openActionModal(deps: SlackBotDeps, kind: ModalActionKind, actionId: string) {
  return async ({ ack, body, client }: ButtonArgs): Promise<void> => {
    await ack();
    const click = parseClick(deps, body, actionId);
    if (!click) return;
    const to = { userId: click.actor.userId, channel: click.channel };
    try {
      const view = await deps.bedRequests.view(click.workflowId);
      if (!view) return await replyPrivately(deps, client, to, REQUEST_NOT_FOUND_TEXT);
      const now = nowIso(deps);
      const probe = probeAction(kind, view, now);
      const refusal = probe
        ? precheck(deps, view, click.actor, probe, click.actionId)
        : { code: FailureCode.QuestionNotFound };
      if (refusal)
        return await refuse(deps, client, to, refusal, { workflowId: click.workflowId, action: kind });
      await client.views.open({
        trigger_id: click.triggerId,
        view: actionModal(
          kind,
          view,
          click.channel ? { channel: click.channel } : {},
          now,
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
