import { z } from 'zod';

/**
 * Conversation references: what the bot must keep from an install to post into a channel or a
 * 1:1 chat later (service URL, conversation ID, tenant, the bot's own ID). They are stored in the
 * records store under keys the protocol file's Teams destinations name: a channel ID
 * (`19:…@thread.tacv2`), a team ID (the team's General channel ID), or a user's AAD object ID for
 * their personal chat with the bot.
 */

export const storedReferenceSchema = z
  .object({
    serviceUrl: z.string().url(),
    channelId: z.string().min(1).default('msteams'),
    conversation: z
      .object({
        id: z.string().min(1),
        tenantId: z.string().optional(),
        conversationType: z.string().optional(),
        isGroup: z.boolean().optional(),
      })
      .passthrough(),
    bot: z
      .object({ id: z.string().min(1), name: z.string().optional() })
      .passthrough()
      .optional(),
    user: z.object({ id: z.string(), aadObjectId: z.string().optional() }).passthrough().optional(),
    locale: z.string().optional(),
  })
  .passthrough();
export type StoredReference = z.infer<typeof storedReferenceSchema>;

/** The part of an inbound activity that install handling reads; zod-checked at the edge. */
export const installActivitySchema = z
  .object({
    type: z.string(),
    serviceUrl: z.string().url(),
    channelId: z.string().default('msteams'),
    action: z.string().optional(),
    from: z
      .object({ id: z.string(), aadObjectId: z.string().optional(), name: z.string().optional() })
      .passthrough(),
    recipient: z.object({ id: z.string(), name: z.string().optional() }).passthrough(),
    conversation: z
      .object({
        id: z.string().min(1),
        tenantId: z.string().optional(),
        conversationType: z.string().optional(),
        isGroup: z.boolean().optional(),
      })
      .passthrough(),
    membersAdded: z.array(z.object({ id: z.string() }).passthrough()).optional(),
    channelData: z
      .object({
        team: z.object({ id: z.string() }).passthrough().optional(),
        channel: z.object({ id: z.string() }).passthrough().optional(),
        tenant: z.object({ id: z.string() }).passthrough().optional(),
        eventType: z.string().optional(),
      })
      .passthrough()
      .optional(),
    locale: z.string().optional(),
  })
  .passthrough();
export type InstallActivity = z.infer<typeof installActivitySchema>;

/** A channel post's reply chain is addressed as `<channel>;messageid=<root>`; this strips it. */
export function baseConversationId(conversationId: string): string {
  const i = conversationId.indexOf(';messageid=');
  return i === -1 ? conversationId : conversationId.slice(0, i);
}

export function threadConversationId(conversationId: string, rootMessageId: string): string {
  return `${baseConversationId(conversationId)};messageid=${rootMessageId}`;
}

/**
 * The references to store for an install (or channel) event, each with the key it is stored
 * under. A team install stores the team (its General channel) and the channel named in the event;
 * a personal install stores the user's AAD object ID and the chat's ID; a group chat its ID.
 */
export function referencesToStore(
  activity: InstallActivity,
): Array<{ key: string; reference: StoredReference }> {
  const tenantId = activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
  const base = {
    serviceUrl: activity.serviceUrl,
    channelId: activity.channelId,
    bot: { id: activity.recipient.id, ...(activity.recipient.name ? { name: activity.recipient.name } : {}) },
    ...(activity.locale ? { locale: activity.locale } : {}),
  };
  const conversationFor = (id: string) => ({
    ...activity.conversation,
    id,
    ...(tenantId ? { tenantId } : {}),
  });
  const out = new Map<string, StoredReference>();
  const type =
    activity.conversation.conversationType ?? (activity.channelData?.team ? 'channel' : 'personal');
  if (type === 'channel') {
    const ids = [
      baseConversationId(activity.conversation.id),
      activity.channelData?.channel?.id,
      activity.channelData?.team?.id,
    ].filter((x): x is string => typeof x === 'string' && x.length > 0);
    for (const id of ids) {
      out.set(id, {
        ...base,
        conversation: { ...conversationFor(id), conversationType: 'channel', isGroup: true },
      });
    }
  } else if (type === 'personal') {
    const reference: StoredReference = {
      ...base,
      conversation: conversationFor(activity.conversation.id),
      user: {
        id: activity.from.id,
        ...(activity.from.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}),
      },
    };
    if (activity.from.aadObjectId) out.set(activity.from.aadObjectId, reference);
    out.set(activity.conversation.id, reference);
  } else {
    out.set(activity.conversation.id, { ...base, conversation: conversationFor(activity.conversation.id) });
  }
  return [...out].map(([key, reference]) => ({ key, reference }));
}
