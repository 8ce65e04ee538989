import type { SlackBotDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { openActionModal } from './open-modal.js';

/** The "confirm_transfer" button: opens its modal after the role × state pre-check. */
export function confirmTransferButton(deps: SlackBotDeps) {
  return openActionModal(deps, 'confirm_transfer', ACTION_IDS.confirmTransfer);
}
