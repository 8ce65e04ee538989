import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../../activities/index.js';
import { actionEnvelopeSchema, type ActionEnvelope } from '../../domain/actions.js';
import { rolesFor } from '../../domain/authorise.js';
import { bedRequestInputSchema, type BedRequestInput } from '../../domain/bed-request.js';
import type { Destination, OutboundMessage, RequestEvent } from '../../domain/chat-port.js';
import { FailureCode, type Refusal } from '../../domain/failures.js';
import type { Actor } from '../../domain/people.js';
import {
  applyAction,
  applyCourtDeadline,
  applyEscalation,
  checkAction,
  isResolving,
  openingView,
} from '../../domain/request-rules.js';
import type { RequestView } from '../../domain/request-view.js';
import type { ProtocolSnapshot } from '../../domain/routing.js';
import {
  nextDueAt,
  onStateChange,
  startLadder,
  takeDue,
  type DueEscalation,
  type LadderFacts,
  type LadderProgress,
} from '../escalation/ladder.js';
import { DecisionClock, waitForTimerOr } from './clock.js';
import { actionSignal, stateQuery, type BedRequestWorkflowInput } from './messages.js';
import { buildOutcomeRecord } from './outcome-record.js';
import type { ContinuedBedRequest, SentPage } from './state.js';

type Activities = ReturnType<typeof createActivities>;

/** Store writes must happen: retry until they do (a store outage pauses the request, not loses it). */
const records = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Chat deliveries retry for a few minutes (honouring Retry-After through `nextRetryDelay`), then
 * give up so that a chat outage never holds up the ladder's timers. A card that could not be
 * posted is posted by the next state change, because delivery is keyed per (workflow, step).
 */
const chat = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
    // A missing Teams conversation reference is retried (and logged each time): the app may be
    // installed in that channel minutes later. A rejected message never will succeed.
    nonRetryableErrorTypes: [FailureCode.ChatRejected],
  },
});

const DEFAULT_CONTINUE_AS_NEW_AT = 4000;
const SEEN_ACTION_IDS_KEPT = 500;

/** Card step keys: the same key on every update, so each card is edited in place. */
export const STEP = {
  responderCard: 'card:responder',
  custodyCard: 'card:custody',
  officerCard: 'card:officer',
  repeatAlert: 'repeat-alert',
  note: (n: number) => `note:${n}`,
  page: (key: string, occurrence: number) => `esc:${key}:${occurrence}`,
} as const;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The sergeant's direct-message destination, when they came from a chat platform. */
function officerDestination(officer: Actor): Destination | null {
  return officer.platform === 'system' ? null : { platform: officer.platform, address: officer.userId };
}

/** The request minus the child's identity and free text, for the input of a continued run. */
function redacted(request: BedRequestInput): BedRequestInput {
  const { seriousHarmJustification: _s, ...rest } = request;
  return { ...rest, child: {}, needsAndRisks: '' };
}

/**
 * One bed request for one child charged and refused bail (DESIGN.md §3): route, register, post
 * the cards, run the escalation ladder on durable timers, apply checked actions, and end on a
 * transfer, a recorded stay (with its s.38(6) certificate), a cancel, or the court sitting;
 * then record the one outcome and alert the leads on a repeat detention.
 *
 * Changes to this function must keep replaying old histories (tests/histories): guard any new
 * command sequence with `patched('<change-id>')`.
 */
