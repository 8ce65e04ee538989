import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ActionEnvelope } from '../../../domain/actions.js';
import { ENGINE_UNAVAILABLE_TEXT, REQUEST_NOT_FOUND_TEXT } from '../../shared/failure-text.js';
import { nowIso, refuse, replyPrivately, slackActor } from '../common.js';
import type { SlackBotDeps } from '../deps.js';
import { parseActionSubmission, type ModalActionKind } from '../forms/action-forms.js';
import { parseModalMetadata, viewSubmissionSchema } from '../payloads.js';

/**
 * The shared body of every action modal's submission: parse (errors inline, in the ack), ack,
 * then the desk (pre-check against the live request, signal). The envelope's action ID is the
 * modal's view ID, which Slack keeps across redeliveries, so a repeat is a no-op.
 */
export function submitActionModal(deps: SlackBotDeps, kind: ModalActionKind) {
  return async ({
    ack,
    body,
    client,
  }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const parsed = viewSubmissionSchema.safeParse(body);
    if (!parsed.success) {
      await ack();
      await deps.desk.refuseMalformed({
        action: kind,
        fields: [...new Set(parsed.error.issues.map((i) => i.path.join('.')))],
      });
      return;
    }
    const { user, view } = parsed.data;
    const actor = slackActor(user, deps);
    const meta = parseModalMetadata(view.private_metadata);
    const zone = deps.protocol.force.timeZone;
    const result = parseActionSubmission(kind, view.state.values, meta, zone, nowIso(deps));
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: result.errors });
      await deps.desk.refuseMalformed({
        actor,
        action: kind,
        workflowId: meta.workflowId,
        fields: Object.keys(result.errors),
      });
      return;
    }
    await ack();
    const to = { userId: user.id, channel: meta.channel };
    const workflowId = meta.workflowId;
    if (!workflowId) {
      await deps.desk.refuseMalformed({ actor, action: kind, fields: ['private_metadata'] });
      await replyPrivately(deps, client, to, REQUEST_NOT_FOUND_TEXT);
      return;
    }
    const envelope: ActionEnvelope = {
      actionId: `slack:view:${view.id}`,
      actor,
      action: result.value,
      ...(meta.channel ? { replyChannel: meta.channel } : {}),
    };
    const sent = await deps.desk.act(workflowId, envelope, { clickKey: envelope.actionId });
    if (sent.status === 'not_found') await replyPrivately(deps, client, to, REQUEST_NOT_FOUND_TEXT);
    else if (sent.status === 'refused') await refuse(deps, client, to, sent.refusal);
    else if (sent.status === 'unavailable') await replyPrivately(deps, client, to, ENGINE_UNAVAILABLE_TEXT);
  };
}
