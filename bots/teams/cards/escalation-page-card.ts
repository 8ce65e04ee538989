import type { EscalationPageView } from '../../../domain/request-view.js';
import {
  DEFAULT_ZONE,
  escalationText,
  factPairs,
  statusLabel,
  timeLeftText,
} from '../../shared/view-text.js';
import { card, container, facts, heading, text, type AdaptiveCard } from './adaptive-card.js';

/**
 * An escalation page for a contact on the ladder (EDT manager, inspector, superintendent…). It says
 * what has not happened and for how long; it carries no buttons, because the contact acts through
 * the duty team or by phone, and no identity.
 */
export function escalationPageCard(
  page: EscalationPageView,
  nowIso: string,
  zone = DEFAULT_ZONE,
): AdaptiveCard {
  const r = page.request;
  return card([
    container(
      [
        heading(`Escalation level ${page.level}: ${page.stepName}`),
        text(escalationText(page), { weight: 'bolder' }),
      ],
      'attention',
    ),
    text(`${statusLabel(r)}. ${timeLeftText(r, nowIso)}`),
    facts(factPairs(r, zone)),
    text(
      'A child charged and refused bail must be moved to local authority accommodation (PACE s.38(6)). ' +
        'An acknowledgement is not a bed.',
      { isSubtle: true },
    ),
  ]);
}
