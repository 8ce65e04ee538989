import type { BedRequestInput } from '../../../domain/bed-request.js';
import { ACCOMMODATION_LABELS, DEFAULT_ZONE, formatTime } from '../../shared/view-text.js';
import { card, execute, facts, heading, type AdaptiveCard } from './adaptive-card.js';
import { noticeContainer, type CardNotice } from './request-card.js';
import { VERBS } from './verbs.js';

/**
 * What the sergeant sees the moment the form is accepted, before the workflow has registered the
 * request and given it a case reference. Its `refresh` turns it into the live custody card the
 * next time Teams shows it. Built from the input minus the child's identity: no name, date of
 * birth or PNC ID.
 */
export function submittedCard(
  input: Pick<
    BedRequestInput,
    'custodyRecordNumber' | 'age' | 'accommodation' | 'chargedAt' | 'nextCourtSitting'
  >,
  names: { workflowId: string; custodySuiteName: string; localAuthorityName: string },
  notice: CardNotice,
  zone = DEFAULT_ZONE,
  // A queued request has no workflow to show yet: an automatic refresh would only ask the engine
  // that is down and replace the "queued" words with an error (docs/queued-submits.md).
  opts: { autoRefresh?: boolean } = {},
): AdaptiveCard {
  const ref = { workflowId: names.workflowId, audience: 'custody' };
  return card(
    [
      noticeContainer(notice),
      heading(`Bed request · ${names.custodySuiteName}`),
      facts([
        ['Custody record', input.custodyRecordNumber],
        ['Home local authority', names.localAuthorityName],
        ['Age', String(input.age)],
        ['Accommodation', ACCOMMODATION_LABELS[input.accommodation]],
        ['Charged', formatTime(input.chargedAt, zone)],
        ['Next court sitting', formatTime(input.nextCourtSitting, zone)],
      ]),
    ],
    {
      actions: [execute('Show the request', VERBS.refresh, ref)],
      ...(opts.autoRefresh === false ? {} : { refresh: { action: execute('Refresh', VERBS.refresh, ref) } }),
    },
  );
}

/**
 * What the form message becomes once the request is sent, so nobody is left looking at a blank
 * live form: a short summary, no identity, and no automatic refresh (the live card follows in
 * the custody conversation).
 */
export function submittedSummaryCard(
  custodyRecordNumber: string,
  names: { custodySuiteName: string; localAuthorityName: string },
  state: 'sent' | 'queued',
): AdaptiveCard {
  return card([
    heading(state === 'sent' ? 'Bed request submitted' : 'Bed request queued'),
    facts([
      ['Custody record', custodyRecordNumber],
      ['Custody suite', names.custodySuiteName],
      ['Home local authority', names.localAuthorityName],
    ]),
  ]);
}
