import type { SlackBotDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { openActionModal } from './open-modal.js';

/** The "amend_court_sitting" button: opens its modal after the role × state pre-check. */
export function amendCourtSittingButton(deps: SlackBotDeps) {
  return openActionModal(deps, 'amend_court_sitting', ACTION_IDS.amendCourtSitting);
}
