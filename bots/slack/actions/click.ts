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
}

/**
 * Parses a button click (after the ack). Null, with a log line, when the payload is malformed or
 * the same person clicked the same button on the same card a moment ago (a double-click).
 */
export function parseClick(deps: SlackBotDeps, body: unknown, actionIdPrefix: string): Click | null {
  const parsed = blockActionsSchema.safeParse(body);
  if (!parsed.success) {
    deps.log.warn({ issues: parsed.error.issues.length }, 'malformed button click');
    return null;
  }
  const b = parsed.data;
  const action = b.actions.find((a) => a.action_id === actionIdPrefix) ?? b.actions[0];
  const workflowId = workflowIdSchema.safeParse(action?.value);
  if (!action || !workflowId.success) {
    deps.log.warn({ actionId: action?.action_id }, 'button click without a request ID');
    return null;
  }
  const clickKey = `${b.user.id}:${action.action_id}:${workflowId.data}:${b.container?.message_ts ?? ''}`;
  if (!deps.recentClicks.add(clickKey)) {
    deps.log.info({ userId: b.user.id, action: action.action_id }, 'ignored a double-click');
    return null;
  }
  return {
    actor: slackActor(b.user, deps),
    workflowId: workflowId.data,
    triggerId: b.trigger_id,
    channel: b.container?.channel_id ?? b.channel?.id,
    actionId: `slack:${b.user.id}:${action.action_ts}`,
  };
}
