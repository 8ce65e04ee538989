import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Actor } from '../../../domain/people.js';
import { blockActionsSchema, workflowIdSchema } from '../payloads.js';
import { slackActor } from '../common.js';
import type { SlackBotDeps } from '../deps.js';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

export interface Click {
  actor: Actor;
  workflowId: string;
  triggerId: string;
  /** Where the card is: private replies go here. */
  channel: string | undefined;
  /** Stable per click and across Slack redeliveries of it. */
  actionId: string;
  /** The same person, button, request and message: a double-click (the desk's repeat guard). */
  clickKey: string;
}

/**
 * Parses a button click (after the ack). Null when the payload is malformed: the desk audits it
 * as a refusal (docs/architecture.md, "Refusals").
 */
export async function parseClick(
  deps: SlackBotDeps,
  body: unknown,
  actionIdPrefix: string,
): Promise<Click | null> {
  const parsed = blockActionsSchema.safeParse(body);
  if (!parsed.success) {
    const user = (body as { user?: { id?: unknown } } | null)?.user?.id;
    await deps.desk.refuseMalformed({
      ...(typeof user === 'string' && user ? { actor: slackActor({ id: user }, deps) } : {}),
      action: actionIdPrefix,
      fields: [...new Set(parsed.error.issues.map((i) => i.path.join('.')))],
    });
    return null;
  }
  const b = parsed.data;
  const action = b.actions.find((a) => a.action_id === actionIdPrefix) ?? b.actions[0];
  const workflowId = workflowIdSchema.safeParse(action?.value);
  if (!action || !workflowId.success) {
    await deps.desk.refuseMalformed({
      actor: slackActor(b.user, deps),
      action: action?.action_id ?? actionIdPrefix,
      requestId: action?.action_ts,
      fields: ['value'],
    });
    return null;
  }
  return {
    actor: slackActor(b.user, deps),
    workflowId: workflowId.data,
    triggerId: b.trigger_id,
    channel: b.container?.channel_id ?? b.channel?.id,
    actionId: `slack:${b.user.id}:${action.action_ts}`,
    clickKey: `slack:${b.user.id}:${action.action_id}:${workflowId.data}:${b.container?.message_ts ?? ''}`,
  };
}
