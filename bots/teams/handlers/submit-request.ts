import type { Actor } from '../../../domain/people.js';
import { demographicsOf } from '../../../domain/protocol.js';
import { ENGINE_UNAVAILABLE_TEXT, describeRefusal } from '../../shared/failure-text.js';
import { CORRECTION_TEXT } from '../../shared/correction-text.js';
import { queuedSubmitText } from '../../shared/queued-text.js';
import { requestCard } from '../cards/request-card.js';
import { requestFormCard, type RequestFormValues } from '../cards/request-form-card.js';
import { submittedCard, submittedSummaryCard } from '../cards/submitted-card.js';
import type { HandlerDeps } from '../deps.js';
import { parseRequestForm } from '../forms/request-form.js';
import { noticeOutcome, nowIso, type CardOutcome } from './turn.js';

/**
 * The child's identity inputs, and the ethnicity and sex codes (docs/demographics.md): never
 * echoed where others could see the card.
 */
const IDENTITY_INPUTS = ['pncId', 'givenName', 'familyName', 'dateOfBirth', 'ethnicity', 'sex'] as const;

export function formForDeps(deps: HandlerDeps, values?: RequestFormValues, errors?: Record<string, string>) {
  return requestFormCard({
    custodySuites: deps.protocol.custodySuites,
    localAuthorities: deps.protocol.localAuthorities,
    demographics: demographicsOf(deps.protocol),
    ...(values ? { values } : {}),
    ...(errors ? { errors } : {}),
  });
}

/**
 * The sergeant sent the bed-request form. The desk says who may start one (custody or admin) and
 * starts it; the submission is validated by the domain schema; errors come back on the form with each field
 * named and what was typed kept. A valid request starts the workflow (its ID comes from the
 * custody record, so a double submit starts nothing) and the card becomes the request's own
 * custody card; a duplicate gets a pointer to the request already open.
 */
export async function submitRequest(
  deps: HandlerDeps,
  input: { actor: Actor; data: unknown; requestId: string },
): Promise<CardOutcome> {
  const refused = await deps.desk.mayStart(input.actor, input.requestId);
  if (refused) {
    return noticeOutcome('Bed request not sent', { tone: 'attention', lines: [describeRefusal(refused)] });
  }
  const parsed = parseRequestForm(input.data, {
    actor: input.actor,
    protocol: deps.protocol,
    nowIso: nowIso(deps),
  });
  if (!parsed.ok) {
    await deps.desk.refuseMalformed({
      actor: input.actor,
      action: 'start_request',
      requestId: input.requestId,
      fields: Object.keys(parsed.errors),
    });
    return {
      card: formForDeps(deps, parsed.values, parsed.errors),
      // Echoing the typed identity is fine in the clicker's own view, not in a posted message.
      shared: formForDeps(deps, withoutIdentity(parsed.values), parsed.errors),
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
  const started = await deps.desk.start(input.actor, request, {
    requestId: input.requestId,
    budgetMs: deps.invokeBudgetMs,
  });
  switch (started.status) {
    case 'refused':
      if (started.problems) {
        // The desk's own check of the times and ages (domain/intake.ts): back on the form.
        return {
          card: formForDeps(deps, parsed.values, started.problems),
          shared: formForDeps(deps, withoutIdentity(parsed.values), started.problems),
          words: `The form has errors: ${Object.keys(started.problems).join(', ')}`,
          accepted: false,
        };
      }
      return noticeOutcome('Bed request not sent', {
        tone: 'attention',
        lines: [describeRefusal(started.refusal)],
      });
    case 'unavailable':
    case 'duplicate': {
      const lines =
        started.status === 'duplicate'
          ? ['This form was already sent. Type "requests" to see your open requests.']
          : started.reason === 'timeout'
            ? [
                'Concordat did not hear back from its workflow engine in time.',
                'Your request may still have started: send the form again and you will be told if it is already open.',
              ]
            : [ENGINE_UNAVAILABLE_TEXT];
      const errors = { _form: lines.join(' ') };
      return {
        card: formForDeps(deps, parsed.values, errors),
        shared: formForDeps(deps, withoutIdentity(parsed.values), errors),
        words: lines.join(' '),
        accepted: false,
      };
    }
    case 'started': {
      const card = submittedCard(
        request,
        { workflowId: started.workflowId, ...names },
        {
          tone: 'good',
          lines: [
            'Request sent. The duty team or EDT has been told.',
            ...(started.supersedes ? [CORRECTION_TEXT] : []),
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
        summary: submittedSummaryCard(request.custodyRecordNumber, names, 'sent'),
      };
    }
    case 'queued': {
      const words = queuedSubmitText(request.custodyRecordNumber);
      const notice = { tone: 'warning' as const, lines: [words] };
      const card = submittedCard(request, { workflowId: started.workflowId, ...names }, notice, deps.zone, {
        autoRefresh: false,
      });
      return {
        card,
        shared: card,
        words,
        accepted: true,
        summary: submittedSummaryCard(request.custodyRecordNumber, names, 'queued'),
      };
    }
    case 'already_open':
    case 'already_closed': {
      const notice = { tone: 'warning' as const, lines: [describeRefusal(started.refusal)] };
      const card = started.view
        ? requestCard(started.view, {
            audience: 'custody',
            nowIso: nowIso(deps),
            zone: deps.zone,
            notice,
            people: deps.protocol.people,
          })
        : submittedCard(request, { workflowId: started.workflowId, ...names }, notice, deps.zone);
      return { card, shared: card, words: notice.lines[0] ?? '', accepted: false };
    }
  }
}

function withoutIdentity(values: RequestFormValues): RequestFormValues {
  const out: RequestFormValues = { ...values };
  for (const key of IDENTITY_INPUTS) delete out[key];
  return out;
}
