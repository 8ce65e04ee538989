import { z } from 'zod';

/**
 * The verbs Concordat's Teams cards carry, and the data each button sends back. One place, so
 * the card builders and the invoke handlers cannot drift apart.
 */
export const VERBS = {
  submitRequest: 'bedrequest.submit',
  refresh: 'refresh',
  viewDetails: 'view_details',
  acknowledge: 'acknowledge',
  offerBed: 'offer_bed',
  decline: 'decline',
  requestInfo: 'request_info',
  answerInfo: 'answer_info',
  confirmTransfer: 'confirm_transfer',
  recordStay: 'record_stay',
  recordLeftCells: 'record_left_cells',
  amendCourtSitting: 'amend_court_sitting',
  cancel: 'cancel',
  /** An inspector countersigns the certificate (a protocol option: domain/countersignature.ts). */
  countersign: 'countersign',
} as const;

export const ACTION_VERBS = [
  VERBS.acknowledge,
  VERBS.offerBed,
  VERBS.decline,
  VERBS.requestInfo,
  VERBS.answerInfo,
  VERBS.confirmTransfer,
  VERBS.recordStay,
  VERBS.recordLeftCells,
  VERBS.amendCourtSitting,
  VERBS.cancel,
  VERBS.countersign,
] as const;

export const audienceSchema = z.enum(['responder', 'custody', 'page', 'inspector']);
export type CardAudience = z.infer<typeof audienceSchema>;

/** What every request-card button carries (inputs come alongside, keyed by INPUTS ids). */
export const cardRefSchema = z.object({
  workflowId: z.string().min(1, 'The card does not name a request').max(200),
  audience: audienceSchema.default('responder'),
});
export type CardRef = z.infer<typeof cardRefSchema>;

/** Input ids on the request cards. Unique within a card, as Adaptive Cards require. */
export const INPUTS = {
  offerAccommodation: 'offer_accommodation',
  offerProvider: 'offer_provider',
  offerTransport: 'offer_transport',
  offerNotes: 'offer_notes',
  declineReason: 'decline_reason',
  declineNotes: 'decline_notes',
  question: 'info_question',
  answerPrefix: 'answer_',
  leftDate: 'left_date',
  leftTime: 'left_time',
  stayReason: 'stay_reason',
  stayExplanation: 'stay_explanation',
  cancelReason: 'cancel_reason',
  cancelNotes: 'cancel_notes',
  /** A transfer arranged by phone (no offer in chat). */
  arrangedAccommodation: 'arranged_accommodation',
  arrangedProvider: 'arranged_provider',
  arrangedTransport: 'arranged_transport',
  leftFor: 'left_for',
  leftCellsDate: 'left_cells_date',
  leftCellsTime: 'left_cells_time',
  courtDate: 'amend_court_date',
  courtTime: 'amend_court_time',
  courtReason: 'amend_court_reason',
} as const;

export function answerInputId(questionId: string): string {
  return `${INPUTS.answerPrefix}${questionId}`;
}
