import type { SlackBotDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { openActionModal } from './open-modal.js';

/** The "record_stay" button: opens its modal after the role × state pre-check. */
export function recordStayButton(deps: SlackBotDeps) {
  return openActionModal(deps, 'record_stay', ACTION_IDS.recordStay);
}
