import type { ActionEnvelope, RequestActionKind } from '../domain/actions.js';
import { FailureCode, type Refusal } from '../domain/failures.js';
import type { Actor } from '../domain/people.js';
import type { RequestView } from '../domain/request-view.js';
import { applyAction, checkAction, stayExplanationRefusal } from '../domain/request-rules.js';
import { budget, errorCode, withinBudget } from './budget.js';
import type { DeskContext } from './desk-context.js';
import { probeAction } from './probe-action.js';
import { auditNotFound, auditRefusal } from './refusal-audit.js';

export type Unavailable = { status: 'unavailable'; stage: 'view' | 'signal'; reason: 'timeout' | 'error' };

export type ActResult =
  | { status: 'sent'; view: RequestView; next: RequestView }
  | { status: 'refused'; view: RequestView; refusal: Refusal }
  | { status: 'duplicate'; view: RequestView | null }
  | { status: 'not_found' }
  | (Unavailable & { view?: RequestView });

export type ProbeResult =
  | { status: 'allowed'; view: RequestView }
  | { status: 'refused'; view: RequestView; refusal: Refusal }
  | { status: 'duplicate' }
  | { status: 'not_found' }
  | Unavailable;

export interface CallOptions {
  /** Answer within this many ms (Teams' invoke budget); absent, wait. */
  budgetMs?: number | undefined;
  /** The repeat key; absent, person + request + the action's inputs. */
  clickKey?: string | undefined;
}

async function readView(ctx: DeskContext, workflowId: string, ms: number | undefined) {
  const fetched = await withinBudget(() => ctx.deps.bedRequests.view(workflowId), ms);
  if (!fetched.ok) {
    ctx.deps.log.error(
      { workflowId, reason: fetched.reason, err: errorCode(fetched.error) },
      'could not read a request',
    );
  }
  return fetched;
}

/**
 * May this person open the form for `kind` on this request now? The same role × state rules the
 * workflow runs, on a stand-in action; a refusal is audited (docs/architecture.md, "Refusals").
 */
export async function probe(
  ctx: DeskContext,
  actor: Actor,
  workflowId: string,
  kind: RequestActionKind,
  opts: CallOptions & { requestId: string },
): Promise<ProbeResult> {
  const key = opts.clickKey ?? `${actor.platform}:${actor.userId}|${workflowId}|probe:${kind}`;
  if (!ctx.clicks.claim(key)) {
    ctx.deps.log.info({ userId: actor.userId, workflowId, action: kind }, 'ignored a double-click');
    return { status: 'duplicate' };
  }
  const fetched = await readView(ctx, workflowId, opts.budgetMs);
  if (!fetched.ok) return { status: 'unavailable', stage: 'view', reason: fetched.reason };
  const view = fetched.value;
  if (!view) {
    await auditNotFound(ctx.deps, ctx.nowIso(), { actor, action: kind, requestId: opts.requestId });
    return { status: 'not_found' };
  }
  const now = ctx.nowIso();
  const action = probeAction(kind, view, now);
  const refusal = action
    ? checkAction(
        view,
        ctx.grantsOf(actor),
        { actionId: opts.requestId, actor, action },
        now,
        ctx.deps.protocol.people,
      )
    : { code: FailureCode.QuestionNotFound };
  if (!refusal) return { status: 'allowed', view };
  await auditRefusal(ctx.deps, now, {
    actor,
    action: kind,
    refusal,
    workflowId,
    requestId: opts.requestId,
    source: 'desk',
  });
  return { status: 'refused', view, refusal };
}

/**
 * Act on a request: repeat guard, the role × state pre-check from domain/ (refused: audited,
 * nothing sent), then the signal, which the workflow checks again. `next` is the view as it will
 * be once the workflow applies the action (for an instant card).
 */
export async function act(
  ctx: DeskContext,
  workflowId: string,
  envelope: ActionEnvelope,
  opts: CallOptions = {},
): Promise<ActResult> {
  const { actor, action } = envelope;
  const left = budget(opts.budgetMs);
  const key = opts.clickKey ?? `${actor.platform}:${actor.userId}|${workflowId}|${JSON.stringify(action)}`;
  if (!ctx.clicks.claim(key)) {
    ctx.deps.log.info({ userId: actor.userId, workflowId, action: action.kind }, 'repeated click ignored');
    const again = await readView(ctx, workflowId, left());
    return { status: 'duplicate', view: again.ok ? again.value : null };
  }
  const fetched = await readView(ctx, workflowId, left());
  if (!fetched.ok) {
    ctx.clicks.release(key);
    return { status: 'unavailable', stage: 'view', reason: fetched.reason };
  }
  const view = fetched.value;
  if (!view) {
    ctx.clicks.release(key);
    await auditNotFound(ctx.deps, ctx.nowIso(), {
      actor,
      action: action.kind,
      requestId: envelope.actionId,
    });
    return { status: 'not_found' };
  }
  const now = ctx.nowIso();
  // The Note 16D screen of a stay's words runs here too: the workflow checks both again.
  const refusal =
    checkAction(view, ctx.grantsOf(actor), envelope, now, ctx.deps.protocol.people) ??
    stayExplanationRefusal(view, envelope.action);
  if (refusal) {
    ctx.clicks.release(key);
    await auditRefusal(ctx.deps, now, {
      actor,
      action: action.kind,
      refusal,
      workflowId,
      requestId: envelope.actionId,
      source: 'desk',
    });
    return { status: 'refused', view, refusal };
  }
  const signalled = await withinBudget(() => ctx.deps.bedRequests.act(workflowId, envelope), left());
  if (!signalled.ok) {
    // A timed-out signal may still arrive: keep the claim, so a retry is not sent twice.
    if (signalled.reason === 'error') ctx.clicks.release(key);
    ctx.deps.log.error(
      { workflowId, action: action.kind, reason: signalled.reason, err: errorCode(signalled.error) },
      'could not send an action',
    );
    return { status: 'unavailable', stage: 'signal', reason: signalled.reason, view };
  }
  ctx.deps.log.info({ workflowId, action: action.kind, userId: actor.userId }, 'action sent');
  return {
    status: 'sent',
    view,
    next: applyAction(view, envelope, now, {
      timeZone: ctx.deps.protocol.force.timeZone,
      // As the workflow does (docs/legal-rules.md, "A stay is not the end").
      stayContinues: true,
      certificate: ctx.deps.protocol.certificate,
      countersignRequired: ctx.deps.protocol.certificate?.countersignature.required === true,
    }),
  };
}
