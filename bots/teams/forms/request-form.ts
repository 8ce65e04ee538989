import { z } from 'zod';
import {
  bedRequestInputSchema,
  type BedRequestForm,
  type BedRequestInput,
} from '../../../domain/bed-request.js';
import { intakeProblems } from '../../../domain/intake.js';
import type { Actor } from '../../../domain/people.js';
import type { Protocol } from '../../../domain/protocol.js';
import { formErrors } from '../../shared/form-errors.js';
import {
  FORM_FIELDS,
  FORM_INPUTS,
  FORM_LEVEL,
  type FormInputId,
  type RequestFormValues,
} from '../cards/request-form-card.js';
import { combineLocal } from '../local-time.js';

/** Teams sends input values as strings (numbers sometimes as numbers); anything else is dropped. */
const inputValue = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .optional()
  .catch(undefined);

/** The submitted card data: only the form's own inputs survive; unknown keys are ignored. */
export const formSubmissionSchema = z.object(
  Object.fromEntries(FORM_INPUTS.map((id) => [id, inputValue])) as Record<FormInputId, typeof inputValue>,
);

export type FormResult =
  | { ok: true; input: BedRequestInput; values: RequestFormValues }
  | { ok: false; errors: Record<string, string>; values: RequestFormValues };

const FIELD_PATHS = FORM_FIELDS.map((f) => f.path);

function blankToUndefined(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

/**
 * Validates a form submission with the domain's bedRequestInputSchema (the same schema the Slack
 * edge uses), after turning the card's date and time pickers into instants in the force's zone
 * and checking the suite and local authority against the protocol file. Errors are keyed by the
 * schema's field path, so the card can name each field.
 */
export function parseRequestForm(
  raw: unknown,
  context: {
    actor: Actor;
    protocol: Pick<Protocol, 'custodySuites' | 'localAuthorities' | 'force'> &
      Partial<Pick<Protocol, 'demographics'>>;
    /** The desk's clock: the times and ages are checked against it (domain/intake.ts). */
    nowIso: string;
  },
): FormResult {
  const parsed = formSubmissionSchema.safeParse(raw && typeof raw === 'object' ? raw : {});
  const values: RequestFormValues = parsed.success ? parsed.data : {};
  const zone = context.protocol.force.timeZone;
  const errors: Record<string, string> = {};

  const charged = combineLocal(values.chargedDate, values.chargedTime, zone, 'of charge');
  const court = combineLocal(values.courtDate, values.courtTime, zone, 'of the next court sitting');
  if (!charged.ok) errors.chargedAt = charged.message;
  if (!court.ok) errors.nextCourtSitting = court.message;

  if (!blankToUndefined(values.age)) errors.age = 'Give the child’s age';
  const suiteId = blankToUndefined(values.custodySuiteId);
  if (suiteId && !context.protocol.custodySuites.some((s) => s.id === suiteId)) {
    errors.custodySuiteId = 'That custody suite is not in the protocol file: choose one from the list';
  }
  const laId = blankToUndefined(values.homeLocalAuthorityId);
  if (laId && !context.protocol.localAuthorities.some((l) => l.id === laId)) {
    errors.homeLocalAuthorityId =
      'That local authority is not in the protocol file: choose one from the list';
  }

  const form: BedRequestForm = {
    custodyRecordNumber: values.custodyRecordNumber ?? '',
    custodySuiteId: suiteId ?? '',
    child: {
      pncId: blankToUndefined(values.pncId),
      givenName: blankToUndefined(values.givenName),
      familyName: blankToUndefined(values.familyName),
      dateOfBirth: blankToUndefined(values.dateOfBirth),
    },
    age: Number(blankToUndefined(values.age) ?? Number.NaN),
    homeLocalAuthorityId: laId ?? '',
    // A placeholder keeps the schema's other cross-field checks running; the picker error wins.
    chargedAt: charged.ok ? charged.iso : '',
    bailRefusalGround: (blankToUndefined(values.bailRefusalGround) ??
      '') as BedRequestForm['bailRefusalGround'],
    nextCourtSitting: court.ok ? court.iso : '',
    accommodation: (blankToUndefined(values.accommodation) ?? '') as BedRequestForm['accommodation'],
    seriousHarmJustification: blankToUndefined(values.seriousHarmJustification),
    needsAndRisks: values.needsAndRisks ?? '',
    // Not collected: whatever a crafted submission carries for them is dropped (docs/demographics.md).
    ...(context.protocol.demographics?.collect === false
      ? {}
      : { ethnicity: blankToUndefined(values.ethnicity), sex: blankToUndefined(values.sex) }),
    requestingOfficer: context.actor,
  };
  const result = bedRequestInputSchema.safeParse(form);
  if (!result.success) {
    const zodErrors = formErrors(result.error, FIELD_PATHS, FORM_LEVEL);
    for (const [path, message] of Object.entries(zodErrors)) {
      // The edge's own message (picker, protocol) is more precise than the schema's.
      if (!(path in errors)) errors[path] = friendly(path, message);
    }
  }
  // Against the clock and in the force's zone: the same rule the desk applies before a start.
  const intake = intakeProblems(
    {
      ...form,
      chargedAt: charged.ok ? charged.iso : undefined,
      nextCourtSitting: court.ok ? court.iso : undefined,
    },
    context.nowIso,
    zone,
  );
  for (const [path, message] of Object.entries(intake)) if (!(path in errors)) errors[path] = message;
  if (Object.keys(errors).length > 0 || !result.success) return { ok: false, errors, values };
  return { ok: true, input: result.data, values };
}

/** zod's enum messages list raw codes; a person choosing from a list needs "choose one". */
function friendly(path: string, message: string): string {
  if (/^Invalid enum value|^Required$|^Expected /.test(message)) {
    switch (path) {
      case 'bailRefusalGround':
        return 'Choose the ground for refusing bail';
      case 'accommodation':
        return 'Choose secure or non-secure accommodation';
      case 'custodyRecordNumber':
        return 'Give the custody record number';
      default:
        return 'This is required';
    }
  }
  return message;
}
