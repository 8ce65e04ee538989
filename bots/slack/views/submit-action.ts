import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ActionEnvelope } from '../../../domain/actions.js';
import { ENGINE_UNAVAILABLE_TEXT, REQUEST_NOT_FOUND_TEXT } from '../../shared/failure-text.js';
import { errorCode, precheck, refuse, replyPrivately, slackActor } from '../common.js';
import type { SlackBotDeps } from '../deps.js';
import { parseActionSubmission, type ModalActionKind } from '../forms/action-forms.js';
import { parseModalMetadata, viewSubmissionSchema } from '../payloads.js';

/**
 * The shared body of every action modal's submission: parse (errors inline, in the ack), ack,
 * then the role × state pre-check against the live request, then the signal. The envelope's
 * action ID is the modal's view ID, which Slack keeps across redeliveries, so a repeat is a no-op
 * in the workflow.
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
      deps.log.warn({ kind, issues: parsed.error.issues.length }, 'malformed modal submission');
      return;
    }
    const { user, view } = parsed.data;
    const meta = parseModalMetadata(view.private_metadata);
    const zone = deps.protocol.force.timeZone;
    const result = parseActionSubmission(kind, view.state.values, meta, zone);
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: result.errors });
      return;
    }
    await ack();
    const actor = slackActor(user, deps);
    const to = { userId: user.id, channel: meta.channel };
    const workflowId = meta.workflowId;
    if (!workflowId) {
      await replyPrivately(deps, client, to, REQUEST_NOT_FOUND_TEXT);
      return;
    }
    const envelope: ActionEnvelope = {
      actionId: `slack:view:${view.id}`,
      actor,
      action: result.value,
      ...(meta.channel ? { replyChannel: meta.channel } : {}),
    };
    try {
      const current = await deps.bedRequests.view(workflowId);
      if (!current) {
        await replyPrivately(deps, client, to, REQUEST_NOT_FOUND_TEXT);
        return;
      }
      const refusal = precheck(deps, current, actor, envelope.action, envelope.actionId);
      if (refusal) {
        await refuse(deps, client, to, refusal, { workflowId, action: kind });
        return;
      }
      await deps.bedRequests.act(workflowId, envelope);
      deps.log.info({ workflowId, action: kind, userId: user.id }, 'action sent');
    } catch (error) {
      deps.log.error({ err: errorCode(error), workflowId, action: kind }, 'could not send an action');
      await replyPrivately(deps, client, to, ENGINE_UNAVAILABLE_TEXT);
    }
  };
}
