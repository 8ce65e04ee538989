import type { SlackBotDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { openActionModal } from './open-modal.js';

/** The "decline" button: opens its modal after the role × state pre-check. */
export function declineButton(deps: SlackBotDeps) {
  return openActionModal(deps, 'decline', ACTION_IDS.decline);
}
