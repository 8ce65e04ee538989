import type { z } from 'zod';
import {
  TRANSPORT_LABELS,
  amendCourtSittingSchema,
  answerInfoSchema,
  cancelSchema,
  confirmTransferSchema,
  declineSchema,
  offerBedSchema,
  recordLeftCellsSchema,
  recordStaySchema,
  requestInfoSchema,
  type RequestAction,
  type RequestActionKind,
} from '../../../domain/actions.js';
import {
  accommodationsFor,
  cancelReasonsFor,
  declineReasonsFor,
  stayReasonsFor,
} from '../../../domain/available-actions.js';
import { FailureCode } from '../../../domain/failures.js';
import { LEFT_CELLS_FOR_LABELS, recordedLeftForSchema } from '../../../domain/held-in-custody.js';
import { intakeProblems } from '../../../domain/intake.js';
import { CANCEL_REASON_LABELS, DECLINE_REASON_LABELS, STAY_REASON_LABELS } from '../../../domain/outcomes.js';
import { stayExplanationRefusal } from '../../../domain/request-rules.js';
import type { RequestView } from '../../../domain/request-view.js';
import { describeRefusal } from '../../shared/failure-text.js';
import { formErrors } from '../../shared/form-errors.js';
import {
  ACCOMMODATION_LABELS,
  ACTION_LABELS,
  DEFAULT_ZONE,
  ageLine,
  formatTime,
  offerText,
  timeLeftText,
} from '../../shared/view-text.js';
import {
  dateTimePicker,
  esc,
  input,
  modal,
  option,
  options,
  radios,
  section,
  select,
  textInput,
  type Block,
  type ModalView,
} from '../blocks/kit.js';
import { MODAL_FOR } from '../ids.js';
import {
  encodeModalMetadata,
  inputText,
  inputValue,
  type ModalMetadata,
  type StateValues,
} from '../payloads.js';
import { toLocalIso, toUnixSeconds } from './datetime.js';
import type { FormResult } from './bed-request-form.js';

/** Action kinds that are taken through a modal (Acknowledge and Countersign are a single click). */
export type ModalActionKind = Exclude<RequestActionKind, 'acknowledge' | 'countersign'>;

const TITLES: Record<ModalActionKind, string> = {
  offer_bed: 'Offer a bed',
  decline: 'Decline',
  request_info: 'Ask for information',
  answer_info: 'Answer the question',
  confirm_transfer: 'Confirm transfer',
  record_stay: 'Child stays',
  record_left_cells: 'Child left the cells',
  amend_court_sitting: 'Amend court sitting',
  cancel: 'Cancel request',
};

const SUBMITS: Record<ModalActionKind, string> = {
  offer_bed: 'Offer bed',
  decline: 'Decline',
  request_info: 'Send question',
  answer_info: 'Send answer',
  confirm_transfer: 'Confirm',
  record_stay: 'Record',
  record_left_cells: 'Record',
  amend_court_sitting: 'Amend',
  cancel: 'Cancel request',
};

function summary(view: RequestView, zone: string): Block {
  return section(
    `*${esc(view.caseRef)}* · ${esc(view.custodySuiteName)} · ${esc(ageLine(view))}\n` +
      `Charged ${esc(formatTime(view.chargedAt, zone))} · court ${esc(formatTime(view.nextCourtSitting, zone))}`,
  );
}

