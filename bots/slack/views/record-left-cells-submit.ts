import type { SlackBotDeps } from '../deps.js';
import { submitActionModal } from './submit-action.js';

/** Submission of the "record_left_cells" modal. */
export function recordLeftCellsSubmit(deps: SlackBotDeps) {
  return submitActionModal(deps, 'record_left_cells');
}
