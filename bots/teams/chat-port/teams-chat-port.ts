import { ApplicationFailure } from '@temporalio/common';
import { TurnContext, type ConversationReference } from 'botbuilder';
import type {
  ChatPort,
  Destination,
  MessageRef,
  OutboundMessage,
  SendOptions,
} from '../../../domain/chat-port.js';
import { FailureCode, type Refusal } from '../../../domain/failures.js';
import type { Platform } from '../../../domain/people.js';
import type { Person } from '../../../domain/protocol.js';
import type { Logger } from '../../../domain/logger.js';
import type { ConversationReferences } from '../../../domain/conversation-references.js';
import { describeRefusal } from '../../shared/failure-text.js';
import { DEFAULT_ZONE } from '../../shared/view-text.js';
import {
  conversationsOf,
  createTeamsAdapter,
  type AdapterOverrides,
  type ConcordatTeamsAdapter,
} from '../adapter.js';
import { loadTeamsConfig, type TeamsConfig } from '../env.js';
import { rateLimited, toDeliveryFailure } from './connector-failure.js';
import {
  baseConversationId,
  storedReferenceSchema,
  threadConversationId,
  type StoredReference,
} from './conversation-reference.js';
import { Pacer, type PacerOptions } from './pacer.js';
import { chartActivity, renderMessage, textActivity, type OutboundActivity } from './render-message.js';
import { MAX_INLINE_CHART_BASE64 } from '../cards/digest-card.js';

export type ReferenceStore = ConversationReferences;

export interface TeamsChatPortOptions {
  /** The bot's adapter (shared with createTeamsBot), or… */
  adapter?: ConcordatTeamsAdapter;
  /** …the Teams settings parsed at start-up (runtime/env.ts) to build one from, or… */
  config?: TeamsConfig;
  /** …a raw environment to parse them from (tests and tools). None of the three: emulator mode. */
  env?: Record<string, string | undefined>;
  adapterOverrides?: AdapterOverrides;
  store: ReferenceStore;
  log: Logger;
  /** The force's time zone for times on cards (protocol.force.timeZone). */
  zone?: string;
  clock?: () => Date;
  pacer?: Pacer | PacerOptions;
  /** The protocol's people: request cards name who may act on them (`refresh.userIds`). */
  people?: readonly Person[];
}

function noReference(log: Logger, key: string, what: string): ApplicationFailure {
  log.error(
    { destination: key, what, failure: FailureCode.NoConversationReference },
    'No Teams conversation reference for this destination: install the Concordat app in that team, channel or personal scope',
  );
  return ApplicationFailure.create({
    type: FailureCode.NoConversationReference,
    message: `No Teams conversation reference stored for "${key}"; the app must be installed there first`,
    nonRetryable: false,
    details: [{ destination: key }],
  });
}

/** The botbuilder reference for a stored one, aimed at `conversationId` (a channel, thread or chat). */
function toBotReference(reference: StoredReference, conversationId: string): Partial<ConversationReference> {
  const c = reference.conversation;
  return {
    serviceUrl: reference.serviceUrl,
    channelId: reference.channelId,
    conversation: {
      id: conversationId,
      name: '',
      isGroup: c.isGroup ?? c.conversationType !== 'personal',
      conversationType: c.conversationType ?? 'channel',
      ...(c.tenantId ? { tenantId: c.tenantId } : {}),
    },
    ...(reference.bot ? { bot: { id: reference.bot.id, name: reference.bot.name ?? 'Concordat' } } : {}),
    ...(reference.user ? { user: { id: reference.user.id, name: '' } } : {}),
    ...(reference.locale ? { locale: reference.locale } : {}),
  };
}

function describeWhat(message: OutboundMessage): string {
  switch (message.kind) {
    case 'request_card':
      return `${message.audience} card for ${message.view.workflowId}`;
    case 'event_note':
      return `${message.event.type} note for ${message.view.workflowId}`;
    case 'escalation_page':
      return `level ${message.view.level} page for ${message.view.request.workflowId}`;
    case 'repeat_alert':
      return 'repeat-detention alert';
    case 'digest':
      return 'digest';
    case 'stuck_request':
      return `watchdog page (${message.view.reason}) for ${message.view.workflowId}`;
  }
}

/**
 * The Teams implementation of the chat port. Every send is proactive: it loads the conversation
 * reference stored at install, paces itself under Teams' limits, and posts, replies in a
 * channel thread, or updates a card in place. It never retries: failures are thrown as coded
 * ApplicationFailures and the Temporal activity decides when to try again.
 */
