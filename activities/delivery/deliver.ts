import type { ChatPort, Destination, MessageRef, OutboundMessage } from '../../domain/chat-port.js';
import type { Refusal } from '../../domain/failures.js';
import type { Platform } from '../../domain/people.js';
import { destinationKey } from '../../domain/routing.js';
import type { Logger } from '../../runtime/logger.js';
import type { RecordsStore } from '../../store/records-store.js';

export interface DeliverInput {
  workflowId: string;
  /** The delivery's step key, e.g. `card:responder`, `note:3`, `esc:2:1`, `repeat-alert`. */
  step: string;
  destination: Destination;
  message: OutboundMessage;
  /** Post in the thread of this step's message at the same destination (if it was delivered). */
  threadOfStep?: string;
}

export interface NotifyPersonInput {
  person: { platform: Platform; userId: string; channel?: string };
  refusal: Refusal;
}

/**
 * Idempotent delivery per (workflow, step, destination). The first delivery posts and stores the
 * platform's message reference; every later one (a retry, or a state change re-rendering the card)
 * updates that message in place. The reference is saved straight after the post, so the only
 * window for a second copy is a crash between the platform's answer and that save.
 */
export function makeDeliver(deps: { chat: ChatPort; store: RecordsStore; log?: Logger }) {
  return async function deliver(input: DeliverInput): Promise<MessageRef> {
    const key = destinationKey(input.destination);
    const existing = await deps.store.getDelivery(input.workflowId, input.step, key);
    if (existing) {
      const ref = await deps.chat.send(input.destination, input.message, { existing });
      if (ref.messageId !== existing.messageId || ref.conversationId !== existing.conversationId) {
        await deps.store.saveDelivery(input.workflowId, input.step, key, ref);
      }
      return ref;
    }
    const threadOf = input.threadOfStep
      ? await deps.store.getDelivery(input.workflowId, input.threadOfStep, key)
      : null;
    const ref = await deps.chat.send(input.destination, input.message, threadOf ? { threadOf } : {});
    await deps.store.saveDelivery(input.workflowId, input.step, key, ref);
    deps.log?.debug({ workflowId: input.workflowId, step: input.step, destination: key }, 'delivered');
    return ref;
  };
}

/** A private reply to one person (a refused action). Never carries child personal data. */
export function makeNotifyPerson(deps: { chat: ChatPort; log?: Logger }) {
  return async function notifyPerson(input: NotifyPersonInput): Promise<void> {
    await deps.chat.notifyPerson(input.person, input.refusal);
    deps.log?.info({ code: input.refusal.code, platform: input.person.platform }, 'refusal sent');
  };
}
