import type { StuckRequestView } from '../../../domain/watchdog.js';
import { stuckPageText } from '../../shared/stuck-text.js';
import { DEFAULT_ZONE } from '../../shared/view-text.js';
import { card, container, heading, text, type AdaptiveCard } from './adaptive-card.js';

/** The watchdog's page (docs/watchdog.md): no buttons, because the request cannot act on them. */
export function stuckRequestCard(view: StuckRequestView, zone = DEFAULT_ZONE): AdaptiveCard {
  const t = stuckPageText(view, zone);
  return card([
    container([heading('Stuck bed request'), text(t.title, { weight: 'bolder' })], 'attention'),
    text(t.problem),
    container(t.actions.map((a) => text(`• ${a}`))),
    text(t.footnote, { isSubtle: true }),
  ]);
}
