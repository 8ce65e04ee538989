import type { SlackBotDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { openActionModal } from './open-modal.js';

/** The "record_left_cells" button (a held child left the cells): opens its modal after the pre-check. */
export function recordLeftCellsButton(deps: SlackBotDeps) {
  return openActionModal(deps, 'record_left_cells', ACTION_IDS.recordLeftCells);
}
