import type { SlackBotDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { openActionModal } from './open-modal.js';

/** The "request_info" button: opens its modal after the role × state pre-check. */
export function requestInfoButton(deps: SlackBotDeps) {
  return openActionModal(deps, 'request_info', ACTION_IDS.requestInfo);
}
