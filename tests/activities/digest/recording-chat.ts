import { ApplicationFailure } from '@temporalio/common';
import type { ChatPort, Destination, MessageRef, OutboundMessage } from '../../../domain/chat-port.js';
import { FailureCode } from '../../../domain/failures.js';
import type { Platform } from '../../../domain/people.js';

/** A ChatPort that records every send, and can be told to refuse one platform. */
export function recordingChat() {
  const sends: Array<{ destination: Destination; message: OutboundMessage }> = [];
  const failing = new Set<Platform>();
  const port: ChatPort = {
    send(destination, message) {
      if (failing.has(destination.platform)) {
        return Promise.reject(
          ApplicationFailure.create({
            type: FailureCode.ChatRejected,
            message: `${destination.platform} refused the message`,
            nonRetryable: true,
          }),
        );
      }
      sends.push({ destination, message });
      return Promise.resolve<MessageRef>({
        platform: destination.platform,
        conversationId: destination.address,
        messageId: `m${sends.length}`,
      });
    },
    notifyPerson: () => Promise.resolve(),
  };
  return { port, sends, failing };
}
