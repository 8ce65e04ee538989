import type { RequestActionKind } from '../../domain/actions.js';

/**
 * Stable Slack identifiers. Buttons already posted in channels carry these, so changing one
 * strands every open card: add new IDs, never rename old ones. The manifest uses the same command.
 */
export const COMMAND = '/bedrequest';

/** Button action IDs. Each button's value is the request's workflow ID. */
export const ACTION_IDS = {
  acknowledge: 'concordat.acknowledge',
  offerBed: 'concordat.offer_bed',
  decline: 'concordat.decline',
  requestInfo: 'concordat.request_info',
  viewDetails: 'concordat.view_details',
  answerInfo: 'concordat.answer_info',
  confirmTransfer: 'concordat.confirm_transfer',
  recordStay: 'concordat.record_stay',
  recordLeftCells: 'concordat.record_left_cells',
  amendCourtSitting: 'concordat.amend_court_sitting',
  cancel: 'concordat.cancel',
  /** An inspector countersigns the certificate (a protocol option: domain/countersignature.ts). */
  countersign: 'concordat.countersign',
} as const;

/** Modal callback IDs. */
export const VIEW_IDS = {
  bedRequest: 'concordat.bed_request_form',
  offerBed: 'concordat.offer_bed_form',
  decline: 'concordat.decline_form',
  requestInfo: 'concordat.request_info_form',
  answerInfo: 'concordat.answer_info_form',
  confirmTransfer: 'concordat.confirm_transfer_form',
  recordStay: 'concordat.record_stay_form',
  recordLeftCells: 'concordat.record_left_cells_form',
  amendCourtSitting: 'concordat.amend_court_sitting_form',
  cancel: 'concordat.cancel_form',
} as const;

/** The modal callback ID for each action kind that is taken through a modal. */
export const MODAL_FOR: Partial<Record<RequestActionKind, string>> = {
  offer_bed: VIEW_IDS.offerBed,
  decline: VIEW_IDS.decline,
  request_info: VIEW_IDS.requestInfo,
  answer_info: VIEW_IDS.answerInfo,
  confirm_transfer: VIEW_IDS.confirmTransfer,
  record_stay: VIEW_IDS.recordStay,
  record_left_cells: VIEW_IDS.recordLeftCells,
  amend_court_sitting: VIEW_IDS.amendCourtSitting,
  cancel: VIEW_IDS.cancel,
};

/** Every input element in every modal has this action ID; the block ID is the field name. */
export const INPUT_ACTION_ID = 'value';
