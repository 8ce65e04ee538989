import type { SlackBotDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { openActionModal } from './open-modal.js';

/** The "offer_bed" button: opens its modal after the role × state pre-check. */
export function offerBedButton(deps: SlackBotDeps) {
  return openActionModal(deps, 'offer_bed', ACTION_IDS.offerBed);
}
