import type { HandedOver } from '../../../domain/chat-port.js';
import { HANDED_OVER_NO_ACTIONS, handedOverLine } from '../../shared/handover-text.js';
import { DEFAULT_ZONE } from '../../shared/view-text.js';
import type { AdaptiveCard, CardElement } from './adaptive-card.js';
import { noticeContainer } from './request-card.js';

/** The card's elements without buttons or inputs (an input with no button to send it is noise). */
function withoutActions(elements: readonly CardElement[]): CardElement[] {
  const out: CardElement[] = [];
  for (const e of elements) {
    if (e.type === 'ActionSet' || e.type.startsWith('Input.')) continue;
    out.push(e.type === 'Container' ? { ...e, items: withoutActions(e.items) } : e);
  }
  return out;
}

/**
 * The card a team keeps after a shift change moved the request to another team (docs/legal-rules.md,
 * "Shift changes"): the request card as rendered, with the handover said at the top, no actions,
 * and no `refresh` (which would have Teams fetch a card with this team's buttons back). Pure.
 */
export function handedOverCard(
  card: AdaptiveCard,
  handedOver: HandedOver,
  zone: string = DEFAULT_ZONE,
): AdaptiveCard {
  const { actions: _actions, refresh: _refresh, ...rest } = card;
  const notice = noticeContainer({
    tone: 'accent',
    lines: [handedOverLine(handedOver, zone), HANDED_OVER_NO_ACTIONS],
  });
  return { ...rest, body: [notice, ...withoutActions(card.body)] };
}
