import type { HandlerDeps } from '../deps.js';
import { errorCode } from './turn.js';
import { installActivitySchema, referencesToStore } from '../chat-port/conversation-reference.js';

const CHANNEL_EVENTS = new Set([
  'channelCreated',
  'channelRenamed',
  'channelRestored',
  'teamRenamed',
  'teamRestored',
]);

/**
 * The bot was added to a team, a channel, a group chat or someone's personal scope (Teams sends
 * `installationUpdate`, and `conversationUpdate` with the bot among `membersAdded`), or a channel
 * appeared in a team it is in. Stores the conversation reference under each key a protocol file
 * may name, so responder cards, pages, alerts and digests can later be sent there proactively.
 * Returns the keys stored.
 */
export async function recordInstall(
  deps: HandlerDeps,
  raw: unknown,
  /** Lists the team's channels (so every channel, not only General, can be a destination). */
  listTeamChannels?: (teamId: string) => Promise<Array<{ id?: string }>>,
): Promise<string[]> {
  const parsed = installActivitySchema.safeParse(raw);
  if (!parsed.success) {
    deps.log.warn(
      { issues: parsed.error.issues.map((i) => i.path.join('.')) },
      'install event not understood',
    );
    return [];
  }
  const a = parsed.data;
  if (a.type === 'installationUpdate') {
    if (a.action && !a.action.startsWith('add')) {
      deps.log.info(
        { conversationType: a.conversation.conversationType, action: a.action },
        'Concordat was removed from a Teams conversation; sends there will be refused until it is added again',
      );
      return [];
    }
  } else {
    const botAdded = a.membersAdded?.some((m) => m.id === a.recipient.id) ?? false;
    const channelEvent = CHANNEL_EVENTS.has(a.channelData?.eventType ?? '');
    if (!botAdded && !channelEvent) return [];
  }
  const references = referencesToStore(a);
  const teamId = a.channelData?.team?.id;
  if (teamId && listTeamChannels) {
    try {
      const channels = await listTeamChannels(teamId);
      const known = new Set(references.map((r) => r.key));
      const template = references.find((r) => r.key === teamId) ?? references[0];
      for (const channel of channels) {
        if (!channel.id || known.has(channel.id) || !template) continue;
        known.add(channel.id);
        references.push({
          key: channel.id,
          reference: {
            ...template.reference,
            conversation: { ...template.reference.conversation, id: channel.id },
          },
        });
      }
    } catch (err) {
      deps.log.warn(
        { err: errorCode(err) },
        'could not list the team’s channels; only the channel of the install event is stored',
      );
    }
  }
  for (const { key, reference } of references) {
    await deps.conversations.saveConversationReference('teams', key, reference);
  }
  const keys = references.map((r) => r.key);
  deps.log.info(
    { keys, conversationType: a.conversation.conversationType ?? null },
    'stored Teams conversation references',
  );
  return keys;
}
