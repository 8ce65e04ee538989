import { FailureCode, type Refusal } from '../domain/failures.js';
import type { Actor } from '../domain/people.js';
import type { DeskDeps } from './desk-ports.js';
import { errorCode } from './budget.js';

/** The audit row's request when the refusal came before there was one (opening the form, a bad payload). */
export const NO_REQUEST = 'no-request';

/** Where a refusal was decided: the desk's pre-check, or a payload that could not be read. */
export type RefusalSource = 'desk' | 'malformed';

export interface RefusalFacts {
  /** Unknown for a payload too broken to name its sender. */
  actor?: Actor | undefined;
  /** The action refused: a workflow action kind, `view_details`, `start_request`, `request_digest`. */
  action: string;
  refusal: Refusal;
  workflowId?: string | undefined;
  /** Stable per click or submission (a redelivery writes no second row); absent, one is made. */
  requestId?: string | undefined;
  source: RefusalSource;
  /** Names of the fields that were wrong (never their values: they may be the child's identity). */
  fields?: string[] | undefined;
}

/**
 * Every refusal becomes a row in the append-only audit log, as the workflow's own `action_refused`
 * does (docs/architecture.md, "Refusals"): actor, action, refusal code and request. A write that
 * fails is logged and never turns into a failure of the reply.
 */
export async function auditRefusal(deps: DeskDeps, at: string, facts: RefusalFacts): Promise<void> {
  const workflowId = facts.workflowId ?? NO_REQUEST;
  const id = facts.requestId ?? `${at}:${Math.random().toString(36).slice(2, 10)}`;
  deps.log.warn(
    {
      event: 'action_refused',
      userId: facts.actor?.userId,
      platform: facts.actor?.platform,
      workflowId,
      action: facts.action,
      code: facts.refusal.code,
      source: facts.source,
    },
    'refused a request',
  );
  try {
    await deps.store.appendEvent({
      eventId: `${workflowId}:refused:${facts.source}:${facts.action}:${id}`,
      workflowId,
      type: 'action_refused',
      ...(facts.actor ? { actor: facts.actor } : {}),
      at,
      data: {
        kind: facts.action,
        code: facts.refusal.code,
        source: facts.source,
        ...(facts.fields?.length ? { fields: facts.fields.slice(0, 30) } : {}),
      },
    });
  } catch (err) {
    deps.log.error({ err: errorCode(err), workflowId, action: facts.action }, 'could not audit a refusal');
  }
}

/**
 * A click or card naming a request the engine does not know. The named ID is not written: a
 * forged value could be anything, even a child's name. The row goes under NO_REQUEST.
 */
export async function auditNotFound(
  deps: DeskDeps,
  at: string,
  facts: { actor: Actor; action: string; requestId?: string | undefined },
): Promise<void> {
  await auditRefusal(deps, at, {
    ...facts,
    refusal: { code: FailureCode.RequestNotFound },
    source: 'desk',
    fields: ['workflowId'],
  });
}

/** A refused View details: the refusal row, and a `denied` row in the access log. */
export async function auditDeniedView(
  deps: DeskDeps,
  at: string,
  facts: Omit<RefusalFacts, 'action' | 'source'> & { actor: Actor; workflowId: string },
): Promise<void> {
  await auditRefusal(deps, at, { ...facts, action: 'view_details', source: 'desk' });
  try {
    await deps.store.logAccess({ workflowId: facts.workflowId, actor: facts.actor, at, purpose: 'denied' });
  } catch (err) {
    deps.log.error({ err: errorCode(err), workflowId: facts.workflowId }, 'could not log a denied view');
  }
}

/** The refusal for a payload the desk could not read. */
export function malformed(fields: string[] = []): Refusal {
  return { code: FailureCode.InvalidInput, params: { field: fields.join(', ') || 'payload' } };
}
