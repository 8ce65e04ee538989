import { z } from 'zod';
import {
  acknowledgeSchema,
  amendCourtSittingSchema,
  actionEnvelopeSchema,
  answerInfoSchema,
  cancelSchema,
  confirmTransferSchema,
  countersignSchema,
  declineSchema,
  offerBedSchema,
  recordLeftCellsSchema,
  recordStaySchema,
  requestInfoSchema,
  type ActionEnvelope,
  type RequestActionKind,
} from '../../../domain/actions.js';
import type { Actor } from '../../../domain/people.js';
import { formErrors } from '../../shared/form-errors.js';
import { combineLocal } from '../local-time.js';
import { ACTION_VERBS, INPUTS, answerInputId, cardRefSchema, type CardRef } from '../cards/verbs.js';

/** Card data as Teams delivers it: a flat object of strings (the button's data plus the inputs). */
export const cardDataSchema = z.record(z.string(), z.unknown());

export type ActionVerb = (typeof ACTION_VERBS)[number];

export function isActionVerb(verb: string): verb is ActionVerb {
  return (ACTION_VERBS as readonly string[]).includes(verb);
}

export type ParsedCardAction =
  | { ok: true; ref: CardRef; envelope: ActionEnvelope }
  /** `fields`: the names of the wrong inputs, for the refusal audit (never their values). */
  | { ok: false; ref: CardRef | null; problems: string[]; fields: string[] };

/** Labels that name a field in an error line, per action. */
const FIELD_LABELS: Partial<Record<RequestActionKind, Record<string, string>>> = {
  offer_bed: {
    accommodation: 'Accommodation',
    provider: 'Provider or placement',
    transport: 'Transport',
    notes: 'Notes',
  },
  decline: { reason: 'Reason for declining', notes: 'Notes' },
  request_info: { question: 'Question' },
  answer_info: { questionId: 'Question', answer: 'Answer' },
  confirm_transfer: {
    leftCustodyAt: 'When the child left custody',
    'arrangedOutsideChat.accommodation': 'Type of accommodation',
    'arrangedOutsideChat.provider': 'Provider or placement',
    'arrangedOutsideChat.transport': 'Transport',
  },
  record_left_cells: { leftFor: 'How the child left', leftAt: 'When the child left the cells' },
  amend_court_sitting: { nextCourtSitting: 'The new court sitting', reason: 'Why it changed' },
  record_stay: { reason: 'Reason the child stays', explanation: 'Circumstances' },
  cancel: { reason: 'Reason for cancelling', notes: 'Notes' },
};

const CHOOSE: Record<string, string> = {
  accommodation: 'Choose secure or non-secure',
  transport: 'Choose the transport',
  reason: 'Choose a reason from the list',
};