function fieldsFor(kind: ModalActionKind, view: RequestView, nowIso: string, zone: string): Block[] {
  switch (kind) {
    case 'offer_bed': {
      const types = accommodationsFor(view);
      return [
        input(
          'accommodation',
          'Type of accommodation',
          radios(
            types.map((t) => option(t, ACCOMMODATION_LABELS[t])),
            view.accommodation,
          ),
        ),
        input(
          'provider',
          'Provider or placement',
          textInput({ placeholder: 'e.g. Oak House children’s home' }),
        ),
        input('transport', 'Transport', select(options(TRANSPORT_LABELS))),
        input('notes', 'Notes for custody', textInput({ multiline: true }), { optional: true }),
      ];
    }
    case 'decline':
      return [
        section(
          'The local authority must accept a request for non-secure accommodation (Children Act 1989 s.21(2)(b)). ' +
            'A decline keeps the request open and escalation continues.',
        ),
        input(
          'reason',
          'Reason',
          select(declineReasonsFor(view).map((r) => option(r, DECLINE_REASON_LABELS[r]))),
        ),
        input('notes', 'Notes', textInput({ multiline: true }), {
          optional: true,
          hint: 'Required when the reason is Other.',
        }),
      ];
    case 'request_info':
      return [
        input('question', 'Your question for the custody sergeant', textInput({ multiline: true }), {
          hint: 'Do not ask for details you can see with View details.',
        }),
      ];
    case 'answer_info': {
      const open = view.questions.filter((q) => !q.answer);
      const blocks: Block[] = [];
      if (open.length > 1) {
        blocks.push(
          input(
            'questionId',
            'Question',
            select(
              open.map((q) => option(q.id, q.question)),
              open[0]?.id,
            ),
          ),
        );
      } else if (open[0]) {
        blocks.push(section(`*Question:* ${esc(open[0].question)}`));
      }
      blocks.push(input('answer', 'Your answer', textInput({ multiline: true })));
      return blocks;
    }
    case 'confirm_transfer': {
      const now = toUnixSeconds(nowIso);
      // No offer in chat: a transfer arranged by phone (docs/legal-rules.md, "A transfer arranged by phone").
      const arranged = view.offer
        ? []
        : [
            section(
              'No bed was offered in chat. Record the transfer that was arranged outside chat (by phone).',
            ),
            input(
              'arrangedOutsideChat.accommodation',
              'Type of accommodation',
              radios(
                accommodationsFor(view).map((t) => option(t, ACCOMMODATION_LABELS[t])),
                view.accommodation,
              ),
            ),
            input('arrangedOutsideChat.provider', 'Provider or placement', textInput({})),
            input('arrangedOutsideChat.transport', 'Transport', select(options(TRANSPORT_LABELS))),
          ];
      return [
        section(
          `:hourglass_flowing_sand: ${esc(timeLeftText(view, nowIso))}` +
            (view.offer ? `\n*Bed offered:* ${esc(offerText(view.offer))}` : ''),
        ),
        ...arranged,
        input('leftCustodyAt', 'Time the child left custody', dateTimePicker(now), {
          hint: `Local time (${zone}).`,
        }),
      ];
    }
    case 'amend_court_sitting':
      return [
        section(
          `The court sitting now: *${esc(formatTime(view.nextCourtSitting, zone))}*. The change is audited.`,
        ),
        input(
          'nextCourtSitting',
          'The new court sitting',
          dateTimePicker(toUnixSeconds(view.nextCourtSitting)),
          {
            hint: `Local time (${zone}).`,
          },
        ),
        input('reason', 'Why it changed', textInput({ multiline: true })),
      ];
    case 'record_left_cells':
      return [
        section(
          'The child is held after a stay. Record when and how the child left the police cells: this ends the ' +
            'request, and the time held and the overnight flag come from it.',
        ),
        input(
          'leftFor',
          'How the child left',
          radios(recordedLeftForSchema.options.map((r) => option(r, LEFT_CELLS_FOR_LABELS[r]))),
        ),
        input('leftAt', 'Time the child left the cells', dateTimePicker(toUnixSeconds(nowIso)), {
          hint: `Local time (${zone}).`,
        }),
      ];
    case 'record_stay':
      return [
        section(
          'Record why the child stays in police detention (the s.38(6) certificate for court). ' +
            'Under PACE Code C Note 16D neither the child’s behaviour nor the nature of the offence makes a ' +
            'transfer impracticable, and having no secure bed does not make a non-secure transfer impracticable.',
        ),
        input('reason', 'Reason', select(stayReasonsFor(view).map((r) => option(r, STAY_REASON_LABELS[r])))),
        input('explanation', 'Explain the circumstances for the certificate', textInput({ multiline: true })),
      ];
    case 'cancel':
      return [
        input('reason', 'Reason', select(cancelReasonsFor().map((r) => option(r, CANCEL_REASON_LABELS[r])))),
        input('notes', 'Notes', textInput({ multiline: true }), { optional: true }),
      ];
  }
}

