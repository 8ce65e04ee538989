import { ActivityFailure, log, sleep } from '@temporalio/workflow';
import type { ActionEnvelope } from '../../domain/actions.js';
import type { Destination, OutboundMessage, RequestEvent } from '../../domain/chat-port.js';
import type { Refusal } from '../../domain/failures.js';
import type { Actor } from '../../domain/people.js';
import { destinationKey } from '../../domain/routing.js';
import { chat, records } from './activities.js';
import { iso, STEP, type RunState } from './run-state.js';

/**
 * The request's side effects, as activities: the audit trail, cards posted and edited in place,
 * notes in the sergeant's thread, and a private word to a refused actor.
 */

/** The sergeant's direct-message destination, when they came from a chat platform. */
function officerDestination(officer: Actor): Destination | null {
  return officer.platform === 'system' ? null : { platform: officer.platform, address: officer.userId };
}

/** Appends one audit event; its time is the wall clock, never before the last time decided by. */
export async function audit(
  run: RunState,
  type: string,
  actor: Actor | undefined,
  data: Record<string, unknown>,
  eventId?: string,
): Promise<void> {
  run.eventSeq += 1;
  await records.appendEvent({
    eventId: eventId ?? `${run.workflowId}:${run.eventSeq}`,
    workflowId: run.workflowId,
    type,
    ...(actor ? { actor } : {}),
    at: iso(Math.max(Date.now(), run.clock.latestMs)),
    data,
  });
}

/** Delivers one message to several destinations; a delivery that still fails after its retries is logged. */
export async function deliverAll(
  run: RunState,
  step: string,
  destinations: Destination[],
  message: OutboundMessage,
  extra: { threadOfStep?: string; checkEarlier?: boolean } = {},
): Promise<void> {
  await Promise.all(
    destinations.map(async (destination) => {
      try {
        await chat.deliver({
          workflowId: run.workflowId,
          step,
          destination,
          message,
          ...(extra.threadOfStep ? { threadOfStep: extra.threadOfStep } : {}),
          ...(extra.checkEarlier ? { checkEarlier: true } : {}),
        });
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        log.warn('Chat delivery failed after retries', {
          step,
          platform: destination.platform,
          cause: err.cause?.message ?? err.message,
        });
      }
    }),
  );
}

/**
 * Posts (first time) or updates in place (every later time) every card of the request. At the
 * opening, `responderPosted` names the responder destinations whose card the opening activity
 * already posted from this same view: they are skipped, and the others (its chat call failed,
 * perhaps after the post landed) are delivered asking the platform for an earlier post first,
 * after `retryAfterMs` when the platform asked for a wait.
 */
export async function updateCards(
  run: RunState,
  includePages = false,
  opening?: { responderPosted: readonly string[]; retryAfterMs: number },
): Promise<void> {
  const v = run.view;
  const { snapshot } = run;
  const officer = officerDestination(v.requestingOfficer);
  const responders = opening
    ? snapshot.responderDestinations.filter((d) => !opening.responderPosted.includes(destinationKey(d)))
    : snapshot.responderDestinations;
  const deliverResponders = () =>
    deliverAll(
      run,
      STEP.responderCard,
      responders,
      { kind: 'request_card', audience: 'responder', view: v },
      opening ? { checkEarlier: true } : {},
    );
  const jobs = [
    // A platform that rate-limited the opening's post is not called again before its Retry-After.
    opening && opening.retryAfterMs > 0 && responders.length > 0
      ? sleep(opening.retryAfterMs).then(deliverResponders)
      : deliverResponders(),
    deliverAll(run, STEP.custodyCard, snapshot.custodyDestinations, {
      kind: 'request_card',
      audience: 'custody',
      view: v,
    }),
    ...(officer
      ? [deliverAll(run, STEP.officerCard, [officer], { kind: 'request_card', audience: 'custody', view: v })]
      : []),
  ];
  if (includePages) {
    for (const page of run.pages) {
      jobs.push(
        deliverAll(run, page.step, page.destinations, {
          kind: 'escalation_page',
          view: {
            request: v,
            level: page.level,
            stepName: page.stepName,
            reason: page.reason,
            minutesOpen: page.minutesOpen,
          },
        }),
      );
    }
    // The inspectors' cards for the certificate's countersignature (countersign.ts).
    for (const page of run.countersign?.pages ?? []) {
      jobs.push(
        deliverAll(run, page.step, page.destinations, {
          kind: 'request_card',
          audience: 'inspector',
          view: v,
        }),
      );
    }
  }
  await Promise.all(jobs);
}

/** A line in the sergeant's request thread (under the custody card). */
export async function note(run: RunState, event: RequestEvent): Promise<void> {
  run.noteSeq += 1;
  await deliverAll(
    run,
    STEP.note(run.noteSeq),
    run.snapshot.custodyDestinations,
    { kind: 'event_note', view: run.view, event },
    { threadOfStep: STEP.custodyCard },
  );
}

/** Audits a refused action and tells the actor privately why. */
export async function refuse(
  run: RunState,
  envelope: Pick<ActionEnvelope, 'actor' | 'actionId' | 'replyChannel'>,
  kind: string,
  refusal: Refusal,
): Promise<void> {
  log.warn('Action refused', { kind, code: refusal.code, platform: envelope.actor.platform });
  const { actor } = envelope;
  const jobs: Promise<unknown>[] = [
    audit(
      run,
      'action_refused',
      actor,
      { kind, code: refusal.code },
      `${run.workflowId}:refused:${envelope.actionId}`,
    ),
  ];
  if (actor.platform !== 'system') {
    jobs.push(
      chat
        .notifyPerson({
          person: {
            platform: actor.platform,
            userId: actor.userId,
            ...(envelope.replyChannel ? { channel: envelope.replyChannel } : {}),
          },
          refusal,
        })
        .catch((err: unknown) => {
          if (!(err instanceof ActivityFailure)) throw err;
          log.warn('Refusal could not be delivered', { code: refusal.code });
        }),
    );
  }
  await Promise.all(jobs);
}
