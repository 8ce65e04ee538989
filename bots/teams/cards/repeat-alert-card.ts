import type { RepeatAlertView } from '../../../domain/request-view.js';
import { DEFAULT_ZONE, repeatAlertLines } from '../../shared/view-text.js';
import { card, container, heading, text, type AdaptiveCard } from './adaptive-card.js';

/**
 * The strategic leads' alert when the same child (matched by keyed pseudonym, never by name) is
 * held in police detention after charge again within the window.
 */
export function repeatAlertCard(alert: RepeatAlertView, zone = DEFAULT_ZONE): AdaptiveCard {
  const [first = '', ...rest] = repeatAlertLines(alert, zone);
  return card([
    container([heading('Repeat detention of a child'), text(first, { weight: 'bolder' })], 'attention'),
    container(rest.map((line) => text(line))),
    text('The child is identified by a pseudonymous reference only. The custody records hold the identity.', {
      isSubtle: true,
    }),
  ]);
}
