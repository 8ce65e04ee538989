import { DateTime } from 'luxon';
import type { HandedOver } from '../../domain/chat-port.js';
import type { Route } from '../../domain/request-view.js';
import { DEFAULT_ZONE } from './view-text.js';

/**
 * The words on a team's card once the request has moved to another team at a shift change
 * (docs/legal-rules.md, "Shift changes"), for both renderers: the card keeps the facts and the
 * history, says who has it now and since when, and offers no actions.
 */

/** The team on duty on a route, as people call it. */
export const TEAM_NAMES: Record<Route, string> = {
  in_hours: 'the duty team',
  out_of_hours: 'the Emergency Duty Team (EDT)',
};

/** `Handed over to the Emergency Duty Team (EDT) at 17:00 on Mon 5 Jan 2026, at the shift change.` */
export function handedOverLine(handedOver: HandedOver, zone: string = DEFAULT_ZONE): string {
  const at = DateTime.fromISO(handedOver.at, { setZone: true }).setZone(zone);
  const when = at.isValid ? `at ${at.toFormat('HH:mm')} on ${at.toFormat('ccc d LLL yyyy')}` : '';
  return `Handed over to ${TEAM_NAMES[handedOver.to]}${when ? ` ${when}` : ''}, at the shift change.`;
}

/** The second line: why there are no buttons. */
export const HANDED_OVER_NO_ACTIONS = 'This card no longer takes actions: the request is with them now.';
