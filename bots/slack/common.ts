import type { AllMiddlewareArgs } from '@slack/bolt';
import type { Refusal } from '../../domain/failures.js';
import type { Actor } from '../../domain/people.js';
import { describeRefusal } from '../shared/failure-text.js';
import { privateNote } from './blocks/messages.js';
import type { SlackBotDeps } from './deps.js';

export type SlackClient = AllMiddlewareArgs['client'];

export function slackActor(
  user: {
    id: string;
    name?: string | undefined;
    username?: string | undefined;
  },
  deps?: Pick<SlackBotDeps, 'userGroups'>,
): Actor {
  const displayName = user.name ?? user.username;
  // Group membership travels with the actor, so the workflow's own role check sees it too.
  const groups = deps?.userGroups?.groupsOf(user.id) ?? [];
  return {
    platform: 'slack',
    userId: user.id,
    ...(displayName ? { displayName } : {}),
    ...(groups.length ? { groups } : {}),
  };
}

export function nowIso(deps: SlackBotDeps): string {
  return deps.desk.nowIso();
}

/**
 * A private reply: an ephemeral message in the channel where the person acted, or a DM when there
 * is no channel or the ephemeral cannot be posted there. Failures are logged, never thrown: a
 * reply that cannot be delivered must not turn into a crash of the listener.
 */
export async function replyPrivately(
  deps: SlackBotDeps,
  client: SlackClient,
  to: { userId: string; channel?: string | undefined },
  text: string,
): Promise<void> {
  const note = privateNote(text);
  if (to.channel) {
    try {
      await client.chat.postEphemeral({
        channel: to.channel,
        user: to.userId,
        text: note.text,
        blocks: note.blocks,
      });
      return;
    } catch (error) {
      deps.log.debug({ err: errorCode(error) }, 'ephemeral reply failed; sending a DM');
    }
  }
  try {
    const dm = await client.conversations.open({ users: to.userId });
    const channel = dm.channel?.id;
    if (channel) await client.chat.postMessage({ channel, text: note.text, blocks: note.blocks });
  } catch (error) {
    deps.log.warn({ err: errorCode(error), userId: to.userId }, 'could not send a private reply');
  }
}

/** Tells the person why the desk refused (the desk has already audited it). */
export async function refuse(
  deps: SlackBotDeps,
  client: SlackClient,
  to: { userId: string; channel?: string | undefined },
  refusal: Refusal,
): Promise<void> {
  await replyPrivately(deps, client, to, describeRefusal(refusal));
}

export function errorCode(error: unknown): string {
  if (error && typeof error === 'object') {
    const data = (error as { data?: { error?: unknown } }).data;
    if (data && typeof data.error === 'string') return data.error;
    if ('code' in error && typeof error.code === 'string') return (error as { code: string }).code;
  }
  return error instanceof Error ? error.message : String(error);
}
