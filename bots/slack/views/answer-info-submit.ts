import type { SlackBotDeps } from '../deps.js';
import { submitActionModal } from './submit-action.js';

/** Submission of the "answer_info" modal. */
export function answerInfoSubmit(deps: SlackBotDeps) {
  return submitActionModal(deps, 'answer_info');
}
