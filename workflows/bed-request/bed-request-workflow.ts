import { condition, continueAsNew, log, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ActionEnvelope } from '../../domain/actions.js';
import type { BedRequestInput } from '../../domain/bed-request.js';
import { applyCourtDeadline } from '../../domain/request-rules.js';
import type { RequestView } from '../../domain/request-view.js';
import { nextDueAt, takeDue } from '../escalation/ladder.js';
import { DecisionClock, waitForTimerOr } from './clock.js';
import { audit } from './effects.js';
import { escalate } from './escalate.js';
import { courtWarningDueAt, sendCourtWarning } from './court.js';
import { countersignDueAt, repageInspectors } from './countersign.js';
import { handOver, handoverDueAt } from './handover.js';
import { endAssumed, heldEndMs, isHeld, reviewDueAt, sendReview } from './held.js';
import { actionSignal, stateQuery, type BedRequestWorkflowInput } from './messages.js';
import { openRequest } from './open.js';
import { recordOutcome } from './record.js';
import { handleAction } from './respond.js';
import { iso, ladderFacts, type RunState } from './run-state.js';
import type { ContinuedBedRequest } from './state.js';

export { STEP } from './run-state.js';

const DEFAULT_CONTINUE_AS_NEW_AT = 4000;
const SEEN_ACTION_IDS_KEPT = 500;

/** The request minus the child's identity and free text, for the input of a continued run. */
function redacted(request: BedRequestInput): BedRequestInput {
  const { seriousHarmJustification: _s, ...rest } = request;
  return { ...rest, child: {}, needsAndRisks: '' };
}

/**
 * One bed request for one child charged and refused bail (docs/architecture.md): open and route
 * (open.ts), then wait for an action (respond.ts) or the next ladder or court timer
 * (escalate.ts), and end on a transfer, a recorded stay (with its s.38(6) certificate), a cancel,
 * or the court sitting; then record the one outcome and alert the leads on a repeat detention
 * (record.ts).
 *
 * Decisions read the logical clock (clock.ts, docs/durability.md), never Date.now(). Changes must
 * keep replaying old histories (tests/histories): guard any new command sequence with
 * `patched('<change-id>')`.
 */
