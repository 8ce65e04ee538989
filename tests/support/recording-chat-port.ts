// A ChatPort for tests: records every post, update and private notification, with the Temporal
// (possibly skipped) time it happened, and can be told to fail the next N sends.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type {
  ChatPort,
  Destination,
  MessageRef,
  OutboundMessage,
  SendOptions,
} from '../../domain/chat-port.js';
import { FailureCode, type Refusal } from '../../domain/failures.js';
import type { Platform } from '../../domain/people.js';

export interface RecordedSend {
  op: 'post' | 'update';
  destination: Destination;
  message: OutboundMessage;
  options: SendOptions;
  ref: MessageRef;
  /** Server time of the activity attempt (skipped time under the test server), else wall clock. */
  atMs: number;
}

export interface RecordedNotification {
  person: { platform: Platform; userId: string; channel?: string };
  refusal: Refusal;
  atMs: number;
}

function serverNowMs(): number {
  try {
    const info = Context.current().info;
    return info.currentAttemptScheduledTimestampMs;
  } catch {
    return Date.now();
  }
}

export class RecordingChatPort implements ChatPort {
  readonly sends: RecordedSend[] = [];
  readonly notifications: RecordedNotification[] = [];
  /** Every attempt, including failed ones. */
  attempts = 0;
  private failures: Array<{ code: FailureCode; nonRetryable: boolean; landed?: boolean }> = [];
  private seq = 0;

  /** The next `n` sends (posts or updates) throw, as an adapter would on a 5xx. */
  failNext(n: number, code: FailureCode = FailureCode.ChatUnavailable, nonRetryable = false): void {
    for (let i = 0; i < n; i++) this.failures.push({ code, nonRetryable });
  }

  /**
   * The next `n` posts land on the platform, and then the call fails anyway (a timeout after the
   * platform accepted): only `findDelivered` can tell a retry the message is there.
   */
  failAfterPosting(n: number, code: FailureCode = FailureCode.ChatUnavailable): void {
    for (let i = 0; i < n; i++) this.failures.push({ code, nonRetryable: false, landed: true });
  }

  /** Like Slack's: a message this bot posted, carrying the delivery's ID, at that destination. */
  findDelivered(destination: Destination, deliveryId: string): Promise<MessageRef | null> {
    const found = this.sends.find(
      (s) =>
        s.op === 'post' &&
        s.options.deliveryId === deliveryId &&
        s.destination.platform === destination.platform &&
        s.destination.address === destination.address,
    );
    return Promise.resolve(found ? found.ref : null);
  }

  send(destination: Destination, message: OutboundMessage, options: SendOptions = {}): Promise<MessageRef> {
    this.attempts++;
    const failure = this.failures.shift();
    if (failure?.landed && !options.existing) {
      this.sends.push({
        op: 'post',
        destination,
        message: structuredClone(message),
        options,
        ref: {
          platform: destination.platform,
          conversationId: destination.address,
          messageId: `m${++this.seq}`,
        },
        atMs: serverNowMs(),
      });
    }
    if (failure) {
      const msg = `chat ${failure.code} (test)`;
      return Promise.reject(
        failure.nonRetryable
          ? ApplicationFailure.nonRetryable(msg, failure.code)
          : ApplicationFailure.retryable(msg, failure.code),
      );
    }
    const ref: MessageRef = options.existing ?? {
      platform: destination.platform,
      conversationId: destination.address,
      messageId: `m${++this.seq}`,
    };
    this.sends.push({
      op: options.existing ? 'update' : 'post',
      destination,
      message: structuredClone(message),
      options,
      ref,
      atMs: serverNowMs(),
    });
    return Promise.resolve(ref);
  }

  notifyPerson(
    person: { platform: Platform; userId: string; channel?: string },
    refusal: Refusal,
  ): Promise<void> {
    this.notifications.push({ person, refusal, atMs: serverNowMs() });
    return Promise.resolve();
  }

  posts(filter: (s: RecordedSend) => boolean = () => true): RecordedSend[] {
    return this.sends.filter((s) => s.op === 'post' && filter(s));
  }

  updates(filter: (s: RecordedSend) => boolean = () => true): RecordedSend[] {
    return this.sends.filter((s) => s.op === 'update' && filter(s));
  }

  /** Sends concerning one request (by workflow ID), or the leads' repeat alerts. */
  forRequest(workflowId: string): RecordedSend[] {
    return this.sends.filter((s) => {
      const m = s.message;
      switch (m.kind) {
        case 'request_card':
        case 'event_note':
          return m.view.workflowId === workflowId;
        case 'escalation_page':
          return m.view.request.workflowId === workflowId;
        case 'stuck_request':
          return m.view.workflowId === workflowId;
        case 'repeat_alert':
        case 'digest':
          return false;
      }
    });
  }

  ofKind<K extends OutboundMessage['kind']>(
    kind: K,
  ): Array<RecordedSend & { message: Extract<OutboundMessage, { kind: K }> }> {
    return this.sends.filter(
      (s): s is RecordedSend & { message: Extract<OutboundMessage, { kind: K }> } => s.message.kind === kind,
    );
  }

  clear(): void {
    this.sends.length = 0;
    this.notifications.length = 0;
    this.failures = [];
    this.attempts = 0;
  }
}
