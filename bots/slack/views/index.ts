import type { App } from '@slack/bolt';
import type { SlackBotDeps } from '../deps.js';
import { VIEW_IDS } from '../ids.js';
import { amendCourtSittingSubmit } from './amend-court-sitting-submit.js';
import { answerInfoSubmit } from './answer-info-submit.js';
import { bedRequestSubmit } from './bed-request-submit.js';
import { cancelSubmit } from './cancel-submit.js';
import { confirmTransferSubmit } from './confirm-transfer-submit.js';
import { declineSubmit } from './decline-submit.js';
import { offerBedSubmit } from './offer-bed-submit.js';
import { recordLeftCellsSubmit } from './record-left-cells-submit.js';
import { recordStaySubmit } from './record-stay-submit.js';
import { requestInfoSubmit } from './request-info-submit.js';

/** Modal submissions, by callback ID. */
export function register(app: App, deps: SlackBotDeps): void {
  app.view(VIEW_IDS.bedRequest, bedRequestSubmit(deps));
  app.view(VIEW_IDS.offerBed, offerBedSubmit(deps));
  app.view(VIEW_IDS.decline, declineSubmit(deps));
  app.view(VIEW_IDS.requestInfo, requestInfoSubmit(deps));
  app.view(VIEW_IDS.answerInfo, answerInfoSubmit(deps));
  app.view(VIEW_IDS.confirmTransfer, confirmTransferSubmit(deps));
  app.view(VIEW_IDS.recordStay, recordStaySubmit(deps));
  app.view(VIEW_IDS.recordLeftCells, recordLeftCellsSubmit(deps));
  app.view(VIEW_IDS.amendCourtSitting, amendCourtSittingSubmit(deps));
  app.view(VIEW_IDS.cancel, cancelSubmit(deps));
}
