import type { SlackBotDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { openActionModal } from './open-modal.js';

/** The "answer_info" button: opens its modal after the role × state pre-check. */
export function answerInfoButton(deps: SlackBotDeps) {
  return openActionModal(deps, 'answer_info', ACTION_IDS.answerInfo);
}
