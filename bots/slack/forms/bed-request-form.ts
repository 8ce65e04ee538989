import {
  BAIL_REFUSAL_GROUND_LABELS,
  bedRequestInputSchema,
  type BedRequestInput,
} from '../../../domain/bed-request.js';
import { codedChoices } from '../../../domain/demographics.js';
import type { Actor } from '../../../domain/people.js';
import { demographicsOf, type Protocol } from '../../../domain/protocol.js';
import { intakeProblems } from '../../../domain/intake.js';
import { formErrors } from '../../shared/form-errors.js';
import { ACCOMMODATION_LABELS } from '../../shared/view-text.js';
import {
  context,
  datePicker,
  dateTimePicker,
  input,
  modal,
  numberInput,
  option,
  options,
  radios,
  section,
  select,
  textInput,
  type ModalView,
} from '../blocks/kit.js';
import { VIEW_IDS } from '../ids.js';
import {
  encodeModalMetadata,
  inputText,
  inputValue,
  type ModalMetadata,
  type StateValues,
} from '../payloads.js';
import { toLocalIso } from './datetime.js';

/** Block IDs of the request form: each is the field's path in bedRequestInputSchema. */
export const BED_REQUEST_FIELDS = [
  'custodyRecordNumber',
  'custodySuiteId',
  'child.pncId',
  'child.givenName',
  'child.familyName',
  'child.dateOfBirth',
  'age',
  'homeLocalAuthorityId',
  'chargedAt',
  'bailRefusalGround',
  'nextCourtSitting',
  'accommodation',
  'seriousHarmJustification',
  'needsAndRisks',
  'ethnicity',
  'sex',
] as const;
export type BedRequestField = (typeof BED_REQUEST_FIELDS)[number];

/** The request form modal, built from the protocol's suites and local authorities. */
export function bedRequestModal(protocol: Protocol, meta: ModalMetadata): ModalView {
  const suites = protocol.custodySuites.map((s) => option(s.id, s.name));
  const las = protocol.localAuthorities.map((l) => option(l.id, l.name));
  const onlySuite = protocol.custodySuites.length === 1 ? protocol.custodySuites[0]?.id : undefined;
  const demographics = demographicsOf(protocol);
  return modal({
    callbackId: VIEW_IDS.bedRequest,
    title: 'Bed request',
    submit: 'Send request',
    close: 'Cancel',
    privateMetadata: encodeModalMetadata(meta),
    blocks: [
      section(
        'A child charged and refused bail must move to local authority accommodation (PACE s.38(6)). ' +
          'The duty team or EDT sees the case reference, age and times only; identity is kept private.',
      ),
      input('custodyRecordNumber', 'Custody record number', textInput({ placeholder: 'e.g. NC-2013-0218' })),
      input('custodySuiteId', 'Custody suite', select(suites, onlySuite)),
      input('child.pncId', 'PNC ID', textInput({ placeholder: '13/123456A' }), {
        optional: true,
        hint: 'Give the PNC ID, or the given name, family name and date of birth.',
      }),
      input('child.givenName', 'Given name', textInput(), { optional: true }),
      input('child.familyName', 'Family name', textInput(), { optional: true }),
      input('child.dateOfBirth', 'Date of birth', datePicker(), { optional: true }),
      input('age', 'Age at charge', numberInput()),
      input('homeLocalAuthorityId', 'Child’s home local authority', select(las)),
      input('chargedAt', 'Time of charge', dateTimePicker(), {
        hint: `Local time (${protocol.force.timeZone}).`,
      }),
      input('bailRefusalGround', 'Ground for refusing bail', select(options(BAIL_REFUSAL_GROUND_LABELS))),
      input('nextCourtSitting', 'Next court sitting', dateTimePicker(), {
        hint: 'The first sitting of the magistrates’ court after charge (PACE s.46).',
      }),
      input('accommodation', 'Accommodation needed', radios(options(ACCOMMODATION_LABELS), 'non_secure')),
      input(
        'seriousHarmJustification',
        'Why other accommodation would not protect the public from serious harm',
        textInput({ multiline: true }),
        { optional: true, hint: 'Required for a secure request (s.38(6)(b)); the child must be 12 or over.' },
      ),
      input('needsAndRisks', 'Needs and risks', textInput({ multiline: true }), {
        optional: true,
        hint: 'Health, medication, vulnerability. Not shown on the responder card.',
      }),
      // Optional, for monitoring disproportionality in aggregate only: never shown on a card
      // (docs/demographics.md). The codes are the values; the labels say what each means.
      ...(demographics.collect
        ? [
            input('ethnicity', 'Self-defined ethnicity (optional)', select(codedOptions('ethnicity')), {
              optional: true,
              hint: demographics.formHint,
            }),
            input('sex', 'Sex (optional)', select(codedOptions('sex')), {
              optional: true,
              hint: demographics.formHint,
            }),
          ]
        : []),
      context(['Times are in the force’s local time; the request starts the escalation clock.']) ??
        section(' '),
    ],
  });
}

