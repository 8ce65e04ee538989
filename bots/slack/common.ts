import type { AllMiddlewareArgs } from '@slack/bolt';
import type { RequestAction, RequestActionKind } from '../../domain/actions.js';
import { rolesFor } from '../../domain/authorise.js';
import type { Refusal } from '../../domain/failures.js';
import type { Actor, RoleGrant } from '../../domain/people.js';
import type { RequestView } from '../../domain/request-view.js';
import { checkAction } from '../../domain/request-rules.js';
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

export function grantsOf(deps: SlackBotDeps, actor: Actor): RoleGrant[] {
  return rolesFor(deps.protocol.people, actor);
}

export function nowIso(deps: SlackBotDeps): string {
  return deps.now().toISOString();
}

/**
 * A stand-in action of a kind, for the check made before a modal opens: it asks "may this person
 * take this kind of action on this request now?" with harmless field values. The real action is
 * checked again at submission, and the workflow checks it authoritatively.
 */
export function probeAction(kind: RequestActionKind, view: RequestView, now: string): RequestAction | null {
  switch (kind) {
    case 'acknowledge':
      return { kind };
    case 'offer_bed':
      return { kind, accommodation: 'non_secure', provider: 'probe', transport: 'other', notes: '' };
    case 'decline':
      return { kind, reason: 'no_non_secure_placement', notes: '' };
    case 'request_info':
      return { kind, question: 'probe question' };
    case 'answer_info': {
      const open = view.questions.find((q) => !q.answer);
      return open ? { kind, questionId: open.id, answer: 'probe' } : null;
    }
    case 'confirm_transfer':
      return { kind, leftCustodyAt: now };
    case 'record_stay':
      return { kind, reason: 'impracticable_other', explanation: 'probe explanation' };
    case 'cancel':
      return { kind, reason: 'bailed', notes: '' };
  }
}

/** The same role × state check the workflow runs, for an instant private refusal. */
export function precheck(
  deps: SlackBotDeps,
  view: RequestView,
  actor: Actor,
  action: RequestAction,
  actionId: string,
): Refusal | null {
  return checkAction(view, grantsOf(deps, actor), { actionId, actor, action }, nowIso(deps));
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

/** Logs a refused action (no personal data: user ID, workflow ID, action and code) and tells the person. */
export async function refuse(
  deps: SlackBotDeps,
  client: SlackClient,
  to: { userId: string; channel?: string | undefined },
  refusal: Refusal,
  context: { workflowId?: string; action: string },
): Promise<void> {
  deps.log.warn(
    {
      event: 'action_refused',
      userId: to.userId,
      workflowId: context.workflowId,
      action: context.action,
      code: refusal.code,
    },
    'refused a Slack action',
  );
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
