import { hasRole, isResponderFor } from '../../../domain/authorise.js';
import { FailureCode, type Refusal } from '../../../domain/failures.js';
import type { Actor } from '../../../domain/people.js';
import { ENGINE_UNAVAILABLE_TEXT, REQUEST_NOT_FOUND_TEXT } from '../../shared/failure-text.js';
import { detailsCard } from '../cards/request-card.js';
import { cardRefSchema } from '../cards/verbs.js';
import type { HandlerDeps } from '../deps.js';
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

/**
 * View details: the child's identity, in the clicker's own view of the card only, for a
 * responder of the request's local authority, or custody or admin (as on Slack). The access-log
 * row is written before the identity is read, so no viewing goes unrecorded. Anyone else gets a
 * refusal on the card, and the denial is logged.
 */
export async function viewDetails(
  deps: HandlerDeps,
  input: { actor: Actor; data: unknown },
): Promise<CardOutcome> {
  const ref = cardRefSchema.safeParse(input.data ?? {});
  if (!ref.success)
    return noticeOutcome('Nothing to show', { tone: 'attention', lines: [REQUEST_NOT_FOUND_TEXT] });
  const { workflowId } = ref.data;
  const left = budget(deps.invokeBudgetMs);
  const fetched = await withinBudget(() => deps.bedRequests.view(workflowId), left());
  if (!fetched.ok) {
    deps.log.error(
      { workflowId, err: errorCode(fetched.error), reason: fetched.reason },
      'view details: engine',
    );
    return noticeOutcome('Nothing to show', { tone: 'attention', lines: [ENGINE_UNAVAILABLE_TEXT] });
  }
  const view = fetched.value;
  if (!view) return noticeOutcome('Nothing to show', { tone: 'attention', lines: [REQUEST_NOT_FOUND_TEXT] });
  const grants = grantsOf(deps, input.actor);
  const allowed =
    isResponderFor(grants, view.localAuthorityId) || hasRole(grants, 'custody') || hasRole(grants, 'admin');
  if (!allowed) {
    const refusal: Refusal = hasRole(grants, 'responder')
      ? {
          code: FailureCode.NotResponderForAuthority,
          params: { action: 'view_details', localAuthority: view.localAuthorityName },
        }
      : { code: FailureCode.RoleNotPermitted, params: { roles: 'responder, custody, admin' } };
    deps.log.warn({ workflowId, userId: input.actor.userId, code: refusal.code }, 'view details refused');
    return refusalOutcome(deps, view, 'responder', refusal);
  }
  const at = nowIso(deps);
  const read = await withinBudget(async () => {
    await deps.store.logAccess({ workflowId, actor: input.actor, at, purpose: 'view_details' });
    const [identity, details] = await Promise.all([
      deps.store.getIdentity(workflowId),
      deps.store.getCaseDetails ? deps.store.getCaseDetails(workflowId) : Promise.resolve(null),
    ]);
    return { identity, details };
  }, left());
  if (!read.ok) {
    deps.log.error({ workflowId, err: errorCode(read.error), reason: read.reason }, 'view details: store');
    return noticeOutcome('Nothing to show', {
      tone: 'attention',
      lines: ['The records store did not answer, so the details cannot be shown now. Try again in a minute.'],
    });
  }
  deps.log.info({ workflowId, userId: input.actor.userId }, 'identity viewed');
  return {
    card: detailsCard(view, read.value.identity, at, deps.zone, read.value.details),
    // The identity is for the clicker's eyes only: never posted where others can see it.
    shared: null,
    words:
      'Your Teams client is too old to show the child’s details privately. Update Teams, or open the ' +
      'request in Teams on the web, and press View details again.',
    accepted: false,
  };
}
