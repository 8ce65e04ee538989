import type { SlackBotDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { openActionModal } from './open-modal.js';

/** The "cancel" button: opens its modal after the role × state pre-check. */
export function cancelButton(deps: SlackBotDeps) {
  return openActionModal(deps, 'cancel', ACTION_IDS.cancel);
}
