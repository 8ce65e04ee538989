import type { AckFn, RespondArguments } from '@slack/bolt';
import { digestUsage } from '../../../desk/digest-now.js';
import { esc } from '../blocks/kit.js';
import { replyPrivately, slackActor, type SlackClient } from '../common.js';
import type { SlackBotDeps } from '../deps.js';
import { COMMAND } from '../ids.js';
import type { SlashCommand } from '../payloads.js';

/** `/bedrequest digest …`: the sub-command word, and what follows it. */
export const DIGEST_SUBCOMMAND = /^\s*digest\b([\s\S]*)$/i;

export const DIGEST_USAGE_TEXT = digestUsage(`${COMMAND} digest`);

/**
 * `/bedrequest digest 2026-11-01 2026-11-27`: an admin asks for a leads digest now. The checks that
 * need no I/O (role, deployment, dates) are answered privately in the ack itself; otherwise ack
 * first, start the digest, and say what happened in an ephemeral message. The command's trigger_id
 * is the request ID, so a redelivered command starts nothing new.
 */
export async function digestCommand(
  deps: SlackBotDeps,
  command: SlashCommand,
  rest: string,
  ack: AckFn<string | RespondArguments>,
  client: SlackClient,
): Promise<void> {
  const actor = slackActor({ id: command.user_id, name: command.user_name }, deps);
  const check = await deps.desk.checkDigest({
    actor,
    rest,
    requestId: command.trigger_id,
    usage: DIGEST_USAGE_TEXT,
  });
  if ('reply' in check) {
    await ack({ response_type: 'ephemeral', text: esc(check.reply) });
    return;
  }
  await ack();
  const text = await deps.desk.requestDigest(check.args);
  await replyPrivately(deps, client, { userId: actor.userId, channel: command.channel_id }, text);
}
