/**
 * The request desk: everything a person asks of Concordat, for every chat platform
 * (docs/architecture.md, "The request desk"). The bots translate platform payloads into these
 * calls and the results into Block Kit or Adaptive Cards; the role and state decisions, the
 * refusal audit, the repeat guards and the already-open answers live only here and in domain/.
 */
import type { ActionEnvelope, RequestActionKind } from '../domain/actions.js';
import { availableActions, type CardAudience, type OfferedAction } from '../domain/available-actions.js';
import type { BedRequestInput } from '../domain/bed-request.js';
import { FailureCode, type Refusal } from '../domain/failures.js';
import type { Actor, RoleGrant } from '../domain/people.js';
import type { Protocol } from '../domain/protocol.js';
import type { RequestView } from '../domain/request-view.js';
import { withinBudget, type Budgeted } from './budget.js';
import { act, probe, type ActResult, type CallOptions, type ProbeResult } from './act-on-request.js';
import { deskContext } from './desk-context.js';
import type { DeskDeps } from './desk-ports.js';
import { checkDigestRequest, requestDigest, type DigestRequestArgs } from './digest-now.js';
import { listOpen, type OpenRequestList } from './open-requests.js';
import { auditRefusal, malformed, type RefusalFacts } from './refusal-audit.js';
import { mayStart, startRequest, type StartResult } from './start-request.js';
import { viewDetails, type DetailsResult } from './view-details.js';

export type { ActResult, ProbeResult } from './act-on-request.js';
export type { DetailsResult, DetailsSubject } from './view-details.js';
export type { OpenRequest, OpenRequestList } from './open-requests.js';
export type { StartResult } from './start-request.js';
export type { BedRequests, CaseDetails, DeskDeps, DeskStore, OpenRequestRow } from './desk-ports.js';
export type { DigestRequestArgs, DigestRequests } from './digest-now.js';
export { NO_REQUEST } from './refusal-audit.js';
export { budget, errorCode, withinBudget, type Budgeted } from './budget.js';
export { rowsForRole } from './open-requests.js';

export interface Desk {
  readonly protocol: Protocol;
  /** The clock the desk decides by (cards built from its results show the same time). */
  nowIso(): string;
  grantsOf(actor: Actor): RoleGrant[];
  /** The actions offered on a card, from domain/ (one list for every platform). */
  offeredActions(view: RequestView, audience: CardAudience, actor?: Actor): OfferedAction[];
  mayStart(actor: Actor, requestId: string): Promise<Refusal | null>;
  start(
    actor: Actor,
    input: BedRequestInput,
    opts: { requestId: string; budgetMs?: number | undefined },
  ): Promise<StartResult>;
  probe(
    actor: Actor,
    workflowId: string,
    kind: RequestActionKind,
    opts: CallOptions & { requestId: string },
  ): Promise<ProbeResult>;
  act(workflowId: string, envelope: ActionEnvelope, opts?: CallOptions): Promise<ActResult>;
  viewDetails(
    actor: Actor,
    workflowId: string,
    opts: { requestId: string; budgetMs?: number | undefined },
  ): Promise<DetailsResult>;
  listOpen(actor: Actor, max?: number): Promise<OpenRequestList>;
  /** The request as it is now (a card refresh); null when there is no such request. */
  look(workflowId: string, budgetMs?: number): Promise<Budgeted<RequestView | null>>;
  /** A payload that could not be read (or failed validation): audited, never sent. */
  refuseMalformed(facts: Omit<RefusalFacts, 'refusal' | 'source'>): Promise<Refusal>;
  /** `digest <from> <to>`: the check (answered at once) and the request. */
  checkDigest(req: {
    actor: Actor;
    rest: string;
    requestId?: string | undefined;
    usage: string;
  }): Promise<{ reply: string } | { args: DigestRequestArgs }>;
  requestDigest(args: DigestRequestArgs): Promise<string>;
}

export function createDesk(deps: DeskDeps): Desk {
  const ctx = deskContext(deps);
  return {
    protocol: deps.protocol,
    nowIso: ctx.nowIso,
    grantsOf: ctx.grantsOf,
    offeredActions: (view, audience, actor) =>
      availableActions(view, audience, actor ? ctx.grantsOf(actor) : undefined, actor, deps.protocol.people),
    mayStart: (actor, requestId) => mayStart(ctx, actor, requestId),
    start: (actor, input, opts) => startRequest(ctx, actor, input, opts),
    probe: (actor, workflowId, kind, opts) => probe(ctx, actor, workflowId, kind, opts),
    act: (workflowId, envelope, opts) => act(ctx, workflowId, envelope, opts),
    viewDetails: (actor, workflowId, opts) => viewDetails(ctx, actor, workflowId, opts),
    listOpen: (actor, max) => listOpen(ctx, actor, max),
    look: (workflowId, budgetMs) => withinBudget(() => deps.bedRequests.view(workflowId), budgetMs),
    async refuseMalformed(facts) {
      const refusal = malformed(facts.fields);
      await auditRefusal(deps, ctx.nowIso(), { ...facts, refusal, source: 'malformed' });
      return refusal;
    },
    async checkDigest(req) {
      const check = checkDigestRequest(deps, req);
      if ('reply' in check && check.refused) {
        await auditRefusal(deps, ctx.nowIso(), {
          actor: req.actor,
          action: 'request_digest',
          refusal: { code: FailureCode.RoleNotPermitted, params: { roles: 'admin' } },
          requestId: req.requestId,
          source: 'desk',
        });
      }
      return check;
    },
    requestDigest: (args) => requestDigest(deps, args),
  };
}
