import type { Actor } from '../../../domain/people.js';
import { ENGINE_UNAVAILABLE_TEXT, REQUEST_NOT_FOUND_TEXT } from '../../shared/failure-text.js';
import { detailsCard } from '../cards/request-card.js';
import { cardRefSchema } from '../cards/verbs.js';
import type { HandlerDeps } from '../deps.js';
import { noticeOutcome, nowIso, refusalOutcome, type CardOutcome } from './turn.js';

const STORE_DOWN =
  'The records store did not answer, so the details cannot be shown now. Try again in a minute.';

/**
 * View details: the desk decides who may see the identity and logs every view and denial; this
 * shows it in the clicker's own view of the card only.
 */
export async function viewDetails(
  deps: HandlerDeps,
  input: { actor: Actor; data: unknown; requestId: string },
): Promise<CardOutcome> {
  const ref = cardRefSchema.safeParse(input.data ?? {});
  if (!ref.success) {
    await deps.desk.refuseMalformed({
      actor: input.actor,
      action: 'view_details',
      requestId: input.requestId,
      fields: ['workflowId'],
    });
    return noticeOutcome('Nothing to show', { tone: 'attention', lines: [REQUEST_NOT_FOUND_TEXT] });
  }
  const result = await deps.desk.viewDetails(input.actor, ref.data.workflowId, {
    requestId: input.requestId,
    budgetMs: deps.invokeBudgetMs,
  });
  switch (result.status) {
    case 'not_found':
      return noticeOutcome('Nothing to show', { tone: 'attention', lines: [REQUEST_NOT_FOUND_TEXT] });
    case 'unavailable':
      return noticeOutcome('Nothing to show', {
        tone: 'attention',
        lines: [result.stage === 'store' ? STORE_DOWN : ENGINE_UNAVAILABLE_TEXT],
      });
    case 'refused':
      if (!result.view) {
        return noticeOutcome('Nothing to show', { tone: 'attention', lines: [REQUEST_NOT_FOUND_TEXT] });
      }
      return refusalOutcome(deps, result.view, 'responder', result.refusal);
    case 'shown':
      if (!result.view) {
        return noticeOutcome('Nothing to show', { tone: 'attention', lines: [ENGINE_UNAVAILABLE_TEXT] });
      }
      return {
        card: detailsCard(result.view, result.identity, nowIso(deps), deps.zone, result.details),
        // The identity is for the clicker's eyes only: never posted where others can see it.
        shared: null,
        words:
          'Your Teams client is too old to show the child’s details privately. Update Teams, or open the ' +
          'request in Teams on the web, and press View details again.',
        accepted: false,
      };
  }
}
