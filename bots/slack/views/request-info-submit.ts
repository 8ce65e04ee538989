import type { SlackBotDeps } from '../deps.js';
import { submitActionModal } from './submit-action.js';

/** Submission of the "request_info" modal. */
export function requestInfoSubmit(deps: SlackBotDeps) {
  return submitActionModal(deps, 'request_info');
}
