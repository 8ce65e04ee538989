import type { RequestView } from '../../../domain/request-view.js';
import {
  ACTION_LABELS,
  DEFAULT_ZONE,
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

export type Audience = 'responder' | 'custody';

/** The block ID of the card's buttons. */
export const CARD_ACTIONS_BLOCK = 'concordat.card_actions';

const STATUS_EMOJI: Record<RequestView['status'], string> = {
  awaiting_acknowledgement: ':red_circle:',
  acknowledged: ':large_orange_circle:',
  bed_offered: ':large_blue_circle:',
  declined: ':red_circle:',
  resolved: ':white_check_mark:',
};

/** The buttons a card shows now. Stale ones disappear when the card is updated in place. */
export function cardButtons(view: RequestView, audience: Audience): Button[] {
  if (view.status === 'resolved' || view.outcome) return [];
  const id = view.workflowId;
  if (audience === 'responder') {
    const out: Button[] = [];
    if (!view.acknowledged)
      out.push(button(ACTION_LABELS.acknowledge, ACTION_IDS.acknowledge, id, 'primary'));
    if (!view.offer) {
      out.push(
        button(ACTION_LABELS.offer_bed, ACTION_IDS.offerBed, id, view.acknowledged ? 'primary' : undefined),
      );
      out.push(button(ACTION_LABELS.decline, ACTION_IDS.decline, id, 'danger'));
    }
    out.push(button(ACTION_LABELS.request_info, ACTION_IDS.requestInfo, id));
    out.push(button('View details', ACTION_IDS.viewDetails, id));
    return out;
  }
  const out: Button[] = [];
  if (view.questions.some((q) => !q.answer)) {
    out.push(button(ACTION_LABELS.answer_info, ACTION_IDS.answerInfo, id, 'primary'));
  }
  if (view.offer) out.push(button(ACTION_LABELS.confirm_transfer, ACTION_IDS.confirmTransfer, id, 'primary'));
  out.push(button(ACTION_LABELS.record_stay, ACTION_IDS.recordStay, id, 'danger'));
  out.push(button(ACTION_LABELS.cancel, ACTION_IDS.cancel, id));
  return out;
}

/**
 * The request card, a pure function of the view model. The view carries no name, date of birth or
 * offence, so neither does the card: identity is shown only through View details.
 */
export function requestCard(
  view: RequestView,
  audience: Audience,
  zone: string = DEFAULT_ZONE,
): SlackMessage {
  const status = statusLabel(view);
  const warnings = [outOfAreaLine(view), ...warningLines(view)].filter((l): l is string => l !== null);
  const timeline = timelineLines(view, zone);
  const certificate =
    audience === 'custody' && view.outcome?.certificate
      ? section(`*s.38(6) certificate for court*\n\`\`\`${esc(view.outcome.certificate)}\`\`\``)
      : null;
  const blocks: Block[] = compact([
    header(titleText(view)),
    section(`${STATUS_EMOJI[view.status]} *${esc(status)}*`, 'concordat.status'),
    ...fields(factPairs(view, zone)),
    context(warnings.map((w) => `:warning: ${esc(w)}`)),
    divider(),
    context(timeline.slice(-8).map((l) => esc(l))),
    certificate,
    actions(CARD_ACTIONS_BLOCK, cardButtons(view, audience)),
    context([
      `Updated ${esc(formatTime(view.updatedAt, zone))}. ` +
        (audience === 'responder'
          ? 'The child’s identity is not shown here: use View details.'
          : 'This thread follows the request.'),
    ]),
  ]);
  const who = audience === 'responder' ? `for ${view.localAuthorityName}` : `at ${view.custodySuiteName}`;
  return {
    text: `Bed request ${view.caseRef} ${who}: ${status}`,
    blocks,
  };
}
