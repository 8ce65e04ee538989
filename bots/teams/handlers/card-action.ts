import type { Actor } from '../../../domain/people.js';
import { applyAction, checkAction } from '../../../domain/request-rules.js';
import { ENGINE_UNAVAILABLE_TEXT, REQUEST_NOT_FOUND_TEXT } from '../../shared/failure-text.js';
import { ACTION_LABELS } from '../../shared/view-text.js';
import { requestCard } from '../cards/request-card.js';
import type { HandlerDeps } from '../deps.js';
import { parseCardAction, type ActionVerb } from '../forms/card-action.js';
import {
  budget,
  errorCode,
  grantsOf,
  noticeOutcome,
  nowIso,
  refusalOutcome,
  withinBudget,
  type CardOutcome,
} from './turn.js';

export interface CardActionInput {
  verb: ActionVerb;
  actor: Actor;
  /** The Teams activity ID of the click: the action's idempotency key in the workflow. */
  actionId: string;
  replyChannel: string;
  data: unknown;
}

/**
 * A button on a request card (Acknowledge, Offer bed, Decline, Need info; Answer, Confirm
 * transfer, Child stays, Cancel). Within Teams' 5-second invoke budget it:
 *
 * 1. validates the inputs with the domain's action schema (errors name the field, nothing sent);
 * 2. reads the request's current view and pre-checks role × state with the same rules the
 *    workflow runs (a refusal is shown on the card at once, logged, and nothing is sent);
 * 3. signals the workflow, which checks again and updates every copy of the card;
 * 4. answers with the card as it will be once the workflow applies the action.
 */
export async function cardAction(deps: HandlerDeps, input: CardActionInput): Promise<CardOutcome> {
  const zone = deps.zone;
  const parsed = parseCardAction(input.verb, input.data, {
    actor: input.actor,
    actionId: input.actionId,
    replyChannel: input.replyChannel,
    zone,
  });
  if (!parsed.ok && !parsed.ref) {
    return noticeOutcome('Nothing was sent', { tone: 'attention', lines: parsed.problems });
  }
  const ref = parsed.ref;
  if (!ref) return noticeOutcome('Nothing was sent', { tone: 'attention', lines: [REQUEST_NOT_FOUND_TEXT] });
  const left = budget(deps.invokeBudgetMs);
  const fetched = await withinBudget(() => deps.bedRequests.view(ref.workflowId), left());
  if (!fetched.ok) {
    deps.log.error(
      { workflowId: ref.workflowId, verb: input.verb, reason: fetched.reason, err: errorCode(fetched.error) },
      'could not read request for card action',
    );
    return noticeOutcome('Nothing was sent', { tone: 'attention', lines: [ENGINE_UNAVAILABLE_TEXT] });
  }
  const view = fetched.value;
  if (!view) {
    return noticeOutcome('Nothing was sent', { tone: 'attention', lines: [REQUEST_NOT_FOUND_TEXT] });
  }
  const label = ACTION_LABELS[input.verb];
  if (!parsed.ok) {
    deps.log.info({ workflowId: view.workflowId, verb: input.verb }, 'card action has input errors');
    const lines = [`${label}: nothing was sent. Please correct:`, ...parsed.problems];
    const card = requestCard(view, {
      audience: ref.audience,
      nowIso: nowIso(deps),
      zone,
      notice: { tone: 'attention', lines },
    });
    return { card, shared: card, words: lines.join(' '), accepted: false };
  }
  const now = nowIso(deps);
  const clickKey = `${input.actor.userId}|${view.workflowId}|${JSON.stringify(parsed.envelope.action)}`;
  if (!deps.recentClicks.claim(clickKey)) {
    deps.log.info({ workflowId: view.workflowId, verb: input.verb }, 'repeated click ignored');
    const card = requestCard(view, {
      audience: ref.audience,
      nowIso: now,
      zone,
      notice: { tone: 'good', lines: [`${label}: already sent. Your first click went through.`] },
    });
    return { card, shared: card, words: `${label}: already sent.`, accepted: true };
  }
  const refusal = checkAction(view, grantsOf(deps, input.actor), parsed.envelope, now);
  if (refusal) {
    deps.log.warn(
      { workflowId: view.workflowId, verb: input.verb, userId: input.actor.userId, code: refusal.code },
      'card action refused',
    );
    deps.recentClicks.release(clickKey);
    return refusalOutcome(deps, view, ref.audience, refusal);
  }
  const signalled = await withinBudget(() => deps.bedRequests.act(view.workflowId, parsed.envelope), left());
  if (!signalled.ok) {
    if (signalled.reason === 'error') deps.recentClicks.release(clickKey);
    deps.log.error(
      {
        workflowId: view.workflowId,
        verb: input.verb,
        reason: signalled.reason,
        err: errorCode(signalled.error),
      },
      'could not signal card action',
    );
    const lines =
      signalled.reason === 'timeout'
        ? [
            'Concordat did not hear back from its workflow engine in time.',
            'Your action may still go through: the card will update if it does.',
          ]
        : [ENGINE_UNAVAILABLE_TEXT];
    const card = requestCard(view, {
      audience: ref.audience,
      nowIso: now,
      zone,
      notice: { tone: 'attention', lines },
    });
    return { card, shared: card, words: lines.join(' '), accepted: false };
  }
  deps.log.info({ workflowId: view.workflowId, verb: input.verb }, 'card action sent');
  const next = applyAction(view, parsed.envelope, now, { timeZone: zone });
  const card = requestCard(next, {
    audience: ref.audience,
    nowIso: now,
    zone,
    notice: { tone: 'good', lines: [`${label}: done.`] },
  });
  return { card, shared: card, words: `${label}: done.`, accepted: true };
}