function str(data: Record<string, unknown>, key: string): string | undefined {
  const v = data[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** The action object for a verb, before validation, from the card's inputs. */
function actionPayload(
  verb: ActionVerb,
  data: Record<string, unknown>,
  zone: string,
): { payload: unknown; problems: string[] } {
  switch (verb) {
    case 'acknowledge':
    case 'countersign':
      return { payload: { kind: verb }, problems: [] };
    case 'offer_bed':
      return {
        payload: {
          kind: verb,
          accommodation: str(data, INPUTS.offerAccommodation),
          provider: str(data, INPUTS.offerProvider) ?? '',
          transport: str(data, INPUTS.offerTransport),
          notes: str(data, INPUTS.offerNotes) ?? '',
        },
        problems: [],
      };
    case 'decline':
      return {
        payload: {
          kind: verb,
          reason: str(data, INPUTS.declineReason),
          notes: str(data, INPUTS.declineNotes) ?? '',
        },
        problems: [],
      };
    case 'request_info':
      return { payload: { kind: verb, question: str(data, INPUTS.question) ?? '' }, problems: [] };
    case 'answer_info': {
      const questionId = str(data, 'questionId') ?? '';
      return {
        payload: {
          kind: verb,
          questionId,
          answer: questionId ? (str(data, answerInputId(questionId)) ?? '') : '',
        },
        problems: [],
      };
    }
    case 'confirm_transfer': {
      const left = combineLocal(
        str(data, INPUTS.leftDate),
        str(data, INPUTS.leftTime),
        zone,
        'the child left custody',
      );
      // The card asks what was arranged by phone only when no bed was offered in chat.
      const arranged =
        data[INPUTS.arrangedProvider] !== undefined
          ? {
              arrangedOutsideChat: {
                accommodation: str(data, INPUTS.arrangedAccommodation),
                provider: str(data, INPUTS.arrangedProvider) ?? '',
                transport: str(data, INPUTS.arrangedTransport),
              },
            }
          : {};
      return left.ok
        ? { payload: { kind: verb, leftCustodyAt: left.iso, ...arranged }, problems: [] }
        : { payload: null, problems: [`When the child left custody: ${left.message}`] };
    }
    case 'amend_court_sitting': {
      const court = combineLocal(
        str(data, INPUTS.courtDate),
        str(data, INPUTS.courtTime),
        zone,
        'the new court sitting',
      );
      return court.ok
        ? {
            payload: { kind: verb, nextCourtSitting: court.iso, reason: str(data, INPUTS.courtReason) ?? '' },
            problems: [],
          }
        : { payload: null, problems: [`The new court sitting: ${court.message}`] };
    }
    case 'record_left_cells': {
      const left = combineLocal(
        str(data, INPUTS.leftCellsDate),
        str(data, INPUTS.leftCellsTime),
        zone,
        'the child left the cells',
      );
      return left.ok
        ? { payload: { kind: verb, leftFor: str(data, INPUTS.leftFor), leftAt: left.iso }, problems: [] }
        : { payload: null, problems: [`When the child left the cells: ${left.message}`] };
    }
    case 'record_stay':
      return {
        payload: {
          kind: verb,
          reason: str(data, INPUTS.stayReason),
          explanation: str(data, INPUTS.stayExplanation) ?? '',
        },
        problems: [],
      };
    case 'cancel':
      return {
        payload: {
          kind: verb,
          reason: str(data, INPUTS.cancelReason),
          notes: str(data, INPUTS.cancelNotes) ?? '',
        },
        problems: [],
      };
  }
}

const ACTION_SCHEMAS: Record<ActionVerb, z.ZodTypeAny> = {
  acknowledge: acknowledgeSchema,
  offer_bed: offerBedSchema,
  decline: declineSchema,
  request_info: requestInfoSchema,
  answer_info: answerInfoSchema,
  confirm_transfer: confirmTransferSchema,
  record_stay: recordStaySchema,
  record_left_cells: recordLeftCellsSchema,
  amend_court_sitting: amendCourtSittingSchema,
  cancel: cancelSchema,
  countersign: countersignSchema,
};

/**
 * A button press on a request card → the ActionEnvelope the workflow receives, validated by the
 * domain's action schemas. Problems name the field ("Provider or placement: Name the provider…")
 * and change nothing.
 */
export function parseCardAction(
  verb: ActionVerb,
  rawData: unknown,
  context: { actor: Actor; actionId: string; replyChannel?: string; zone: string },
): ParsedCardAction {
  const data = cardDataSchema.safeParse(rawData ?? {});
  if (!data.success)
    return { ok: false, ref: null, problems: ['The card sent no data. Refresh the card.'], fields: ['data'] };
  const ref = cardRefSchema.safeParse(data.data);
  if (!ref.success)
    return {
      ok: false,
      ref: null,
      problems: ['The card does not name a request. Refresh it.'],
      fields: ['workflowId'],
    };
  const { payload, problems } = actionPayload(verb, data.data, context.zone);
  if (problems.length) return { ok: false, ref: ref.data, problems, fields: ['when'] };
  const action = ACTION_SCHEMAS[verb].safeParse(payload);
  if (!action.success) {
    const labels = FIELD_LABELS[verb] ?? {};
    const byField = formErrors(action.error);
    return {
      ok: false,
      ref: ref.data,
      fields: Object.keys(byField),
      problems: Object.entries(byField).map(([field, message]) => {
        const friendly = /^Invalid enum value|^Required$|^Expected /.test(message)
          ? (CHOOSE[field] ?? 'This is required')
          : message;
        return `${labels[field] ?? field}: ${friendly}`;
      }),
    };
  }
  const envelope = actionEnvelopeSchema.safeParse({
    actionId: context.actionId,
    actor: context.actor,
    action: action.data as unknown,
    ...(context.replyChannel ? { replyChannel: context.replyChannel } : {}),
  });
  if (!envelope.success) {
    const byField = formErrors(envelope.error);
    return { ok: false, ref: ref.data, problems: Object.values(byField), fields: Object.keys(byField) };
  }
  return { ok: true, ref: ref.data, envelope: envelope.data };
}
