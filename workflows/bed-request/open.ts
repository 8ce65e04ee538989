import { ApplicationFailure, log, patched } from '@temporalio/workflow';
import { bedRequestInputSchema, type BedRequestInput } from '../../domain/bed-request.js';
import { FailureCode } from '../../domain/failures.js';
import { firstView } from '../../domain/opening.js';
import type { ProtocolSnapshot } from '../../domain/routing.js';
import type { OpenAndPostInput, RepeatAtStartResult } from '../../activities/index.js';
import { startLadder, totalFirings } from '../escalation/ladder.js';
import { openingRecords, records } from './activities.js';
import type { DecisionClock } from './clock.js';
import { audit, deliverAll, updateCards } from './effects.js';
import { sendCourtesyNotice } from './court.js';
import { handoversEnabled, planHandover } from './handover.js';
import { ladderFacts, STEP, type RunState } from './run-state.js';
import type { ContinuedBedRequest } from './state.js';

/** Patch ID: the repeat-child lookup as the request opens; older histories replay without it. */
export const REPEAT_AT_START_PATCH = 'repeat-child-at-start';

/**
 * Patch ID: the opening in one activity, which also posts the responder card; older histories
 * replay on the separate snapshot, registration and repeat lookup.
 */
export const ONE_ACTIVITY_OPEN_PATCH = 'open-in-one-activity';

/** What the store registers, from the validated request: the route is added from the snapshot. */
function registrationOf(
  workflowId: string,
  request: BedRequestInput,
  requestedAt: string,
): OpenAndPostInput['registration'] {
  return {
    workflowId,
    custodyRecordNumber: request.custodyRecordNumber,
    custodySuiteId: request.custodySuiteId,
    localAuthorityId: request.homeLocalAuthorityId,
    age: request.age,
    accommodation: request.accommodation,
    chargedAt: request.chargedAt,
    requestedAt,
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
    // Codes for aggregate figures only, never on a card (docs/demographics.md). An activity's
    // arguments are not compared on replay, so older histories replay unchanged.
    ...(request.ethnicity ? { ethnicity: request.ethnicity } : {}),
    ...(request.sex ? { sex: request.sex } : {}),
  };
}

/**
 * Open and route (docs/architecture.md): validate the request; then one activity takes the
 * protocol snapshot it keeps for life (the route: duty team or EDT), registers it in the records
 * store, looks the child up for a repeat and posts the responder card; then the other first
 * cards. A continued run picks up its state instead.
 */
export async function openRequest(
  workflowId: string,
  input: { request: BedRequestInput; requestedAt: string; continued?: ContinuedBedRequest | undefined },
  clock: DecisionClock,
  /** Called as soon as the request has its view, before the custody cards go out: queries see it. */
  onReady: (run: RunState) => void,
): Promise<RunState> {
  if (input.continued) {
    const { snapshot, ladder, lastChangeAtMs, eventSeq, noteSeq, pages, view, handover } = input.continued;
    const run: RunState = {
      workflowId,
      snapshot,
      view,
      ladder,
      lastChangeAtMs,
      eventSeq,
      noteSeq,
      pages,
      clock,
    };
    if (handover !== undefined) run.handover = handover;
    if (input.continued.countersign) run.countersign = input.continued.countersign;
    onReady(run);
    return run;
  }
  const parsed = bedRequestInputSchema.safeParse(input.request);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable('The bed request is not valid', FailureCode.InvalidInput, {
      fields: parsed.error.issues.map((i) => i.path.join('.')),
    });
  }
  const request = parsed.data;
  const registration = registrationOf(workflowId, request, input.requestedAt);
  let snapshot: ProtocolSnapshot;
  let caseRef: string;
  let repeat: RepeatAtStartResult | null;
  let firstCard: { responderPosted: string[]; retryAfterMs: number } | undefined;
  if (patched(ONE_ACTIVITY_OPEN_PATCH)) {
    // One activity to the responder card (docs/benchmarks.md, "One activity to the first card").
    const opened = await records.openAndPost({
      workflowId,
      request,
      requestedAt: input.requestedAt,
      registration,
      responderStep: STEP.responderCard,
    });
    ({ snapshot, caseRef, repeat } = opened);
    firstCard = { responderPosted: opened.posted, retryAfterMs: opened.retryAfterMs };
  } else {
    const opening = openingRecords();
    snapshot = await opening.snapshotProtocol({
      request: { custodySuiteId: request.custodySuiteId, homeLocalAuthorityId: request.homeLocalAuthorityId },
      requestedAt: input.requestedAt,
    });
    ({ caseRef } = await opening.registerRequest({
      ...registration,
      route: snapshot.routing.route,
      outOfArea: snapshot.routing.outOfArea,
    }));
    // A repeat child is seen at the start (docs/legal-rules.md, "Repeat detention"), by the one
    // same-child linker: the leads are alerted within a minute and the cards carry the count.
    repeat = patched(REPEAT_AT_START_PATCH)
      ? await opening.repeatAtStart({
          workflowId,
          chargedAt: request.chargedAt,
          repeatWindowMs: snapshot.repeatWindowMs,
        })
      : null;
  }
  const { view, startLevel } = firstView(request, {
    workflowId,
    caseRef,
    snapshot,
    requestedAt: input.requestedAt,
    earlier: repeat?.earlier ?? null,
  });
  const run: RunState = {
    workflowId,
    snapshot,
    view,
    ladder: { fired: {} },
    lastChangeAtMs: Date.parse(input.requestedAt),
    eventSeq: 0,
    noteSeq: 0,
    pages: [],
    clock,
  };
  run.ladder = startLadder(ladderFacts(run), snapshot.ladder, snapshot.timeZone);
  if (startLevel !== undefined) {
    // The steps below the starting level are skipped for a repeat child.
    const fired = { ...run.ladder.fired };
    for (const step of snapshot.ladder.steps)
      if (step.level < startLevel) fired[step.key] = totalFirings(step);
    run.ladder = { ...run.ladder, fired };
  }
  // The responder card is already out, so a click's pre-check query can come before this task
  // ends; Temporal answers a query only after the workflow task in flight, so it finds this view.
  onReady(run);
  log.info('Bed request opened', {
    caseRef,
    route: snapshot.routing.route,
    reason: snapshot.routing.reason,
    outOfArea: snapshot.routing.outOfArea,
  });
  await Promise.all([
    audit(run, 'requested', request.requestingOfficer, {
      route: snapshot.routing.route,
      routeReason: snapshot.routing.reason,
      ...(snapshot.routing.holiday ? { holiday: snapshot.routing.holiday } : {}),
      outOfArea: snapshot.routing.outOfArea,
      accommodation: request.accommodation,
      age: request.age,
      ...(repeat?.earlier ? { repeatEarlier: repeat.earlier.count } : {}),
    }),
    updateCards(run, false, firstCard),
    ...(repeat?.alert
      ? [
          deliverAll(run, STEP.repeatAtStart, snapshot.leads, { kind: 'repeat_alert', view: repeat.alert }),
          audit(run, 'repeat_alert_at_start', undefined, {
            earlier: repeat.alert.detentions.length,
            windowDays: repeat.alert.windowDays,
            ...(startLevel !== undefined ? { startLevel } : {}),
          }),
        ]
      : []),
  ]);
  // Out of area (court.ts): a courtesy notice to the authority the custody suite is in.
  await sendCourtesyNotice(run);
  // Shift changes (handover.ts): the next office-hours boundary, read through an activity.
  if (handoversEnabled()) await planHandover(run, input.requestedAt);
  return run;
}
