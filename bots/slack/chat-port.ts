import { webApi } from '@slack/bolt';
import type {
  ChatPort,
  Destination,
  FindDeliveredOptions,
  MessageRef,
  OutboundMessage,
  SendOptions,
} from '../../domain/chat-port.js';
import type { Refusal } from '../../domain/failures.js';
import type { Platform } from '../../domain/people.js';
import type { Logger } from '../../domain/logger.js';
import { describeRefusal } from '../shared/failure-text.js';
import { DEFAULT_ZONE } from '../shared/view-text.js';
import type { SlackMessage } from './blocks/kit.js';
import { privateNote, renderOutbound } from './blocks/messages.js';
import { platformErrorCode, toDeliveryFailure } from './delivery-errors.js';

/** Message metadata type on every delivery Concordat posts (read back by findDelivered). */
export const DELIVERY_EVENT_TYPE = 'concordat_delivery';

export interface SlackChatPortOptions {
  /** Bot token (xoxb-…). */
  token: string;
  /** Web API base URL; defaults to https://slack.com/api/. SLACK_API_URL in tests and sandboxes. */
  apiUrl?: string;
  log: Logger;
  /** Zone for the times printed on cards (the force's; default Europe/London). */
  timeZone?: string;
  /** Per-call timeout (ms); a timeout fails the activity attempt as CHAT_UNAVAILABLE. */
  timeoutMs?: number;
}

/** Builds the Web API client with Slack's own retries off, so Temporal's activity retry is the only layer. */
export function createWebClient(
  token: string,
  apiUrl: string | undefined,
  timeoutMs = 10_000,
): webApi.WebClient {
  return new webApi.WebClient(token, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
    logLevel: webApi.LogLevel.ERROR,
  });
}

const isUserId = (address: string) => /^[UW][A-Z0-9]+$/.test(address);

/**
 * The Slack implementation of the ChatPort. The workflow's activities call it; it renders each
 * message from the view model and posts, threads or updates in place. It never retries: every
 * failure becomes a coded ApplicationFailure (see delivery-errors.ts) for Temporal to retry.
 */
