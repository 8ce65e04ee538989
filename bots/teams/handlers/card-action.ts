import { FailureCode } from '../../../domain/failures.js';
import { intakeProblems } from '../../../domain/intake.js';
import type { Actor } from '../../../domain/people.js';
import { ENGINE_UNAVAILABLE_TEXT, REQUEST_NOT_FOUND_TEXT } from '../../shared/failure-text.js';
import { ACTION_LABELS } from '../../shared/view-text.js';
import { requestCard } from '../cards/request-card.js';
import type { HandlerDeps } from '../deps.js';
import { parseCardAction, type ActionVerb } from '../forms/card-action.js';
import { noticeOutcome, nowIso, refusalOutcome, type CardOutcome } from './turn.js';

export interface CardActionInput {
  verb: ActionVerb;
  actor: Actor;
  /** The Teams activity ID of the click: the action's idempotency key in the workflow. */
  actionId: string;
  replyChannel: string;
  data: unknown;
}

const NOT_IN_TIME = [
  'Concordat did not hear back from its workflow engine in time.',
  'Your action may still go through: the card will update if it does.',
];

/**
 * A button on a request card. Within Teams' 5-second invoke budget it validates the inputs with
 * the domain's action schema (errors name the field; the desk audits them), then hands the
 * action to the desk (pre-check, repeat guard, signal) and answers with the card as it will be.
 */
export async function cardAction(deps: HandlerDeps, input: CardActionInput): Promise<CardOutcome> {
  const zone = deps.zone;
  const parsed = parseCardAction(input.verb, input.data, {
    actor: input.actor,
    actionId: input.actionId,
    replyChannel: input.replyChannel,
    zone,
  });
  const label = ACTION_LABELS[input.verb];
  if (!parsed.ok) {
    await deps.desk.refuseMalformed({
      actor: input.actor,
      action: input.verb,
      workflowId: parsed.ref?.workflowId,
      requestId: input.actionId,
      fields: parsed.fields,
    });
    const ref = parsed.ref;
    if (!ref) return noticeOutcome('Nothing was sent', { tone: 'attention', lines: parsed.problems });
    const looked = await deps.desk.look(ref.workflowId, deps.invokeBudgetMs);
    const view = looked.ok ? looked.value : null;
    if (!view) {
      const lines = [looked.ok ? REQUEST_NOT_FOUND_TEXT : ENGINE_UNAVAILABLE_TEXT];
      return noticeOutcome('Nothing was sent', { tone: 'attention', lines });
    }
    const lines = [`${label}: nothing was sent. Please correct:`, ...parsed.problems];
    const card = requestCard(view, {
      people: deps.protocol.people,
      audience: ref.audience,
      nowIso: nowIso(deps),
      zone,
      notice: { tone: 'attention', lines },
    });
    return { card, shared: card, words: lines.join(' '), accepted: false };
  }
  const { ref, envelope } = parsed;
  const result = await deps.desk.act(ref.workflowId, envelope, { budgetMs: deps.invokeBudgetMs });
  const build = (view: Parameters<typeof requestCard>[0], tone: 'good' | 'attention', lines: string[]) => {
    const card = requestCard(view, {
      people: deps.protocol.people,
      audience: ref.audience,
      nowIso: nowIso(deps),
      zone,
      notice: { tone, lines },
    });
    return { card, shared: card, words: lines.join(' ') };
  };
  switch (result.status) {
    case 'not_found':
      return noticeOutcome('Nothing was sent', { tone: 'attention', lines: [REQUEST_NOT_FOUND_TEXT] });
    case 'refused': {
      // An amended sitting already passed or before the charge: the request form's own words
      // (domain/intake.ts), on the field, rather than a bare "not valid".
      const { action } = envelope;
      const problem =
        action.kind === 'amend_court_sitting' && result.refusal.code === FailureCode.InvalidInput
          ? intakeProblems(
              { chargedAt: result.view.chargedAt, nextCourtSitting: action.nextCourtSitting },
              nowIso(deps),
              zone,
            ).nextCourtSitting
          : undefined;
      if (problem) {
        const lines = [`${label}: nothing was sent. Please correct:`, `The new court sitting: ${problem}`];
        return { ...build(result.view, 'attention', lines), accepted: false };
      }
      return refusalOutcome(deps, result.view, ref.audience, result.refusal);
    }
    case 'duplicate':
      if (!result.view)
        return noticeOutcome(`${label}: already sent`, { tone: 'good', lines: [`${label}: already sent.`] });
      return {
        ...build(result.view, 'good', [`${label}: already sent. Your first click went through.`]),
        words: `${label}: already sent.`,
        accepted: true,
      };
    case 'unavailable': {
      if (!result.view) {
        return noticeOutcome('Nothing was sent', { tone: 'attention', lines: [ENGINE_UNAVAILABLE_TEXT] });
      }
      const lines = result.reason === 'timeout' ? NOT_IN_TIME : [ENGINE_UNAVAILABLE_TEXT];
      return { ...build(result.view, 'attention', lines), accepted: false };
    }
    case 'sent':
      return { ...build(result.next, 'good', [`${label}: done.`]), words: `${label}: done.`, accepted: true };
  }
}