/** "W1: White: English, …" (the code first, as on the custody record), within Slack's 75 characters. */
function codedOptions(field: 'ethnicity' | 'sex') {
  return codedChoices(field).map((c) => option(c.code, c.label));
}

/** Reads the submitted state into the shape bedRequestInputSchema parses. */
export interface RawBedRequestForm {
  custodyRecordNumber: string;
  custodySuiteId: string;
  child: Record<string, string | undefined>;
  age: string | undefined;
  homeLocalAuthorityId: string;
  chargedAt: string | undefined;
  bailRefusalGround: string | undefined;
  nextCourtSitting: string | undefined;
  accommodation: string | undefined;
  seriousHarmJustification: string | undefined;
  needsAndRisks: string;
  ethnicity: string | undefined;
  sex: string | undefined;
  requestingOfficer: Actor;
}

export function readBedRequestForm(values: StateValues, actor: Actor, zone: string): RawBedRequestForm {
  const text = (id: BedRequestField) => inputText(values, id);
  return {
    custodyRecordNumber: text('custodyRecordNumber') ?? '',
    custodySuiteId: text('custodySuiteId') ?? '',
    child: {
      pncId: text('child.pncId'),
      givenName: text('child.givenName'),
      familyName: text('child.familyName'),
      dateOfBirth: text('child.dateOfBirth'),
    },
    age: text('age'),
    homeLocalAuthorityId: text('homeLocalAuthorityId') ?? '',
    chargedAt: toLocalIso(inputValue(values, 'chargedAt'), zone),
    bailRefusalGround: text('bailRefusalGround'),
    nextCourtSitting: toLocalIso(inputValue(values, 'nextCourtSitting'), zone),
    accommodation: text('accommodation'),
    seriousHarmJustification: text('seriousHarmJustification'),
    needsAndRisks: text('needsAndRisks') ?? '',
    ethnicity: text('ethnicity'),
    sex: text('sex'),
    requestingOfficer: actor,
  };
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

/**
 * Parses a submitted request form. Every problem comes back keyed by block ID for
 * `response_action: 'errors'`; nothing here throws, and nothing here calls Temporal or the store.
 */
export function parseBedRequestSubmission(
  values: StateValues,
  actor: Actor,
  protocol: Protocol,
  /** The desk's clock: the times and ages are checked against it (domain/intake.ts). */
  nowIso: string,
): FormResult<BedRequestInput> {
  const read = readBedRequestForm(values, actor, protocol.force.timeZone);
  // Not collected: whatever a crafted submission carries for them is dropped (docs/demographics.md).
  const raw = demographicsOf(protocol).collect ? read : { ...read, ethnicity: undefined, sex: undefined };
  const result = bedRequestInputSchema.safeParse(raw);
  const errors: Record<string, string> = result.success
    ? {}
    : formErrors(result.error, BED_REQUEST_FIELDS, 'custodyRecordNumber');
  // A zod message for a missing select is "Required"; say which choice is missing instead.
  const required: Partial<Record<BedRequestField, string>> = {
    age: 'Give the child’s age at charge, as a whole number',
    bailRefusalGround: 'Choose the ground on which bail was refused',
    accommodation: 'Choose non-secure or secure',
    chargedAt: 'Give the date and time of charge',
    nextCourtSitting: 'Give the date and time of the next court sitting',
  };
  for (const [field, message] of Object.entries(required)) {
    if (errors[field] && inputValue(values, field) === undefined) errors[field] = message;
  }
  // Against the clock and in the force's zone: the same rule the desk applies before a start.
  for (const [field, message] of Object.entries(intakeProblems(raw, nowIso, protocol.force.timeZone))) {
    if (!errors[field]) errors[field] = message;
  }
  if (raw.custodySuiteId && !protocol.custodySuites.some((s) => s.id === raw.custodySuiteId)) {
    errors.custodySuiteId = 'That custody suite is not in the protocol file: choose one from the list';
  }
  if (raw.homeLocalAuthorityId && !protocol.localAuthorities.some((l) => l.id === raw.homeLocalAuthorityId)) {
    errors.homeLocalAuthorityId =
      'That local authority is not in the protocol file: choose one from the list';
  }
  if (Object.keys(errors).length > 0 || !result.success) {
    return {
      ok: false,
      errors: Object.keys(errors).length ? errors : { custodyRecordNumber: 'Check the form' },
    };
  }
  return { ok: true, value: result.data };
}
