import type { SlackBotDeps } from '../deps.js';
import { submitActionModal } from './submit-action.js';

/** Submission of the "confirm_transfer" modal. */
export function confirmTransferSubmit(deps: SlackBotDeps) {
  return submitActionModal(deps, 'confirm_transfer');
}