export async function bedRequestWorkflow(input: BedRequestWorkflowInput): Promise<RequestView> {
  const info = workflowInfo();
  const workflowId = info.workflowId;
  let view: RequestView | null = input.continued?.view ?? null;
  const pending: ActionEnvelope[] = [];
  const seen = new Set<string>(input.continued?.seenActionIds ?? []);

  setHandler(stateQuery, () => view);
  setHandler(actionSignal, (envelope: ActionEnvelope) => {
    const id = (envelope as Partial<ActionEnvelope> | null)?.actionId;
    if (typeof id !== 'string' || seen.has(id)) return; // a double click or a redelivery
    seen.add(id);
    pending.push(envelope);
  });

  let snapshot: ProtocolSnapshot;
  let ladder: LadderProgress;
  let lastChangeAtMs: number;
  let eventSeq: number;
  let noteSeq: number;
  let pages: SentPage[];
  const runs = input.continued?.runs ?? 0;
  // Decisions read the time from here, never from Date.now() directly (docs/durability.md).
  const clock = new DecisionClock(
    input.continued?.clockFloorMs ?? input.continued?.lastChangeAtMs ?? Date.parse(input.requestedAt),
  );
  /** Audit timestamps: the wall clock, but never before the last time decided by. */
  const nowIso = () => iso(Math.max(Date.now(), clock.latestMs));

  // ---------------------------------------------------------------- 1-3: start, route, register, notify
  if (input.continued) {
    ({ snapshot, ladder, lastChangeAtMs, eventSeq, noteSeq, pages } = input.continued);
    view = input.continued.view;
  } else {
    const parsed = bedRequestInputSchema.safeParse(input.request);
    if (!parsed.success) {
      throw ApplicationFailure.nonRetryable('The bed request is not valid', FailureCode.InvalidInput, {
        fields: parsed.error.issues.map((i) => i.path.join('.')),
      });
    }
    const request = parsed.data;
    snapshot = await records.snapshotProtocol({
      request: { custodySuiteId: request.custodySuiteId, homeLocalAuthorityId: request.homeLocalAuthorityId },
      requestedAt: input.requestedAt,
    });
    const { caseRef } = await records.registerRequest({
      workflowId,
      custodyRecordNumber: request.custodyRecordNumber,
      custodySuiteId: request.custodySuiteId,
      localAuthorityId: request.homeLocalAuthorityId,
      route: snapshot.routing.route,
      outOfArea: snapshot.routing.outOfArea,
      age: request.age,
      accommodation: request.accommodation,
      chargedAt: request.chargedAt,
      requestedAt: input.requestedAt,
      nextCourtSitting: request.nextCourtSitting,
      requestingOfficer: request.requestingOfficer,
      identity: request.child,
      details: {
        bailRefusalGround: request.bailRefusalGround,
        needsAndRisks: request.needsAndRisks,
        ...(request.seriousHarmJustification
          ? { seriousHarmJustification: request.seriousHarmJustification }
          : {}),
      },
    });
    view = openingView(request, {
      workflowId,
      caseRef,
      custodySuiteName: snapshot.custodySuite.name,
      localAuthorityName: snapshot.localAuthority.name,
      route: snapshot.routing.route,
      outOfArea: snapshot.routing.outOfArea,
      requestedAt: input.requestedAt,
    });
    lastChangeAtMs = Date.parse(input.requestedAt);
    ladder = startLadder(facts(), snapshot.ladder, snapshot.timeZone);
    eventSeq = 0;
    noteSeq = 0;
    pages = [];
    log.info('Bed request opened', {
      caseRef,
      route: snapshot.routing.route,
      reason: snapshot.routing.reason,
      outOfArea: snapshot.routing.outOfArea,
    });
    await Promise.all([
      audit('requested', request.requestingOfficer, {
        route: snapshot.routing.route,
        routeReason: snapshot.routing.reason,
        ...(snapshot.routing.holiday ? { holiday: snapshot.routing.holiday } : {}),
        outOfArea: snapshot.routing.outOfArea,
        accommodation: request.accommodation,
        age: request.age,
      }),
      updateCards(),
    ]);
  }

  // ---------------------------------------------------------------- helpers over the state above
  function current(): RequestView {
    if (!view) throw new Error('unreachable: no view after registration');
    return view;
  }

  function facts(): LadderFacts {
    const v = current();
    return {
      requestedAtMs: Date.parse(v.requestedAt),
      lastChangeAtMs,
      acknowledged: v.acknowledged !== undefined,
      bedOffered: v.offer !== undefined,
      resolved: v.outcome !== undefined,
    };
  }

  async function audit(
    type: string,
    actor: Actor | undefined,
    data: Record<string, unknown>,
    eventId?: string,
  ) {
    eventSeq += 1;
    await records.appendEvent({
      eventId: eventId ?? `${workflowId}:${eventSeq}`,
      workflowId,
      type,
      ...(actor ? { actor } : {}),
      at: nowIso(),
      data,
    });
  }

  /** Delivers one message to several destinations; a delivery that still fails after its retries is logged. */
  async function deliverAll(
    step: string,
    destinations: Destination[],
    message: OutboundMessage,
    threadOfStep?: string,
  ): Promise<void> {
    await Promise.all(
      destinations.map(async (destination) => {
        try {
          await chat.deliver({
            workflowId,
            step,
            destination,
            message,
            ...(threadOfStep ? { threadOfStep } : {}),
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

  /** Posts (first time) or updates in place (every later time) every card of the request. */
  async function updateCards(includePages = false): Promise<void> {
    const v = current();
    const officer = officerDestination(v.requestingOfficer);
    const jobs = [
      deliverAll(STEP.responderCard, snapshot.responderDestinations, {
        kind: 'request_card',
        audience: 'responder',
        view: v,
      }),
      deliverAll(STEP.custodyCard, snapshot.custodyDestinations, {
        kind: 'request_card',
        audience: 'custody',
        view: v,
      }),
      ...(officer
        ? [deliverAll(STEP.officerCard, [officer], { kind: 'request_card', audience: 'custody', view: v })]
        : []),
    ];
    if (includePages) {
      for (const page of pages) {
        jobs.push(
          deliverAll(page.step, page.destinations, {
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
    }
    await Promise.all(jobs);
  }

  /** A line in the sergeant's request thread (under the custody card). */
  async function note(event: RequestEvent): Promise<void> {
    noteSeq += 1;
    await deliverAll(
      STEP.note(noteSeq),
      snapshot.custodyDestinations,
      { kind: 'event_note', view: current(), event },
      STEP.custodyCard,
    );
  }

  async function refuse(
    envelope: Pick<ActionEnvelope, 'actor' | 'actionId' | 'replyChannel'>,
    kind: string,
    refusal: Refusal,
  ) {
    log.warn('Action refused', { kind, code: refusal.code, platform: envelope.actor.platform });
    const { actor } = envelope;
    const jobs: Promise<unknown>[] = [
      audit(
        'action_refused',
        actor,
        { kind, code: refusal.code },
        `${workflowId}:refused:${envelope.actionId}`,
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

  // ---------------------------------------------------------------- 5: respond
  async function handle(raw: ActionEnvelope, nowMs: number): Promise<void> {
    const parsed = actionEnvelopeSchema.safeParse(raw);
    if (!parsed.success) {
      const actor = (raw as Partial<ActionEnvelope>).actor;
      const field = parsed.error.issues[0]?.path.join('.') ?? '';
      if (
        actor &&
        typeof actor.userId === 'string' &&
        (actor.platform === 'slack' || actor.platform === 'teams')
      ) {
        await refuse({ actor, actionId: String(raw.actionId) }, 'invalid', {
          code: FailureCode.InvalidInput,
          params: { field },
        });
      } else {
        log.warn('Malformed action ignored', { field });
      }
      return;
    }
    const envelope = parsed.data;
    const before = current();
    const at = iso(nowMs);
    const refusal = checkAction(before, rolesFor(snapshot.people, envelope.actor), envelope, at);
    if (refusal) {
      await refuse(envelope, envelope.action.kind, refusal);
      return;
    }
    view = applyAction(before, envelope, at, { timeZone: snapshot.timeZone });
    lastChangeAtMs = Date.parse(at);
    ladder = onStateChange(snapshot.ladder, ladder);
    const { action } = envelope;
    log.info('Action accepted', { kind: action.kind, status: view.status });

    const data: Record<string, unknown> = { status: view.status };
    if (action.kind === 'offer_bed')
      Object.assign(data, { accommodation: action.accommodation, transport: action.transport });
    if (action.kind === 'decline') data.reason = action.reason;
    if (action.kind === 'answer_info') data.questionId = action.questionId;
    if (action.kind === 'request_info') data.questionId = view.questions[view.questions.length - 1]?.id;
    if (action.kind === 'record_stay') data.reason = action.reason;
    if (action.kind === 'cancel') data.reason = action.reason;
    if (view.outcome) data.outcome = view.outcome.code;

    const event: RequestEvent | null =
      action.kind === 'acknowledge'
        ? { type: 'acknowledged' }
        : action.kind === 'offer_bed'
          ? { type: 'bed_offered' }
          : action.kind === 'decline'
            ? { type: 'declined' }
            : action.kind === 'request_info'
              ? { type: 'question_asked', questionId: String(data.questionId) }
              : action.kind === 'answer_info'
                ? { type: 'question_answered', questionId: action.questionId }
                : null; // resolving actions get their note when the outcome is recorded

    await Promise.all([
      audit(action.kind, envelope.actor, data, `${workflowId}:action:${envelope.actionId}`),
      ...(isResolving(action) ? [] : [updateCards(true), ...(event ? [note(event)] : [])]),
    ]);
  }

  // ---------------------------------------------------------------- 4: escalate
  async function escalate(due: DueEscalation[], at: number): Promise<void> {
    const levelBefore = current().escalationLevel;
    const jobs: Promise<void>[] = [];
    for (const d of due) {
      view = applyEscalation(current(), { level: d.level, name: d.name }, iso(at));
      const destinations = d.notify.flatMap((name) => snapshot.contacts[name] ?? []);
      const page: SentPage = {
        step: STEP.page(d.key, d.occurrence),
        destinations,
        level: d.level,
        stepName: d.name,
        reason: d.reason,
        minutesOpen: Math.floor((at - Date.parse(current().requestedAt)) / 60_000),
      };
      pages.push(page);
      log.info('Escalation', { level: d.level, step: d.key, occurrence: d.occurrence, reason: d.reason });
      jobs.push(
        audit('escalated', undefined, {
          level: d.level,
          name: d.name,
          step: d.key,
          occurrence: d.occurrence,
          reason: d.reason,
          dueAt: iso(d.dueAtMs),
        }),
        deliverAll(page.step, destinations, {
          kind: 'escalation_page',
          view: {
            request: current(),
            level: page.level,
            stepName: page.stepName,
            reason: page.reason,
            minutesOpen: page.minutesOpen,
          },
        }),
      );
    }
    // Cards and the sergeant's thread hear of a new level or of midnight; a repeat page at the same
    // level goes to its contacts only (keeping an all-night request's history small).
    const top = Math.max(...due.map((d) => d.level));
    if (top > levelBefore || due.some((d) => d.reason === 'overnight')) {
      jobs.push(note({ type: 'escalated', level: top }), updateCards());
    }
    await Promise.all(jobs);
  }

  // ---------------------------------------------------------------- the wait loop
  const continueAt = input.continueAsNewAtHistoryLength ?? DEFAULT_CONTINUE_AS_NEW_AT;
  // Continue-as-new only when a timer woke us (or the server insists), not straight after an
  // action: people act in bursts, and a click landing while the run hands over is better avoided.
  let wokeByTimer = false;
  while (!current().outcome) {
    // Older histories replay on Date.now(); live runs decide by the logical clock (clock.ts).
    const logical = clock.enabled;
    const next = pending.shift();
    if (next) {
      wokeByTimer = false;
      await handle(next, logical ? clock.actionTime(next.sentAt) : Date.now());
      continue;
    }
    const now = logical ? clock.latestMs : Date.now();
    const courtMs = Date.parse(current().nextCourtSitting);
    if (now >= courtMs) {
      // PACE s.46: the child goes to the first sitting of the court; the request ends there.
      view = applyCourtDeadline(current(), iso(now));
      log.info('Court sitting reached before any transfer');
      await audit('court_deadline', undefined, { nextCourtSitting: current().nextCourtSitting });
      break;
    }
    const due = takeDue(facts(), snapshot.ladder, ladder, now, snapshot.timeZone);
    ladder = due.progress;
    if (due.due.length > 0) {
      await escalate(due.due, now);
      continue;
    }
    const info = workflowInfo();
    if (info.continueAsNewSuggested || (wokeByTimer && info.historyLength >= continueAt)) {
      const state: ContinuedBedRequest = {
        view: current(),
        snapshot,
        ladder,
        lastChangeAtMs,
        seenActionIds: [...seen].slice(-SEEN_ACTION_IDS_KEPT),
        eventSeq,
        noteSeq,
        pages,
        runs: runs + 1,
        clockFloorMs: clock.latestMs,
      };
      log.info('Continuing as new', { historyLength: info.historyLength, runs: runs + 1 });
      await continueAsNew<typeof bedRequestWorkflow>({
        request: redacted(input.request),
        requestedAt: input.requestedAt,
        continued: state,
        ...(input.continueAsNewAtHistoryLength
          ? { continueAsNewAtHistoryLength: input.continueAsNewAtHistoryLength }
          : {}),
      });
    }
    const wakeAt = Math.min(nextDueAt(facts(), snapshot.ladder, ladder) ?? courtMs, courtMs);
    if (logical) {
      const { timerFired } = await waitForTimerOr(() => pending.length > 0, clock.timerMs(wakeAt));
      if (timerFired) clock.advanceTo(wakeAt);
      wokeByTimer = timerFired && pending.length === 0;
    } else {
      wokeByTimer = !(await condition(() => pending.length > 0, Math.max(1, wakeAt - now)));
    }
  }

  // ---------------------------------------------------------------- 7-8: record, repeat detention
  const final = current();
  const outcome = buildOutcomeRecord(final, snapshot.timeZone);
  const { repeatAlert } = await records.recordOutcome({ outcome, repeatWindowMs: snapshot.repeatWindowMs });
  log.info('Outcome recorded', {
    outcome: outcome.outcome,
    escalationLevel: outcome.escalationLevel,
    overnight: outcome.overnight,
    weekend: outcome.weekend,
  });
  await Promise.all([
    audit('resolved', final.outcome?.by, {
      outcome: outcome.outcome,
      escalationLevel: outcome.escalationLevel,
      overnight: outcome.overnight,
      weekend: outcome.weekend,
    }),
    updateCards(true),
    note({ type: 'resolved' }),
    ...(repeatAlert
      ? [
          deliverAll(STEP.repeatAlert, snapshot.leads, { kind: 'repeat_alert', view: repeatAlert }),
          audit('repeat_alert', undefined, {
            detentions: repeatAlert.detentions.length,
            windowDays: repeatAlert.windowDays,
          }),
        ]
      : []),
  ]);
  return final;
}
