import { log } from '@temporalio/workflow';
import { actionEnvelopeSchema, type ActionEnvelope } from '../../domain/actions.js';
import { rolesFor } from '../../domain/authorise.js';
import type { RequestEvent } from '../../domain/chat-port.js';
import { FailureCode } from '../../domain/failures.js';
import { applyAction, checkAction, isResolving } from '../../domain/request-rules.js';
import { onStateChange } from '../escalation/ladder.js';
import { audit, note, refuse, updateCards } from './effects.js';
import { iso, type RunState } from './run-state.js';

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
  const refusal = checkAction(before, rolesFor(run.snapshot.people, envelope.actor), envelope, at);
  if (refusal) {
    await refuse(run, envelope, envelope.action.kind, refusal);
    return;
  }
  const view = applyAction(before, envelope, at, { timeZone: run.snapshot.timeZone });
  run.view = view;
  run.lastChangeAtMs = Date.parse(at);
  run.ladder = onStateChange(run.snapshot.ladder, run.ladder);
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
    audit(run, action.kind, envelope.actor, data, `${run.workflowId}:action:${envelope.actionId}`),
    ...(isResolving(action) ? [] : [updateCards(run, true), ...(event ? [note(run, event)] : [])]),
  ]);
}
