import type { SlackBotDeps } from '../deps.js';
import { submitActionModal } from './submit-action.js';

/** Submission of the "decline" modal. */
export function declineSubmit(deps: SlackBotDeps) {
  return submitActionModal(deps, 'decline');
}
