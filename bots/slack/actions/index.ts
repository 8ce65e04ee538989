import type { App } from '@slack/bolt';
import type { SlackBotDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { acknowledgeButton } from './acknowledge.js';
import { amendCourtSittingButton } from './amend-court-sitting.js';
import { answerInfoButton } from './answer-info.js';
import { cancelButton } from './cancel.js';
import { confirmTransferButton } from './confirm-transfer.js';
import { countersignButton } from './countersign.js';
import { declineButton } from './decline.js';
import { offerBedButton } from './offer-bed.js';
import { recordLeftCellsButton } from './record-left-cells.js';
import { recordStayButton } from './record-stay.js';
import { requestInfoButton } from './request-info.js';
import { viewDetailsButton } from './view-details.js';

/** Card buttons, by stable action ID. */
export function register(app: App, deps: SlackBotDeps): void {
  const on = (actionId: string, handler: ReturnType<typeof acknowledgeButton>) =>
    app.action({ type: 'block_actions', action_id: actionId }, handler);
  on(ACTION_IDS.acknowledge, acknowledgeButton(deps));
  on(ACTION_IDS.offerBed, offerBedButton(deps));
  on(ACTION_IDS.decline, declineButton(deps));
  on(ACTION_IDS.requestInfo, requestInfoButton(deps));
  on(ACTION_IDS.viewDetails, viewDetailsButton(deps));
  on(ACTION_IDS.answerInfo, answerInfoButton(deps));
  on(ACTION_IDS.confirmTransfer, confirmTransferButton(deps));
  on(ACTION_IDS.recordStay, recordStayButton(deps));
  on(ACTION_IDS.recordLeftCells, recordLeftCellsButton(deps));
  on(ACTION_IDS.amendCourtSitting, amendCourtSittingButton(deps));
  on(ACTION_IDS.cancel, cancelButton(deps));
  on(ACTION_IDS.countersign, countersignButton(deps));
}