export function createSlackChatPort(options: SlackChatPortOptions): ChatPort & { client: webApi.WebClient } {
  const client = createWebClient(options.token, options.apiUrl, options.timeoutMs);
  const zone = options.timeZone ?? DEFAULT_ZONE;
  const log = options.log.child({ component: 'slack-chat-port' });
  const dmChannels = new Map<string, string>();

  async function call<T>(method: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const failure = toDeliveryFailure(error, method);
      log.warn({ method, type: failure.type, nonRetryable: failure.nonRetryable }, 'Slack call failed');
      throw failure;
    }
  }

  /** A user ID becomes the bot's DM channel with that user (cached per process). */
  async function channelFor(address: string): Promise<string> {
    if (!isUserId(address)) return address;
    const cached = dmChannels.get(address);
    if (cached) return cached;
    const res = await call('conversations.open', () => client.conversations.open({ users: address }));
    const id = res.channel?.id;
    if (!id)
      throw toDeliveryFailure(new Error('conversations.open returned no channel'), 'conversations.open');
    dmChannels.set(address, id);
    return id;
  }

  async function post(
    channel: string,
    body: SlackMessage,
    threadTs?: string,
    deliveryId?: string,
  ): Promise<MessageRef> {
    const res = await call('chat.postMessage', () =>
      client.chat.postMessage({
        channel,
        text: body.text,
        blocks: body.blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        // Lets a retry after a crash find this message (findDelivered) instead of posting twice.
        ...(deliveryId
          ? { metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { delivery: deliveryId } } }
          : {}),
      }),
    );
    if (!res.ts || !res.channel) {
      throw toDeliveryFailure(new Error('chat.postMessage returned no ts'), 'chat.postMessage');
    }
    return { platform: 'slack', conversationId: res.channel, messageId: res.ts };
  }

  /**
   * The digest's chart, uploaded after its text (files.uploadV2). Best effort: a failed upload is
   * logged, not thrown, because the text is already posted and a retried activity would post it
   * twice. Never re-uploaded on an in-place update.
   */
  async function uploadChart(
    ref: MessageRef,
    chart: { filename: string; pngBase64: string; altText: string },
  ) {
    try {
      await client.filesUploadV2({
        channel_id: ref.conversationId,
        file: Buffer.from(chart.pngBase64, 'base64'),
        filename: chart.filename,
        title: chart.altText,
        alt_text: chart.altText,
      });
    } catch (error) {
      log.warn({ err: toDeliveryFailure(error, 'files.uploadV2').message }, 'digest chart not uploaded');
    }
  }

  return {
    client,
    async send(
      destination: Destination,
      message: OutboundMessage,
      opts: SendOptions = {},
    ): Promise<MessageRef> {
      const body = renderOutbound(message, zone);
      if (opts.existing) {
        const { conversationId, messageId } = opts.existing;
        try {
          await client.chat.update({
            channel: conversationId,
            ts: messageId,
            text: body.text,
            blocks: body.blocks,
          });
        } catch (error) {
          // Someone deleted the card: post it again in the same conversation and return the new
          // reference (the delivery activity stores it), rather than losing the card for good.
          if (platformErrorCode(error) !== 'message_not_found') {
            const failure = toDeliveryFailure(error, 'chat.update');
            log.warn({ method: 'chat.update', type: failure.type }, 'Slack call failed');
            throw failure;
          }
          log.warn({ kind: message.kind, channel: conversationId }, 'card was deleted; posting it again');
          return await post(conversationId, body, opts.threadOf?.messageId, opts.deliveryId);
        }
        log.debug({ kind: message.kind, channel: conversationId }, 'updated Slack message');
        return opts.existing;
      }
      if (opts.threadOf) {
        return await post(opts.threadOf.conversationId, body, opts.threadOf.messageId, opts.deliveryId);
      }
      const ref = await post(await channelFor(destination.address), body, undefined, opts.deliveryId);
      log.debug({ kind: message.kind, channel: ref.conversationId }, 'posted Slack message');
      if (message.kind === 'digest' && message.view.chart) await uploadChart(ref, message.view.chart);
      return ref;
    },

    async findDelivered(
      destination: Destination,
      deliveryId: string,
      options: FindDeliveredOptions,
    ): Promise<MessageRef | null> {
      const oldest = (Math.max(0, options.sinceMs) / 1000).toFixed(6);
      const channel = options.threadOf?.conversationId ?? (await channelFor(destination.address));
      const res = options.threadOf
        ? await call('conversations.replies', () =>
            client.conversations.replies({
              channel,
              ts: options.threadOf?.messageId ?? '',
              oldest,
              include_all_metadata: true,
              limit: 200,
            }),
          )
        : await call('conversations.history', () =>
            client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 }),
          );
      const match = (res.messages ?? []).find(
        (m) =>
          m.metadata?.event_type === DELIVERY_EVENT_TYPE &&
          (m.metadata.event_payload as Record<string, unknown> | undefined)?.delivery === deliveryId,
      );
      return match?.ts ? { platform: 'slack', conversationId: channel, messageId: match.ts } : null;
    },

    async notifyPerson(
      person: { platform: Platform; userId: string; channel?: string },
      refusal: Refusal,
    ): Promise<void> {
      const note = privateNote(describeRefusal(refusal));
      if (person.channel) {
        try {
          await call('chat.postEphemeral', () =>
            client.chat.postEphemeral({
              channel: person.channel as string,
              user: person.userId,
              text: note.text,
              blocks: note.blocks,
            }),
          );
          return;
        } catch (error) {
          // Not in that channel any more (or it was a DM the bot cannot post ephemerals to): DM instead.
          if (!(error instanceof Error) || !('nonRetryable' in error) || !error.nonRetryable) throw error;
        }
      }
      const dm = await channelFor(person.userId);
      await post(dm, note);
    },
  };
}