/** The modal for one action on one request, a pure function of the view model. */
export function actionModal(
  kind: ModalActionKind,
  view: RequestView,
  meta: ModalMetadata,
  nowIso: string,
  zone: string = DEFAULT_ZONE,
): ModalView {
  const open = view.questions.filter((q) => !q.answer);
  const metadata: ModalMetadata = {
    ...meta,
    workflowId: view.workflowId,
    ...(kind === 'answer_info' && open.length === 1 && open[0] ? { questionId: open[0].id } : {}),
    ...(kind === 'record_stay' ? { accommodation: view.accommodation } : {}),
    ...(kind === 'amend_court_sitting' ? { chargedAt: view.chargedAt } : {}),
  };
  return modal({
    callbackId: MODAL_FOR[kind] ?? kind,
    title: TITLES[kind],
    submit: SUBMITS[kind],
    privateMetadata: encodeModalMetadata(metadata),
    blocks: [summary(view, zone), ...fieldsFor(kind, view, nowIso, zone)],
  });
}

const SCHEMAS: Record<ModalActionKind, z.ZodType<RequestAction, z.ZodTypeDef, unknown>> = {
  offer_bed: offerBedSchema,
  decline: declineSchema,
  request_info: requestInfoSchema,
  answer_info: answerInfoSchema,
  confirm_transfer: confirmTransferSchema,
  record_stay: recordStaySchema,
  record_left_cells: recordLeftCellsSchema,
  amend_court_sitting: amendCourtSittingSchema,
  cancel: cancelSchema,
};

export const ACTION_FIELDS: Record<ModalActionKind, readonly string[]> = {
  offer_bed: ['accommodation', 'provider', 'transport', 'notes'],
  decline: ['reason', 'notes'],
  request_info: ['question'],
  answer_info: ['answer', 'questionId'],
  confirm_transfer: [
    'leftCustodyAt',
    'arrangedOutsideChat.accommodation',
    'arrangedOutsideChat.provider',
    'arrangedOutsideChat.transport',
  ],
  record_stay: ['reason', 'explanation'],
  record_left_cells: ['leftFor', 'leftAt'],
  amend_court_sitting: ['nextCourtSitting', 'reason'],
  cancel: ['reason', 'notes'],
};

const REQUIRED_CHOICE: Partial<Record<string, string>> = {
  accommodation: 'Choose the type of accommodation',
  transport: 'Choose the transport',
  reason: 'Choose a reason',
  leftCustodyAt: 'Give the date and time the child left custody',
  leftFor: 'Choose how the child left',
  leftAt: 'Give the date and time the child left the cells',
  'arrangedOutsideChat.accommodation': 'Choose the type of accommodation',
  'arrangedOutsideChat.transport': 'Choose the transport',
  questionId: 'Choose the question you are answering',
};

/**
 * Parses a submitted action modal into the action the workflow receives. Problems come back keyed
 * by block ID. Pure: the law-only refusals (behaviour and offence as stay reasons, Note 16D) are
 * answered inline here; role and state are checked after the ack against the live request.
 */
