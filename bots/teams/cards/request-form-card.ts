import { BAIL_REFUSAL_GROUND_LABELS } from '../../../domain/bed-request.js';
import { codedChoices, DEMOGRAPHICS_FORM_HINT } from '../../../domain/demographics.js';
import { ACCOMMODATION_LABELS } from '../../shared/view-text.js';
import {
  card,
  choices,
  container,
  execute,
  fieldError,
  heading,
  text,
  type AdaptiveCard,
  type CardElement,
  type CardInput,
} from './adaptive-card.js';
import { VERBS } from './verbs.js';

/** The form's inputs. Ids are what Teams sends back; values are strings, as Teams sends them. */
export const FORM_INPUTS = [
  'custodyRecordNumber',
  'custodySuiteId',
  'pncId',
  'givenName',
  'familyName',
  'dateOfBirth',
  'age',
  'homeLocalAuthorityId',
  'chargedDate',
  'chargedTime',
  'bailRefusalGround',
  'courtDate',
  'courtTime',
  'accommodation',
  'seriousHarmJustification',
  'needsAndRisks',
  'ethnicity',
  'sex',
] as const;
export type FormInputId = (typeof FORM_INPUTS)[number];
export type RequestFormValues = Partial<Record<FormInputId, string>>;

/** Each field the sergeant sees: its zod path in bedRequestInputSchema, label and inputs. */
export interface FormField {
  path: string;
  label: string;
  inputs: readonly FormInputId[];
}

export const FORM_FIELDS: readonly FormField[] = [
  { path: 'custodyRecordNumber', label: 'Custody record number', inputs: ['custodyRecordNumber'] },
  { path: 'custodySuiteId', label: 'Custody suite', inputs: ['custodySuiteId'] },
  { path: 'child.pncId', label: 'PNC ID', inputs: ['pncId'] },
  { path: 'child.givenName', label: 'Given name', inputs: ['givenName'] },
  { path: 'child.familyName', label: 'Family name', inputs: ['familyName'] },
  { path: 'child.dateOfBirth', label: 'Date of birth', inputs: ['dateOfBirth'] },
  { path: 'age', label: 'Age', inputs: ['age'] },
  { path: 'homeLocalAuthorityId', label: 'Home local authority', inputs: ['homeLocalAuthorityId'] },
  { path: 'chargedAt', label: 'Time of charge', inputs: ['chargedDate', 'chargedTime'] },
  { path: 'bailRefusalGround', label: 'Ground for refusing bail', inputs: ['bailRefusalGround'] },
  { path: 'nextCourtSitting', label: 'Next court sitting', inputs: ['courtDate', 'courtTime'] },
  { path: 'accommodation', label: 'Accommodation', inputs: ['accommodation'] },
  {
    path: 'seriousHarmJustification',
    label: 'Why other accommodation would not protect the public (secure only)',
    inputs: ['seriousHarmJustification'],
  },
  { path: 'needsAndRisks', label: 'Needs and risks', inputs: ['needsAndRisks'] },
  { path: 'ethnicity', label: 'Self-defined ethnicity (optional)', inputs: ['ethnicity'] },
  { path: 'sex', label: 'Sex (optional)', inputs: ['sex'] },
];

/** Errors that belong to no one field (for example the requesting officer). */
export const FORM_LEVEL = '_form';

export interface RequestFormOptions {
  custodySuites: ReadonlyArray<{ id: string; name: string }>;
  localAuthorities: ReadonlyArray<{ id: string; name: string }>;
  /** What the sergeant typed last time, so a correction does not mean typing it all again. */
  values?: RequestFormValues;
  /** Field path → message, from the zod error (or the edge's own checks). */
  errors?: Record<string, string>;
  /**
   * The protocol's ethnicity and sex fields (docs/demographics.md): left off when not collected;
   * the hint is the protocol's template. Absent: shown, with the default hint.
   */
  demographics?: { collect: boolean; formHint: string };
}

