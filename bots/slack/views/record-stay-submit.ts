import type { SlackBotDeps } from '../deps.js';
import { submitActionModal } from './submit-action.js';

/** Submission of the "record_stay" modal. */
export function recordStaySubmit(deps: SlackBotDeps) {
  return submitActionModal(deps, 'record_stay');
}
