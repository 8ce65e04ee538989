import { hasRole } from '../domain/authorise.js';
import { mayTake } from '../domain/available-actions.js';
import type { ChildIdentity } from '../domain/bed-request.js';
import { FailureCode, type Refusal } from '../domain/failures.js';
import type { Actor } from '../domain/people.js';
import type { RequestView } from '../domain/request-view.js';
import { budget, errorCode, withinBudget } from './budget.js';
import type { DeskContext } from './desk-context.js';
import type { CaseDetails } from './desk-ports.js';
import { auditDeniedView, auditNotFound } from './refusal-audit.js';

/** The request's facts View details names, whether from the live view or the store. */
export interface DetailsSubject {
  workflowId: string;
  caseRef: string;
  custodyRecordNumber: string;
  localAuthorityId: string;
}

export type DetailsResult =
  | {
      status: 'shown';
      subject: DetailsSubject;
      view: RequestView | null;
      identity: ChildIdentity | null;
      details: CaseDetails | null;
    }
  | { status: 'refused'; subject: DetailsSubject; view: RequestView | null; refusal: Refusal }
  | { status: 'not_found' }
  | { status: 'unavailable'; stage: 'view' | 'store'; reason: 'timeout' | 'error' };

/**
 * View details: the child's identity, only to a responder for the request's local authority or
 * to custody/admin. The access-log row is written before the identity is read, so no viewing
 * goes unrecorded; a refusal is audited and logged as `denied` (docs/architecture.md, "Refusals").
 */
export async function viewDetails(
  ctx: DeskContext,
  actor: Actor,
  workflowId: string,
  opts: { budgetMs?: number | undefined; requestId: string },
): Promise<DetailsResult> {
  const left = budget(opts.budgetMs);
  const store = ctx.deps.store;
  const fetched = await withinBudget(async () => {
    const view = await ctx.deps.bedRequests.view(workflowId);
    return { view, row: view ? null : await store.getRequest(workflowId) };
  }, left());
  if (!fetched.ok) {
    ctx.deps.log.error({ workflowId, err: errorCode(fetched.error) }, 'view details: engine');
    return { status: 'unavailable', stage: 'view', reason: fetched.reason };
  }
  const { view, row } = fetched.value;
  const subject: DetailsSubject | null = view ?? row;
  if (!subject) {
    await auditNotFound(ctx.deps, ctx.nowIso(), { actor, action: 'view_details', requestId: opts.requestId });
    return { status: 'not_found' };
  }
  const grants = ctx.grantsOf(actor);
  const at = ctx.nowIso();
  const probeView = { localAuthorityId: subject.localAuthorityId } as RequestView;
  if (!mayTake(grants, 'view_details', probeView)) {
    const la = ctx.deps.protocol.localAuthorities.find((l) => l.id === subject.localAuthorityId);
    const refusal: Refusal = hasRole(grants, 'responder')
      ? {
          code: FailureCode.NotResponderForAuthority,
          params: {
            action: 'view_details',
            localAuthority: la?.name ?? subject.localAuthorityId,
            caseRef: subject.caseRef,
          },
        }
      : { code: FailureCode.RoleNotPermitted, params: { roles: 'responder, custody, admin' } };
    await auditDeniedView(ctx.deps, at, { actor, workflowId, refusal, requestId: opts.requestId });
    return { status: 'refused', subject, view, refusal };
  }
  const read = await withinBudget(async () => {
    await store.logAccess({ workflowId, actor, at, purpose: 'view_details' });
    const [identity, details] = await Promise.all([
      store.getIdentity(workflowId),
      store.getCaseDetails ? store.getCaseDetails(workflowId) : Promise.resolve(null),
    ]);
    return { identity, details };
  }, left());
  if (!read.ok) {
    ctx.deps.log.error({ workflowId, err: errorCode(read.error) }, 'view details: store');
    return { status: 'unavailable', stage: 'store', reason: read.reason };
  }
  ctx.deps.log.info({ workflowId, userId: actor.userId }, 'identity viewed');
  return { status: 'shown', subject, view, ...read.value };
}
