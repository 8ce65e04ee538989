import type { SlackBotDeps } from '../deps.js';
import { submitActionModal } from './submit-action.js';

/** Submission of the "amend_court_sitting" modal. */
export function amendCourtSittingSubmit(deps: SlackBotDeps) {
  return submitActionModal(deps, 'amend_court_sitting');
}
