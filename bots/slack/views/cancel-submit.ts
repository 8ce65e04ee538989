import type { SlackBotDeps } from '../deps.js';
import { submitActionModal } from './submit-action.js';

/** Submission of the "cancel" modal. */
export function cancelSubmit(deps: SlackBotDeps) {
  return submitActionModal(deps, 'cancel');
}
