import { hasRole } from '../domain/authorise.js';
import type { BedRequestInput } from '../domain/bed-request.js';
import { FailureCode, type Refusal } from '../domain/failures.js';
import { intakeProblems } from '../domain/intake.js';
import type { Actor } from '../domain/people.js';
import type { RequestView } from '../domain/request-view.js';
import { errorCode, withinBudget } from './budget.js';
import type { DeskContext } from './desk-context.js';
import { auditRefusal } from './refusal-audit.js';

export type StartResult =
  /** `supersedes`: the request entered in error that this one corrects (linked in the audit). */
  | { status: 'started' | 'queued'; workflowId: string; supersedes?: string }
  /** The record already has a request: `refusal` says so (AlreadyOpen or RequestClosed). */
  | {
      status: 'already_open' | 'already_closed';
      workflowId: string;
      view: RequestView | null;
      refusal: Refusal;
    }
  /** `problems`: the form's fields that were wrong, with their messages (domain/intake.ts). */
  | { status: 'refused'; refusal: Refusal; problems?: Record<string, string> }
  | { status: 'duplicate' }
  | { status: 'unavailable'; reason: 'timeout' | 'error' };

const NOT_CUSTODY: Refusal = { code: FailureCode.RoleNotPermitted, params: { roles: 'custody, admin' } };

/**
 * May this person start a request (open the form)? Only custody or admin. A refusal is audited
 * under no request (docs/architecture.md, "Refusals").
 */
export async function mayStart(ctx: DeskContext, actor: Actor, requestId: string): Promise<Refusal | null> {
  const grants = ctx.grantsOf(actor);
  if (hasRole(grants, 'custody') || hasRole(grants, 'admin')) return null;
  await auditRefusal(ctx.deps, ctx.nowIso(), {
    actor,
    action: 'start_request',
    refusal: NOT_CUSTODY,
    requestId,
    source: 'desk',
  });
  return NOT_CUSTODY;
}

/**
 * Start a request from a valid form. The workflow ID comes from the custody record, so a double
 * submit starts nothing; a redelivery of the same submission (`requestId`) is not even sent.
 */
export async function startRequest(
  ctx: DeskContext,
  actor: Actor,
  input: BedRequestInput,
  opts: { requestId: string; budgetMs?: number | undefined },
): Promise<StartResult> {
  const refused = await mayStart(ctx, actor, opts.requestId);
  if (refused) return { status: 'refused', refusal: refused };
  // The forms check this inline first; the desk checks again, so no edge can start a bad night.
  const problems = intakeProblems(input, ctx.nowIso(), ctx.deps.protocol.force.timeZone);
  const fields = Object.keys(problems);
  if (fields.length > 0) {
    const refusal: Refusal = { code: FailureCode.InvalidInput, params: { field: fields.join(', ') } };
    await auditRefusal(ctx.deps, ctx.nowIso(), {
      actor,
      action: 'start_request',
      refusal,
      requestId: opts.requestId,
      source: 'desk',
      fields,
    });
    return { status: 'refused', refusal, problems };
  }
  if (!ctx.submissions.claim(`start:${opts.requestId}`)) {
    ctx.deps.log.info({ userId: actor.userId }, 'ignored a repeated submission of the same request form');
    return { status: 'duplicate' };
  }
  const requestedAt = ctx.nowIso();
  const started = await withinBudget(async () => {
    const result = await ctx.deps.bedRequests.start(input, requestedAt);
    const exists = result.status === 'already_open' || result.status === 'already_closed';
    const view = exists ? await ctx.deps.bedRequests.view(result.workflowId).catch(() => null) : null;
    return { ...result, view };
  }, opts.budgetMs);
  if (!started.ok) {
    // Not sent (or not known to be): a retry of the same submission must be allowed through.
    ctx.submissions.release(`start:${opts.requestId}`);
    ctx.deps.log.error(
      { reason: started.reason, err: started.error ? errorCode(started.error) : undefined },
      'could not start a bed request',
    );
    return { status: 'unavailable', reason: started.reason };
  }
  const { status, workflowId, view, supersedes } = started.value;
  ctx.deps.log.info({ workflowId, status, userId: actor.userId, supersedes }, 'bed request submitted');
  if (status === 'started' || status === 'queued') {
    if (supersedes) await linkCorrection(ctx, actor, requestedAt, { workflowId, supersedes });
    return { status, workflowId, ...(supersedes ? { supersedes } : {}) };
  }
  const refusal: Refusal = {
    code: status === 'already_open' ? FailureCode.AlreadyOpen : FailureCode.RecordAlreadyClosed,
    params: {
      custodyRecordNumber: input.custodyRecordNumber,
      ...(view ? { caseRef: view.caseRef } : {}),
      ...(view?.outcome ? { outcome: view.outcome.code, at: view.outcome.at } : {}),
    },
  };
  await auditRefusal(ctx.deps, requestedAt, {
    actor,
    action: 'start_request',
    refusal,
    workflowId,
    requestId: opts.requestId,
    source: 'desk',
  });
  return { status, workflowId, view, refusal };
}

/**
 * Links a correction both ways in the append-only audit log (docs/legal-rules.md, "Correcting a
 * mistake"): the new request names the one entered in error, and the old one, kept in history as
 * it was, names the request that replaced it. A write that fails is logged, never a failed start.
 */
async function linkCorrection(
  ctx: DeskContext,
  actor: Actor,
  at: string,
  link: { workflowId: string; supersedes: string },
): Promise<void> {
  const rows = [
    {
      eventId: `${link.workflowId}:corrects:${link.supersedes}`,
      workflowId: link.workflowId,
      type: 'request_corrects',
      data: { supersedes: link.supersedes, reason: 'entered_in_error' },
    },
    {
      eventId: `${link.supersedes}:corrected_by:${link.workflowId}`,
      workflowId: link.supersedes,
      type: 'request_corrected_by',
      data: { correctedBy: link.workflowId },
    },
  ];
  for (const row of rows) {
    try {
      await ctx.deps.store.appendEvent({ ...row, actor, at });
    } catch (err) {
      ctx.deps.log.error({ workflowId: row.workflowId, err: errorCode(err) }, 'could not link a correction');
    }
  }
}