function inputFor(id: FormInputId, label: string, o: RequestFormOptions): CardInput {
  const value = o.values?.[id];
  const v = value === undefined || value === '' ? {} : { value };
  switch (id) {
    case 'custodySuiteId':
      return {
        type: 'Input.ChoiceSet',
        id,
        label,
        isRequired: true,
        errorMessage: 'Choose the custody suite',
        style: 'compact',
        choices: o.custodySuites.map((s) => ({ title: s.name, value: s.id })),
        ...v,
      };
    case 'homeLocalAuthorityId':
      return {
        type: 'Input.ChoiceSet',
        id,
        label,
        isRequired: true,
        errorMessage: 'Choose the child’s home local authority',
        style: 'compact',
        choices: o.localAuthorities.map((l) => ({ title: l.name, value: l.id })),
        ...v,
      };
    case 'bailRefusalGround':
      return {
        type: 'Input.ChoiceSet',
        id,
        label,
        isRequired: true,
        errorMessage: 'Choose the ground',
        style: 'compact',
        choices: choices(BAIL_REFUSAL_GROUND_LABELS),
        ...v,
      };
    case 'accommodation':
      return {
        type: 'Input.ChoiceSet',
        id,
        label,
        isRequired: true,
        errorMessage: 'Choose secure or non-secure',
        style: 'expanded',
        choices: choices(ACCOMMODATION_LABELS),
        value: value || 'non_secure',
      };
    case 'age': {
      const n =
        value !== undefined && value !== '' && Number.isFinite(Number(value)) ? Number(value) : undefined;
      return {
        type: 'Input.Number',
        id,
        label,
        isRequired: true,
        errorMessage: 'Give the child’s age',
        min: 10,
        max: 17,
        ...(n === undefined ? {} : { value: n }),
      };
    }
    case 'dateOfBirth':
    case 'chargedDate':
    case 'courtDate':
      return { type: 'Input.Date', id, label, ...v };
    case 'chargedTime':
    case 'courtTime':
      return { type: 'Input.Time', id, label, ...v };
    case 'seriousHarmJustification':
    case 'needsAndRisks':
      return { type: 'Input.Text', id, label, isMultiline: true, maxLength: 2000, ...v };
    case 'custodyRecordNumber':
      return {
        type: 'Input.Text',
        id,
        label,
        isRequired: true,
        errorMessage: 'Give the custody record number',
        maxLength: 30,
        ...v,
      };
    case 'pncId':
    case 'givenName':
    case 'familyName':
      return { type: 'Input.Text', id, label, maxLength: 100, ...v };
    case 'ethnicity':
    case 'sex':
      // Optional codes, for aggregate figures only (docs/demographics.md).
      return {
        type: 'Input.ChoiceSet',
        id,
        label,
        style: 'compact',
        choices: codedChoices(id).map((c) => ({ title: c.label, value: c.code })),
        ...v,
      };
  }
}

const INPUT_LABELS: Partial<Record<FormInputId, string>> = {
  chargedDate: 'Date of charge',
  chargedTime: 'Time of charge (UK)',
  courtDate: 'Date of the next court sitting',
  courtTime: 'Time of the next court sitting (UK)',
};

/**
 * The bed-request form as an Adaptive Card. With `errors`, each bad field gets a red line naming
 * it, and a summary at the top lists them all, so nothing is missed on a long card.
 */
export function requestFormCard(o: RequestFormOptions): AdaptiveCard {
  const errors = o.errors ?? {};
  const body: CardElement[] = [heading('Bed request: child charged and refused bail')];
  const named = FORM_FIELDS.filter((f) => errors[f.path]);
  const formLevel = errors[FORM_LEVEL];
  if (named.length || formLevel) {
    const lines = [
      named.length === 1
        ? 'Please correct this field:'
        : named.length > 1
          ? `Please correct these ${named.length} fields:`
          : 'Please correct the form:',
      ...named.map((f) => `${f.label}: ${errors[f.path] ?? ''}`),
      ...(formLevel ? [formLevel] : []),
    ];
    body.push(
      container(
        lines.map((l, i) => text(l, i === 0 ? { weight: 'bolder' } : {})),
        'attention',
        'errors',
      ),
    );
  } else {
    body.push(
      text(
        'PACE s.38(6): the child must be moved to local authority accommodation. Fill this in now; ' +
          'the duty team or EDT is told at once. The child’s name, date of birth and PNC ID stay private: ' +
          'responders see them only through “View details”, which is recorded.',
        { isSubtle: true },
      ),
    );
  }
  const section = (title: string) => text(title, { weight: 'bolder', spacing: 'medium' });
  for (const field of FORM_FIELDS) {
    if (field.path === 'custodyRecordNumber') body.push(section('The detention'));
    if (field.path === 'child.pncId') {
      body.push(section('The child'));
      body.push(
        text('Give the PNC ID, or the given name, family name and date of birth.', { isSubtle: true }),
      );
    }
    if (field.path === 'accommodation') body.push(section('What is needed'));
    const demographic = field.path === 'ethnicity' || field.path === 'sex';
    if (demographic && o.demographics?.collect === false) continue;
    if (field.path === 'ethnicity') {
      body.push(section('Monitoring (optional): the child’s self-defined ethnicity and sex'));
      body.push(text(o.demographics?.formHint ?? DEMOGRAPHICS_FORM_HINT, { isSubtle: true }));
    }
    for (const id of field.inputs) body.push(inputFor(id, INPUT_LABELS[id] ?? field.label, o));
    const message = errors[field.path];
    const first = field.inputs[0];
    if (message && first) body.push(fieldError(first, field.label, message));
  }
  return card(body, {
    actions: [execute('Send request', VERBS.submitRequest, { form: 'bed_request' }, 'positive')],
  });
}