export function createTeamsChatPort(options: TeamsChatPortOptions): ChatPort & { readonly pacer: Pacer } {
  const adapter =
    options.adapter ??
    createTeamsAdapter(
      options.config ?? loadTeamsConfig(options.env ?? {}),
      options.adapterOverrides,
      options.log,
    );
  const { store, log } = options;
  const zone = options.zone ?? DEFAULT_ZONE;
  const clock = options.clock ?? (() => new Date());
  const pacer = options.pacer instanceof Pacer ? options.pacer : new Pacer(options.pacer);

  async function loadReference(key: string): Promise<StoredReference | null> {
    const raw = await store.getConversationReference('teams', key);
    if (!raw) return null;
    const parsed = storedReferenceSchema.safeParse(raw);
    if (!parsed.success) {
      log.error(
        { destination: key },
        'Stored Teams conversation reference is malformed; reinstall the app there',
      );
      return null;
    }
    return parsed.data;
  }

  /** Sends or updates one activity in `conversationId`, paced, mapped to coded failures. */
  async function deliver(
    reference: StoredReference,
    conversationId: string,
    activity: OutboundActivity,
    what: string,
    existingId?: string,
  ): Promise<string> {
    const tenant = reference.conversation.tenantId ?? 'tenant';
    const paced = await pacer.take(conversationId, tenant);
    if (!paced.ok) {
      log.warn(
        { what, retryAfterMs: paced.retryAfterMs },
        'Teams send queue is long; deferring to the activity retry',
      );
      throw rateLimited(what, paced.retryAfterMs);
    }
    const target = toBotReference(reference, conversationId);
    let id: string | undefined = existingId;
    try {
      await adapter.proactive(target, async (context: TurnContext) => {
        const outgoing = TurnContext.applyConversationReference({ ...activity }, target);
        const conversations = conversationsOf(context);
        if (existingId) {
          await conversations.updateActivity(conversationId, existingId, { ...outgoing, id: existingId });
        } else {
          id = (await conversations.sendToConversation(conversationId, outgoing)).id;
        }
      });
    } catch (err) {
      const failure = toDeliveryFailure(err, what);
      const level = failure.type === FailureCode.ChatRejected ? 'error' : 'warn';
      log[level]({ what, failure: failure.type, conversationId }, 'Teams delivery failed');
      throw failure;
    }
    if (!id) {
      throw ApplicationFailure.create({
        type: FailureCode.ChatRejected,
        message: `Teams accepted ${what} but returned no message ID`,
        nonRetryable: true,
      });
    }
    return id;
  }

  return {
    pacer,

    async send(
      destination: Destination,
      message: OutboundMessage,
      sendOptions: SendOptions = {},
    ): Promise<MessageRef> {
      const what = describeWhat(message);
      if (destination.platform !== 'teams') {
        throw ApplicationFailure.create({
          type: FailureCode.ChatRejected,
          message: `The Teams adapter was given a ${destination.platform} destination`,
          nonRetryable: true,
        });
      }
      const reference = await loadReference(destination.address);
      if (!reference) throw noReference(log, destination.address, what);
      const activity = renderMessage(message, clock().toISOString(), zone, options.people);
      const { existing, threadOf } = sendOptions;
      if (existing) {
        await deliver(reference, existing.conversationId, activity, what, existing.messageId);
        return existing;
      }
      const isChannel = reference.conversation.conversationType === 'channel';
      const conversationId =
        threadOf && isChannel
          ? threadConversationId(threadOf.conversationId, threadOf.messageId)
          : reference.conversation.id;
      const messageId = await deliver(reference, conversationId, activity, what);
      log.info({ what, conversationId: baseConversationId(conversationId) }, 'Teams message sent');
      const chart = message.kind === 'digest' ? message.view.chart : undefined;
      if (chart && chart.pngBase64.length > MAX_INLINE_CHART_BASE64) {
        // Best effort and once, as on Slack: the digest text is already there, and failing the
        // activity now would make its retry post the text a second time.
        await deliver(reference, conversationId, chartActivity(chart), 'digest chart').catch((err: unknown) =>
          log.warn(
            { what: 'digest chart', err: (err as Error).message },
            'Teams chart not sent; the digest text was',
          ),
        );
      }
      return { platform: 'teams', conversationId, messageId };
    },

    async notifyPerson(
      person: { platform: Platform; userId: string; channel?: string },
      refusal: Refusal,
    ): Promise<void> {
      const what = `private note (${refusal.code})`;
      const activity = textActivity(describeRefusal(refusal));
      const personal = await loadReference(person.userId);
      if (personal) {
        await deliver(personal, personal.conversation.id, activity, what);
        return;
      }
      // No personal install recorded: open a 1:1 chat from the conversation the person acted in.
      const via = person.channel ? await loadReference(baseConversationId(person.channel)) : null;
      if (!via) throw noReference(log, person.userId, what);
      if (via.conversation.conversationType === 'personal') {
        await deliver(via, via.conversation.id, activity, what);
        return;
      }
      const tenantId = via.conversation.tenantId;
      const paced = await pacer.take(`1:1:${person.userId}`, tenantId ?? 'tenant');
      if (!paced.ok) throw rateLimited(what, paced.retryAfterMs);
      try {
        await adapter.openConversation(
          via.serviceUrl,
          {
            isGroup: false,
            bot: { id: via.bot?.id ?? '', name: via.bot?.name ?? 'Concordat' },
            members: [{ id: person.userId, name: '' }],
            ...(tenantId ? { tenantId, channelData: { tenant: { id: tenantId } } } : {}),
          } as Parameters<ConcordatTeamsAdapter['openConversation']>[1],
          async (context) => {
            const ref = context.activity;
            await store.saveConversationReference('teams', person.userId, {
              serviceUrl: via.serviceUrl,
              channelId: via.channelId,
              conversation: {
                id: ref.conversation.id,
                conversationType: 'personal',
                ...(tenantId ? { tenantId } : {}),
              },
              ...(via.bot ? { bot: via.bot } : {}),
              user: { id: person.userId, aadObjectId: person.userId },
            });
            const outgoing = TurnContext.applyConversationReference(
              { ...activity },
              TurnContext.getConversationReference(context.activity),
            );
            delete outgoing.replyToId;
            await conversationsOf(context).sendToConversation(context.activity.conversation.id, outgoing);
          },
        );
      } catch (err) {
        const failure = toDeliveryFailure(err, what);
        log.warn({ what, failure: failure.type }, 'Teams private note failed');
        throw failure;
      }
    },
  };
}