export async function bedRequestWorkflow(input: BedRequestWorkflowInput): Promise<RequestView> {
  const workflowId = workflowInfo().workflowId;
  let run: RunState | null = null;
  const pending: ActionEnvelope[] = [];
  const seen = new Set<string>(input.continued?.seenActionIds ?? []);
  const initialView = input.continued?.view ?? null;

  setHandler(stateQuery, () => run?.view ?? initialView);
  setHandler(actionSignal, (envelope: ActionEnvelope) => {
    const id = (envelope as Partial<ActionEnvelope> | null)?.actionId;
    if (typeof id !== 'string' || seen.has(id)) return; // a double click or a redelivery
    seen.add(id);
    pending.push(envelope);
  });

  const runs = input.continued?.runs ?? 0;
  const clock = new DecisionClock(
    input.continued?.clockFloorMs ?? input.continued?.lastChangeAtMs ?? Date.parse(input.requestedAt),
  );
  const r = await openRequest(workflowId, input, clock, (ready) => {
    run = ready;
  });

  const continueAt = input.continueAsNewAtHistoryLength ?? DEFAULT_CONTINUE_AS_NEW_AT;
  // Continue-as-new only when a timer woke us (or the server insists), not straight after an
  // action: people act in bursts, and a click landing while the run hands over is better avoided.
  let wokeByTimer = false;
  while (!r.view.outcome) {
    // Older histories replay on Date.now(); live runs decide by the logical clock (clock.ts).
    const logical = clock.enabled;
    const next = pending.shift();
    if (next) {
      wokeByTimer = false;
      if (logical) {
        // A page that fell due before the person acted is owed first, even when its timer's
        // wake-up reaches the workflow after the action does (a worker catching up after a crash).
        const stampedMs = next.sentAt === undefined ? Number.NaN : Date.parse(next.sentAt);
        if (!Number.isNaN(stampedMs)) {
          const owed = takeDue(ladderFacts(r), r.snapshot.ladder, r.ladder, stampedMs, r.snapshot.timeZone);
          if (owed.due.length > 0) {
            r.ladder = owed.progress;
            pending.unshift(next);
            await escalate(r, owed.due, clock.advanceTo(stampedMs));
            continue;
          }
          const review = reviewDueAt(r);
          if (review !== null && review <= stampedMs && stampedMs < heldEndMs(r)) {
            pending.unshift(next);
            await sendReview(r, clock.advanceTo(stampedMs));
            continue;
          }
          // So is the inspectors' re-page for a certificate still awaiting countersignature.
          const countersignOwed = countersignDueAt(r);
          if (countersignOwed !== null && countersignOwed <= stampedMs) {
            pending.unshift(next);
            await repageInspectors(r, clock.advanceTo(countersignOwed));
            continue;
          }
          // A shift change that fell due before the person acted happens first.
          const shift = handoverDueAt(r);
          if (shift !== null && shift <= stampedMs) {
            pending.unshift(next);
            await handOver(r, clock.advanceTo(shift));
            continue;
          }
        }
      }
      await handleAction(r, next, logical ? clock.actionTime(next.sentAt) : Date.now());
      continue;
    }
    const now = logical ? clock.latestMs : Date.now();
    const courtMs = Date.parse(r.view.nextCourtSitting);
    // Held after a stay (held.ts): the request ends when the child leaves the cells, or at the
    // court sitting plus the grace period with the leaving time assumed.
    const held = isHeld(r);
    const endMs = held ? heldEndMs(r) : courtMs;
    if (held && now >= endMs) {
      await endAssumed(r, now);
      break;
    }
    if (!held && now >= courtMs) {
      // PACE s.46: the child goes to the first sitting of the court; the request ends there.
      r.view = applyCourtDeadline(r.view, iso(now));
      log.info('Court sitting reached before any transfer');
      await audit(r, 'court_deadline', undefined, { nextCourtSitting: r.view.nextCourtSitting });
      break;
    }
    const due = takeDue(ladderFacts(r), r.snapshot.ladder, r.ladder, now, r.snapshot.timeZone);
    r.ladder = due.progress;
    if (due.due.length > 0) {
      await escalate(r, due.due, now);
      continue;
    }
    const review = held ? reviewDueAt(r) : null;
    if (review !== null && review <= now) {
      await sendReview(r, now);
      continue;
    }
    const shift = handoverDueAt(r);
    if (shift !== null && shift <= now) {
      await handOver(r, now);
      continue;
    }
    const warnAt = courtWarningDueAt(r);
    if (warnAt !== null && warnAt <= now) {
      await sendCourtWarning(r, now);
      continue;
    }
    // The certificate still awaits an inspector's countersignature (countersign.ts): page again.
    const countersignAt = countersignDueAt(r);
    if (countersignAt !== null && countersignAt <= now) {
      await repageInspectors(r, now);
      continue;
    }
    const info = workflowInfo();
    if (info.continueAsNewSuggested || (wokeByTimer && info.historyLength >= continueAt)) {
      const state: ContinuedBedRequest = {
        view: r.view,
        snapshot: r.snapshot,
        ladder: r.ladder,
        lastChangeAtMs: r.lastChangeAtMs,
        seenActionIds: [...seen].slice(-SEEN_ACTION_IDS_KEPT),
        eventSeq: r.eventSeq,
        noteSeq: r.noteSeq,
        pages: r.pages,
        runs: runs + 1,
        clockFloorMs: clock.latestMs,
        ...(r.handover !== undefined ? { handover: r.handover } : {}),
        ...(r.countersign !== undefined ? { countersign: r.countersign } : {}),
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
    const wakeAt = Math.min(
      nextDueAt(ladderFacts(r), r.snapshot.ladder, r.ladder) ?? endMs,
      review ?? endMs,
      shift ?? endMs,
      warnAt ?? endMs,
      countersignAt ?? endMs,
      endMs,
    );
    if (logical) {
      const { timerFired } = await waitForTimerOr(() => pending.length > 0, clock.timerMs(wakeAt));
      if (timerFired) clock.advanceTo(wakeAt);
      wokeByTimer = timerFired && pending.length === 0;
    } else {
      wokeByTimer = !(await condition(() => pending.length > 0, Math.max(1, wakeAt - now)));
    }
  }

  return recordOutcome(r);
}
