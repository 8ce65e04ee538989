import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { ChatPort, Destination, MessageRef, OutboundMessage } from '../../domain/chat-port.js';
import type { Refusal } from '../../domain/failures.js';
import type { Platform } from '../../domain/people.js';
import { destinationKey } from '../../domain/routing.js';
import type { Logger } from '../../domain/logger.js';
import type { RecordsStore } from '../../store/records-store.js';
import { NO_METRICS, type MetricsSink } from '../../domain/metrics.js';
import { deliveryMetrics, failureCodeOf } from './delivery-metrics.js';

export interface DeliverInput {
  workflowId: string;
  /** The delivery's step key, e.g. `card:responder`, `note:3`, `esc:2:1`, `repeat-alert`. */
  step: string;
  destination: Destination;
  message: OutboundMessage;
  /** Post in the thread of this step's message at the same destination (if it was delivered). */
  threadOfStep?: string;
  /**
   * Ask the platform for an earlier post even on a first attempt: set when another activity (the
   * opening's) tried this delivery and its chat call failed, perhaps after the post landed.
   */
  checkEarlier?: boolean;
}

export interface NotifyPersonInput {
  person: { platform: Platform; userId: string; channel?: string };
  refusal: Refusal;
}

/**
 * The ID a delivery carries on the platform: a hash, because the workflow ID holds the custody
 * record number, which identifies the child inside police systems.
 */
export function deliveryIdOf(workflowId: string, step: string, destinationKey: string): string {
  return createHash('sha256').update(`${workflowId}\n${step}\n${destinationKey}`).digest('hex').slice(0, 32);
}

/** This attempt's number and when the activity was first scheduled, inside an activity. */
function attemptInfo(): { attempt: number; firstScheduledMs: number } | null {
  try {
    const { attempt, scheduledTimestampMs } = Context.current().info;
    return { attempt, firstScheduledMs: scheduledTimestampMs };
  } catch {
    return null;
  }
}

/** Errors that came from a chat-platform call (not the store): see {@link isChatCallFailure}. */
const chatFailures = new WeakSet<object>();

/**
 * Whether `deliver` failed in its call to the platform, not in the store. The opening activity
 * leaves such a card to the workflow's own delivery and its chat retries; a store failure it lets
 * through, so the whole opening is retried with the store's.
 */
export function isChatCallFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && chatFailures.has(error);
}

/** Slack's clock and ours may differ a little: look this far before the first attempt. */
const CLOCK_SLACK_MS = 60_000;

/** An escalation page's step key (workflows/bed-request/run-state.ts STEP.page). */
const isPageStep = (step: string) => step.startsWith('esc:');

/**
 * Idempotent delivery per (workflow, step, destination). The first delivery posts and stores the
 * platform's message reference; every later one (a retry, or a state change re-rendering the card)
 * updates that message in place. The reference is saved straight after the post. A retried
 * attempt that finds no reference first asks the platform whether an earlier attempt posted it
 * and was killed before the save (the message carries the delivery's ID), so a crash in that
 * window does not post a second copy (docs/durability.md, "Exactly one page"). Teams cannot
 * read back what the bot posted, so there that window remains.
 */
export function makeDeliver(deps: {
  chat: ChatPort;
  store: RecordsStore;
  log?: Logger;
  /** Where the counters go: the worker injects the process registry (served at /metrics). */
  metrics?: MetricsSink;
}) {
  const counters = deliveryMetrics(deps.metrics ?? NO_METRICS);
  return async function deliver(input: DeliverInput): Promise<MessageRef> {
    // Every platform call of this attempt: a failure is counted by platform and code, then
    // rethrown unchanged for Temporal's retry. Store failures are not chat failures: not counted.
    const platform = input.destination.platform;
    const viaChat = <T>(call: () => Promise<T>): Promise<T> =>
      call().catch((error: unknown) => {
        counters.failures.inc({ platform, code: failureCodeOf(error) });
        if (typeof error === 'object' && error !== null) chatFailures.add(error);
        throw error;
      });
    // Counted once the reference is saved, so a page is counted once however often it is retried.
    const pageSent = () => {
      if (isPageStep(input.step) && input.message.kind === 'escalation_page') {
        counters.pagesSent.inc({ platform, level: String(input.message.view.level) });
      }
    };
    const key = destinationKey(input.destination);
    const deliveryId = deliveryIdOf(input.workflowId, input.step, key);
    let existing = await deps.store.getDelivery(input.workflowId, input.step, key);
    const threadOf =
      !existing && input.threadOfStep
        ? await deps.store.getDelivery(input.workflowId, input.threadOfStep, key)
        : null;
    const attempt = attemptInfo();
    const retried = (attempt?.attempt ?? 1) > 1 || input.checkEarlier === true;
    if (!existing && retried && deps.chat.findDelivered) {
      const findDelivered = deps.chat.findDelivered.bind(deps.chat);
      // Outside an activity (tests), look back from now.
      const firstScheduledMs = attempt?.firstScheduledMs ?? Date.now();
      const found = await viaChat(() =>
        findDelivered(input.destination, deliveryId, {
          sinceMs: firstScheduledMs - CLOCK_SLACK_MS,
          ...(threadOf ? { threadOf } : {}),
        }),
      );
      if (found) {
        deps.log?.warn(
          { workflowId: input.workflowId, step: input.step, destination: key, attempt: attempt?.attempt },
          'an earlier attempt had posted this message: updating it instead of posting again',
        );
        await deps.store.saveDelivery(input.workflowId, input.step, key, found);
        // The attempt that posted it died before counting it.
        pageSent();
        existing = found;
      }
    }
    if (existing) {
      const ref = await viaChat(() =>
        deps.chat.send(input.destination, input.message, { existing, deliveryId }),
      );
      if (ref.messageId !== existing.messageId || ref.conversationId !== existing.conversationId) {
        await deps.store.saveDelivery(input.workflowId, input.step, key, ref);
      }
      return ref;
    }
    const ref = await viaChat(() =>
      deps.chat.send(input.destination, input.message, {
        ...(threadOf ? { threadOf } : {}),
        deliveryId,
      }),
    );
    await deps.store.saveDelivery(input.workflowId, input.step, key, ref);
    pageSent();
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