export function parseActionSubmission(
  kind: ModalActionKind,
  values: StateValues,
  meta: ModalMetadata,
  zone: string = DEFAULT_ZONE,
  nowIso?: string,
): FormResult<RequestAction> {
  const text = (id: string) => inputText(values, id);
  const raw: Record<string, unknown> = { kind };
  switch (kind) {
    case 'offer_bed':
      Object.assign(raw, {
        accommodation: text('accommodation'),
        provider: text('provider') ?? '',
        transport: text('transport'),
        notes: text('notes') ?? '',
      });
      break;
    case 'decline':
    case 'cancel':
      Object.assign(raw, { reason: text('reason'), notes: text('notes') ?? '' });
      break;
    case 'request_info':
      raw.question = text('question') ?? '';
      break;
    case 'answer_info':
      Object.assign(raw, { questionId: text('questionId') ?? meta.questionId, answer: text('answer') ?? '' });
      break;
    case 'confirm_transfer':
      raw.leftCustodyAt = toLocalIso(inputValue(values, 'leftCustodyAt'), zone);
      // The form asks what was arranged by phone only when no bed was offered in chat.
      if (values['arrangedOutsideChat.provider'] !== undefined) {
        raw.arrangedOutsideChat = {
          accommodation: text('arrangedOutsideChat.accommodation'),
          provider: text('arrangedOutsideChat.provider') ?? '',
          transport: text('arrangedOutsideChat.transport'),
        };
      }
      break;
    case 'amend_court_sitting':
      Object.assign(raw, {
        nextCourtSitting: toLocalIso(inputValue(values, 'nextCourtSitting'), zone),
        reason: text('reason') ?? '',
      });
      break;
    case 'record_left_cells':
      Object.assign(raw, {
        leftFor: text('leftFor'),
        leftAt: toLocalIso(inputValue(values, 'leftAt'), zone),
      });
      break;
    case 'record_stay':
      Object.assign(raw, { reason: text('reason'), explanation: text('explanation') ?? '' });
      break;
  }
  const fields = ACTION_FIELDS[kind];
  const result = SCHEMAS[kind].safeParse(raw);
  const errors: Record<string, string> = result.success ? {} : formErrors(result.error, fields, fields[0]);
  for (const [field, message] of Object.entries(REQUIRED_CHOICE)) {
    if (message && errors[field] && inputValue(values, field) === undefined) errors[field] = message;
  }
  if (kind === 'answer_info' && errors.questionId && !(fields.includes('questionId') && values.questionId)) {
    // No question selector was shown: the metadata lost the question. Say so on the answer field.
    errors.answer = errors.answer ?? 'This question is no longer open: close this and use the latest message';
    delete errors.questionId;
  }
  if (kind === 'record_stay' && raw.reason === 'child_behaviour') {
    errors.reason = describeRefusal({ code: FailureCode.StayReasonBehaviour });
  }
  if (kind === 'record_stay' && raw.reason === 'nature_of_offence') {
    errors.reason = describeRefusal({ code: FailureCode.StayReasonOffence });
  }
  // An amended sitting already passed, or not after the charge: the request form's own check
  // (domain/intake.ts), shown on the field (the workflow refuses it too).
  if (kind === 'amend_court_sitting' && result.success && meta.chargedAt && nowIso) {
    const problem = intakeProblems(
      { chargedAt: meta.chargedAt, nextCourtSitting: String(raw.nextCourtSitting) },
      nowIso,
      zone,
    ).nextCourtSitting;
    if (problem) errors.nextCourtSitting = problem;
  }
  // Note 16D through the words: the same screen the desk and the workflow run, shown on the field.
  if (kind === 'record_stay' && result.success && meta.accommodation) {
    const screened = stayExplanationRefusal({ accommodation: meta.accommodation }, result.data);
    if (screened) errors.explanation = describeRefusal(screened);
  }
  if (Object.keys(errors).length > 0 || !result.success) {
    return {
      ok: false,
      errors: Object.keys(errors).length ? errors : { [fields[0] ?? 'reason']: 'Check the form' },
    };
  }
  return { ok: true, value: result.data };
}

export function actionLabel(kind: RequestActionKind): string {
  return ACTION_LABELS[kind];
}
