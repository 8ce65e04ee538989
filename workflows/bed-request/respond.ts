import { log, patched } from '@temporalio/workflow';
import { actionEnvelopeSchema, type ActionEnvelope } from '../../domain/actions.js';
import { rolesFor } from '../../domain/authorise.js';
import type { RequestEvent } from '../../domain/chat-port.js';
import { certificateFingerprint } from '../../domain/countersignature.js';
import { FailureCode } from '../../domain/failures.js';
import { stayAuditFacts } from '../../domain/outcomes.js';
import { applyAction, checkAction, stayExplanationRefusal } from '../../domain/request-rules.js';
import { onStateChange } from '../escalation/ladder.js';
import { addInspectorPage, countersignRequired } from './countersign.js';
import { audit, note, refuse, updateCards } from './effects.js';
import { records } from './activities.js';
import { LIVE_ROSTER_PATCH } from './handover.js';
import { STAY_CONTINUES_PATCH, rescheduleReview, startReview } from './held.js';
import { iso, type RunState } from './run-state.js';

/** The Note 16D screen of a stay's explanation (domain/legal/note-16d-screen.ts). */
export const NOTE_16D_SCREEN_PATCH = 'note-16d-explanation-screen';

/**
 * Respond (docs/architecture.md, "From a click to an outcome row"): one action from chat,
 * checked by role and state with the same domain rules the desk uses, applied to the view, audited,
 * and shown on every card. A refused or malformed action is audited and told to its actor.
 */
export async function handleAction(run: RunState, raw: ActionEnvelope, nowMs: number): Promise<void> {
  const parsed = actionEnvelopeSchema.safeParse(raw);
  if (!parsed.success) {
    const actor = (raw as Partial<ActionEnvelope>).actor;
    const field = parsed.error.issues[0]?.path.join('.') ?? '';
    if (
      actor &&
      typeof actor.userId === 'string' &&
      (actor.platform === 'slack' || actor.platform === 'teams')
    ) {
      await refuse(run, { actor, actionId: String(raw.actionId) }, 'invalid', {
        code: FailureCode.InvalidInput,
        params: { field },
      });
    } else {
      log.warn('Malformed action ignored', { field });
    }
    return;
  }
  const envelope = parsed.data;
  const before = run.view;
  const at = iso(nowMs);
  // Rosters are live (docs/legal-rules.md, "Shift changes"): roles from the people list as it is
  // now, read through an activity; histories recorded before it replay on the start's snapshot.
  const people = patched(LIVE_ROSTER_PATCH) ? await records.currentPeople() : run.snapshot.people;
  const refusal = checkAction(before, rolesFor(people, envelope.actor), envelope, at, people);
  if (refusal) {
    await refuse(run, envelope, envelope.action.kind, refusal);
    return;
  }
  // Note 16D through a stay's words (docs/legal-rules.md): histories recorded before the screen
  // existed replay without it.
  const screened = stayExplanationRefusal(before, envelope.action);
  if (screened && patched(NOTE_16D_SCREEN_PATCH)) {
    await refuse(run, envelope, envelope.action.kind, screened);
    return;
  }
  const { action } = envelope;
  // A stay is not the end (held.ts): histories recorded before it replay with the stay ending them.
  const stayContinues = action.kind === 'record_stay' && patched(STAY_CONTINUES_PATCH);
  // An inspector countersigns the certificate where the protocol asks (countersign.ts).
  const countersign = stayContinues && countersignRequired(run);
  const view = applyAction(before, envelope, at, {
    timeZone: run.snapshot.timeZone,
    stayContinues,
    certificate: run.snapshot.certificate,
    countersignRequired: countersign,
  });
  run.view = view;
  run.lastChangeAtMs = Date.parse(at);
  run.ladder = onStateChange(run.snapshot.ladder, run.ladder);
  if (stayContinues) startReview(run, Date.parse(at));
  // The review ladder stops at the court sitting: it follows an amended sitting.
  if (action.kind === 'amend_court_sitting') rescheduleReview(run, Date.parse(at));
  log.info('Action accepted', { kind: action.kind, status: view.status });

  const data: Record<string, unknown> = { status: view.status };
  if (action.kind === 'offer_bed')
    Object.assign(data, { accommodation: action.accommodation, transport: action.transport });
  if (action.kind === 'decline') data.reason = action.reason;
  if (action.kind === 'answer_info') data.questionId = action.questionId;
  if (action.kind === 'request_info') data.questionId = view.questions[view.questions.length - 1]?.id;
  if (action.kind === 'record_stay')
    Object.assign(data, { reason: action.reason }, stayAuditFacts(action.reason));
  if (action.kind === 'record_stay' && stayContinues) data.held = true;
  if (action.kind === 'amend_court_sitting')
    Object.assign(data, {
      from: before.nextCourtSitting,
      to: action.nextCourtSitting,
      reason: action.reason,
    });
  if (action.kind === 'record_left_cells')
    Object.assign(data, { leftFor: action.leftFor, leftAt: action.leftAt });
  if (action.kind === 'confirm_transfer' && action.arrangedOutsideChat)
    Object.assign(data, {
      arrangedOutsideChat: true,
      accommodation: action.arrangedOutsideChat.accommodation,
    });
  if (action.kind === 'cancel') data.reason = action.reason;
  if (action.kind === 'record_stay' && countersign) data.countersignature = 'awaiting';
  // Which certificate was countersigned: who certified it, when, its reason and a fingerprint of
  // its text (the text itself is personal data and stays out of the audit log).
  if (action.kind === 'countersign' && before.stay)
    Object.assign(data, {
      certifiedBy: before.stay.by.userId,
      certifiedAt: before.stay.at,
      stayReason: before.stay.reason,
      fingerprint: certificateFingerprint(before.stay.certificate),
      countersignedAt: at,
      pages: before.stay.countersignature?.pagedAt.length ?? 0,
    });
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
              : action.kind === 'record_stay' && !view.outcome
                ? { type: 'stay_recorded' }
                : action.kind === 'amend_court_sitting'
                  ? { type: 'court_sitting_amended' }
                  : action.kind === 'countersign'
                    ? { type: 'certificate_countersigned' }
                    : null; // resolving actions get their note when the outcome is recorded

  // The first inspectors' page goes with the stay's cards (updateCards posts it).
  if (countersign) await addInspectorPage(run, Date.parse(at));

  await Promise.all([
    audit(run, action.kind, envelope.actor, data, `${run.workflowId}:action:${envelope.actionId}`),
    // An action that ended the request gets its cards when the outcome is recorded (record.ts).
    ...(view.outcome ? [] : [updateCards(run, true), ...(event ? [note(run, event)] : [])]),
  ]);
}
