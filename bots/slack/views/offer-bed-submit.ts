import type { SlackBotDeps } from '../deps.js';
import { submitActionModal } from './submit-action.js';

/** Submission of the "offer_bed" modal. */
export function offerBedSubmit(deps: SlackBotDeps) {
  return submitActionModal(deps, 'offer_bed');
}
