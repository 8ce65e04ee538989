import { availableActions, type OfferedKind } from '../../../domain/available-actions.js';
import type { RoleGrant } from '../../../domain/people.js';
import type { RequestView } from '../../../domain/request-view.js';
import {
  DEFAULT_ZONE,
  countersignatureText,
  factPairs,
  formatTime,
  outOfAreaLine,
  statusLabel,
  timelineLines,
  titleText,
  warningLines,
} from '../../shared/view-text.js';
import { ACTION_IDS } from '../ids.js';
import {
  actions,
  button,
  compact,
  context,
  divider,
  esc,
  fields,
  header,
  section,
  type Block,
  type Button,
  type SlackMessage,
} from './kit.js';

export type Audience = 'responder' | 'custody' | 'inspector';

/** The block ID of the card's buttons. */
export const CARD_ACTIONS_BLOCK = 'concordat.card_actions';

const STATUS_EMOJI: Record<RequestView['status'], string> = {
  awaiting_acknowledgement: ':red_circle:',
  acknowledged: ':large_orange_circle:',
  bed_offered: ':large_blue_circle:',
  declined: ':red_circle:',
  held_bed_sought: ':rotating_light:',
  resolved: ':white_check_mark:',
};

const BUTTON_IDS: Record<OfferedKind, string> = {
  acknowledge: ACTION_IDS.acknowledge,
  offer_bed: ACTION_IDS.offerBed,
  decline: ACTION_IDS.decline,
  request_info: ACTION_IDS.requestInfo,
  view_details: ACTION_IDS.viewDetails,
  answer_info: ACTION_IDS.answerInfo,
  confirm_transfer: ACTION_IDS.confirmTransfer,
  record_stay: ACTION_IDS.recordStay,
  record_left_cells: ACTION_IDS.recordLeftCells,
  amend_court_sitting: ACTION_IDS.amendCourtSitting,
  cancel: ACTION_IDS.cancel,
  countersign: ACTION_IDS.countersign,
};

/**
 * The buttons a card shows now, rendered from the one domain list of offered actions (the Teams
 * card renders the same list). Stale ones disappear when the card is updated in place.
 */
export function cardButtons(view: RequestView, audience: Audience, grants?: readonly RoleGrant[]): Button[] {
  return availableActions(view, audience, grants).map((a) =>
    button(a.label, BUTTON_IDS[a.kind], view.workflowId, a.emphasis),
  );
}

/**
 * The request card, a pure function of the view model. The view carries no name, date of birth or
 * offence, so neither does the card: identity is shown only through View details.
 */
export function requestCard(
  view: RequestView,
  audience: Audience,
  zone: string = DEFAULT_ZONE,
  /** Only this person's actions (absent: the audience's, as on a card everyone in a channel sees). */
  grants?: readonly RoleGrant[],
): SlackMessage {
  const status = statusLabel(view);
  const warnings = [outOfAreaLine(view), ...warningLines(view)].filter((l): l is string => l !== null);
  const timeline = timelineLines(view, zone);
  // The sergeant's card, and the inspector's (the certificate to countersign: domain/countersignature.ts).
  const certificate =
    audience !== 'responder' && (view.outcome?.certificate ?? view.stay?.certificate)
      ? section(
          `*s.38(6) certificate for court*\n\`\`\`${esc(view.outcome?.certificate ?? view.stay?.certificate ?? '')}\`\`\``,
        )
      : null;
  const countersignature = view.stay?.countersignature ?? view.outcome?.certificateCountersignature;
  const blocks: Block[] = compact([
    header(titleText(view)),
    section(`${STATUS_EMOJI[view.status]} *${esc(status)}*`, 'concordat.status'),
    countersignature
      ? section(
          `${countersignature.status === 'countersigned' ? ':white_check_mark:' : ':hourglass_flowing_sand:'} ` +
            `*${esc(countersignatureText(countersignature, zone))}*`,
          'concordat.countersignature',
        )
      : null,
    ...fields(factPairs(view, zone)),
    context(warnings.map((w) => `:warning: ${esc(w)}`)),
    divider(),
    context(timeline.slice(-8).map((l) => esc(l))),
    certificate,
    actions(CARD_ACTIONS_BLOCK, cardButtons(view, audience, grants)),
    context([
      `Updated ${esc(formatTime(view.updatedAt, zone))}. ` +
        (audience === 'responder'
          ? 'The child’s identity is not shown here: use View details.'
          : audience === 'inspector'
            ? 'The force protocol asks an inspector, not the certifying sergeant, to countersign the certificate.'
            : 'This thread follows the request.'),
    ]),
  ]);
  const who = audience === 'responder' ? `for ${view.localAuthorityName}` : `at ${view.custodySuiteName}`;
  // The inspector's card reads as what it asks, and is never taken for the sergeant's.
  const text =
    audience === 'inspector' && countersignature
      ? `Countersignature of the s.38(6) certificate, bed request ${view.caseRef} ${who}: ` +
        countersignatureText(countersignature, zone)
      : `Bed request ${view.caseRef} ${who}: ${status}`;
  return {
    text,
    blocks,
  };
}
