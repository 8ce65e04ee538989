import { ApplicationFailure } from '@temporalio/common';
import type {
  ChatPort,
  Destination,
  FindDeliveredOptions,
  MessageRef,
  OutboundMessage,
  SendOptions,
} from '../domain/chat-port.js';
import { FailureCode, type Refusal } from '../domain/failures.js';
import type { Platform } from '../domain/people.js';

/**
 * The ChatPort the worker injects: picks the Slack or Teams adapter by the destination's platform.
 * A platform with no credentials fails the delivery without retry and says so, rather than
 * retrying forever or dropping the message silently.
 */
export class ChatRouter implements ChatPort {
  constructor(private readonly adapters: Partial<Record<Platform, ChatPort>>) {}

  configured(): Platform[] {
    return (Object.keys(this.adapters) as Platform[]).filter((p) => this.adapters[p]);
  }

  private adapter(platform: Platform): ChatPort {
    const a = this.adapters[platform];
    if (!a) {
      throw ApplicationFailure.create({
        type: FailureCode.ChatRejected,
        message: `${platform === 'slack' ? 'Slack' : 'Microsoft Teams'} is not configured on this worker, so a ${platform} destination cannot be reached`,
        nonRetryable: true,
      });
    }
    return a;
  }

  async send(destination: Destination, message: OutboundMessage, options?: SendOptions): Promise<MessageRef> {
    return await this.adapter(destination.platform).send(destination, message, options);
  }

  async findDelivered(
    destination: Destination,
    deliveryId: string,
    options: FindDeliveredOptions,
  ): Promise<MessageRef | null> {
    const adapter = this.adapter(destination.platform);
    return adapter.findDelivered ? await adapter.findDelivered(destination, deliveryId, options) : null;
  }

  notifyPerson(
    person: { platform: Platform; userId: string; channel?: string },
    refusal: Refusal,
  ): Promise<void> {
    return this.adapter(person.platform).notifyPerson(person, refusal);
  }
}
