import { z } from 'zod';
import { accommodationSchema, instantSchema } from './bed-request.js';
import { recordedLeftForSchema } from './held-in-custody.js';
import { cancelReasonSchema, declineReasonSchema, stayReasonSchema } from './outcomes.js';
import { actorSchema } from './people.js';

export const transportSchema = z.enum(['la_collects', 'provider_collects', 'police_convey', 'other']);
export type Transport = z.infer<typeof transportSchema>;

export const TRANSPORT_LABELS: Record<Transport, string> = {
  la_collects: 'Local authority collects',
  provider_collects: 'Provider collects',
  police_convey: 'Police convey',
  other: 'Other (see notes)',
};

// Responder actions (duty team / EDT)
export const acknowledgeSchema = z.object({ kind: z.literal('acknowledge') });
export const offerBedSchema = z.object({
  kind: z.literal('offer_bed'),
  accommodation: accommodationSchema,
  provider: z.string().trim().min(2, 'Name the provider or placement').max(200),
  transport: transportSchema,
  notes: z.string().trim().max(1000).default(''),
});
export const declineSchema = z
  .object({
    kind: z.literal('decline'),
    reason: declineReasonSchema,
    notes: z.string().trim().max(1000).default(''),
  })
  .refine((d) => d.reason !== 'other' || d.notes.length >= 5, {
    path: ['notes'],
    message: 'Explain the reason in the notes when you choose "Other"',
  });
export const requestInfoSchema = z.object({
  kind: z.literal('request_info'),
  question: z.string().trim().min(5, 'Write the question (at least 5 characters)').max(1000),
});

// Custody actions (sergeant)
export const answerInfoSchema = z.object({
  kind: z.literal('answer_info'),
  questionId: z.string().min(1),
  answer: z.string().trim().min(1, 'Write the answer').max(2000),
});
/**
 * A transfer arranged outside chat (by phone) and never offered in Concordat: what the sergeant
 * knows of it (docs/legal-rules.md, "A transfer arranged by phone").
 */
export const arrangedTransferSchema = z.object({
  provider: z.string().trim().min(2, 'Name the provider or placement').max(200),
  accommodation: accommodationSchema,
  transport: transportSchema,
});
export type ArrangedTransfer = z.infer<typeof arrangedTransferSchema>;

export const confirmTransferSchema = z.object({
  kind: z.literal('confirm_transfer'),
  leftCustodyAt: instantSchema,
  /** Set when the transfer was arranged outside chat; absent when it follows the offer in chat. */
  arrangedOutsideChat: arrangedTransferSchema.optional(),
});
/** The child left the cells for court, on bail or released (docs/legal-rules.md, "A stay is not the end"). */
export const recordLeftCellsSchema = z.object({
  kind: z.literal('record_left_cells'),
  leftFor: recordedLeftForSchema,
  leftAt: instantSchema,
});
export const recordStaySchema = z.object({
  kind: z.literal('record_stay'),
  reason: stayReasonSchema,
  explanation: z
    .string()
    .trim()
    .min(10, 'Explain the circumstances for the certificate (at least 10 characters)')
    .max(2000),
});
/** The court sitting changed (listed earlier or later): audited (docs/legal-rules.md, "The court sitting is the hard deadline"). */
export const amendCourtSittingSchema = z.object({
  kind: z.literal('amend_court_sitting'),
  nextCourtSitting: instantSchema,
  reason: z.string().trim().min(5, 'Say why the court sitting changed (at least 5 characters)').max(500),
});
/** An inspector countersigns the stay's certificate (docs/legal-rules.md, "Countersignature by an inspector"). */
export const countersignSchema = z.object({ kind: z.literal('countersign') });
export const cancelSchema = z.object({
  kind: z.literal('cancel'),
  reason: cancelReasonSchema,
  notes: z.string().trim().max(1000).default(''),
});

export const requestActionSchema = z.discriminatedUnion('kind', [
  acknowledgeSchema,
  offerBedSchema,
  // discriminatedUnion needs plain objects; the decline refinement is re-checked in the workflow.
  z.object({
    kind: z.literal('decline'),
    reason: declineReasonSchema,
    notes: z.string().trim().max(1000).default(''),
  }),
  requestInfoSchema,
  answerInfoSchema,
  confirmTransferSchema,
  recordStaySchema,
  recordLeftCellsSchema,
  amendCourtSittingSchema,
  cancelSchema,
  countersignSchema,
]);
export type RequestAction = z.infer<typeof requestActionSchema>;
export type RequestActionKind = RequestAction['kind'];

export const RESPONDER_ACTIONS: readonly RequestActionKind[] = [
  'acknowledge',
  'offer_bed',
  'decline',
  'request_info',
];
export const CUSTODY_ACTIONS: readonly RequestActionKind[] = [
  'answer_info',
  'confirm_transfer',
  'record_stay',
  'record_left_cells',
  'amend_court_sitting',
  'cancel',
];

/** Inspector actions (a protocol option: countersigning a certificate). */
export const INSPECTOR_ACTIONS: readonly RequestActionKind[] = ['countersign'];

/** What the chat edge sends into the workflow: one signal carries every action. */
export const actionEnvelopeSchema = z.object({
  /** Unique per click/submission (Slack action_ts + user, Teams activity id); repeats are no-ops. */
  actionId: z.string().min(1),
  actor: actorSchema,
  action: requestActionSchema,
  /** Where to send a private reply if the action is refused (e.g. Slack channel for an ephemeral). */
  replyChannel: z.string().optional(),
  /**
   * When the client sent it (ISO), stamped by the Temporal client. Carried in history, so the
   * workflow decides the action's time identically on replay (docs/durability.md, "The stale clock").
   */
  sentAt: z.string().datetime({ offset: true }).optional(),
});
export type ActionEnvelope = z.infer<typeof actionEnvelopeSchema>;
