import { hasRole } from '../../../domain/authorise.js';
import { FailureCode } from '../../../domain/failures.js';
import type { Actor } from '../../../domain/people.js';
import { ENGINE_UNAVAILABLE_TEXT, describeRefusal } from '../../shared/failure-text.js';
import { queuedSubmitText } from '../../shared/queued-text.js';
import { requestCard } from '../cards/request-card.js';
import { requestFormCard, type RequestFormValues } from '../cards/request-form-card.js';
import { submittedCard } from '../cards/submitted-card.js';
import type { HandlerDeps } from '../deps.js';
import { parseRequestForm } from '../forms/request-form.js';
import { errorCode, grantsOf, noticeOutcome, nowIso, withinBudget, type CardOutcome } from './turn.js';

/** The child's identity inputs: never echoed where others could see the card. */
const IDENTITY_INPUTS = ['pncId', 'givenName', 'familyName', 'dateOfBirth'] as const;

export function formForDeps(deps: HandlerDeps, values?: RequestFormValues, errors?: Record<string, string>) {
  return requestFormCard({
    custodySuites: deps.protocol.custodySuites,
    localAuthorities: deps.protocol.localAuthorities,
    ...(values ? { values } : {}),
    ...(errors ? { errors } : {}),
  });
}

/**
 * The sergeant sent the bed-request form. Only custody (or admin) may start a request. The
 * submission is validated by the domain schema; errors come back on the form with each field
 * named and what was typed kept. A valid request starts the workflow (its ID comes from the
 * custody record, so a double submit starts nothing) and the card becomes the request's own
 * custody card; a duplicate gets a pointer to the request already open.
 */
export async function submitRequest(
  deps: HandlerDeps,
  input: { actor: Actor; data: unknown },
): Promise<CardOutcome> {
  const grants = grantsOf(deps, input.actor);
  if (!hasRole(grants, 'custody') && !hasRole(grants, 'admin')) {
    deps.log.warn({ userId: input.actor.userId, action: 'start_request' }, 'start refused: not custody');
    const words = describeRefusal({
      code: FailureCode.RoleNotPermitted,
      params: { roles: 'custody, admin' },
    });
    return noticeOutcome('Bed request not sent', { tone: 'attention', lines: [words] });
  }
  const parsed = parseRequestForm(input.data, { actor: input.actor, protocol: deps.protocol });
  if (!parsed.ok) {
    deps.log.info({ fields: Object.keys(parsed.errors) }, 'bed request form has errors');
    const withoutIdentity: RequestFormValues = { ...parsed.values };
    for (const key of IDENTITY_INPUTS) delete withoutIdentity[key];
    return {
      card: formForDeps(deps, parsed.values, parsed.errors),
      // Echoing the typed identity is fine in the clicker's own view, not in a shared post.
      shared: formForDeps(deps, withoutIdentity, parsed.errors),
      words: `The form has errors: ${Object.keys(parsed.errors).join(', ')}`,
      accepted: false,
    };
  }
  const request = parsed.input;
  const suite = deps.protocol.custodySuites.find((s) => s.id === request.custodySuiteId);
  const la = deps.protocol.localAuthorities.find((l) => l.id === request.homeLocalAuthorityId);
  const names = {
    custodySuiteName: suite?.name ?? request.custodySuiteId,
    localAuthorityName: la?.name ?? request.homeLocalAuthorityId,
  };
  const started = await withinBudget(async () => {
    const result = await deps.bedRequests.start(request, nowIso(deps));
    const exists = result.status === 'already_open' || result.status === 'already_closed';
    const view = exists ? await deps.bedRequests.view(result.workflowId) : null;
    return { ...result, view };
  }, deps.invokeBudgetMs);
  if (!started.ok) {
    deps.log.error(
      { reason: started.reason, err: started.error ? errorCode(started.error) : undefined },
      'could not start bed request',
    );
    const lines =
      started.reason === 'timeout'
        ? [
            'Concordat did not hear back from its workflow engine in time.',
            'Your request may still have started: send the form again and you will be told if it is already open.',
          ]
        : [ENGINE_UNAVAILABLE_TEXT];
    const errors = { _form: lines.join(' ') };
    const withoutIdentity: RequestFormValues = { ...parsed.values };
    for (const key of IDENTITY_INPUTS) delete withoutIdentity[key];
    return {
      card: formForDeps(deps, parsed.values, errors),
      shared: formForDeps(deps, withoutIdentity, errors),
      words: lines.join(' '),
      accepted: false,
    };
  }
  const { status, workflowId, view } = started.value;
  deps.log.info({ workflowId, status }, 'bed request submitted from Teams');
  if (status === 'started') {
    const card = submittedCard(
      request,
      { workflowId, ...names },
      {
        tone: 'good',
        lines: [
          'Request sent. The duty team or EDT has been told.',
          'This card turns into the live request: answer questions, confirm the transfer or record why the child stays from here.',
        ],
      },
      deps.zone,
    );
    return {
      card,
      shared: card,
      words: `Bed request sent for custody record ${request.custodyRecordNumber}.`,
      accepted: true,
    };
  }
  if (status === 'queued') {
    const words = queuedSubmitText(request.custodyRecordNumber);
    const notice = { tone: 'warning' as const, lines: [words] };
    const card = submittedCard(request, { workflowId, ...names }, notice, deps.zone, { autoRefresh: false });
    return { card, shared: card, words, accepted: true };
  }
  const pointer = describeRefusal({
    code: status === 'already_open' ? FailureCode.AlreadyOpen : FailureCode.RequestClosed,
    params: {
      custodyRecordNumber: request.custodyRecordNumber,
      ...(view ? { caseRef: view.caseRef } : {}),
      ...(view?.outcome ? { outcome: view.outcome.code } : {}),
    },
  });
  const notice = { tone: 'warning' as const, lines: [pointer] };
  const card = view
    ? requestCard(view, { audience: 'custody', nowIso: nowIso(deps), zone: deps.zone, notice })
    : submittedCard(request, { workflowId, ...names }, notice, deps.zone);
  return { card, shared: card, words: pointer, accepted: false };
}
