import { z } from 'zod';

/**
 * The child's officer-recorded self-defined ethnicity and sex, for disproportionality monitoring
 * (docs/demographics.md). Both are optional on the request form, stored as codes, reported only in
 * aggregate (the digest and the aggregate export, with small-count suppression), and never shown on
 * a card, a thread message, a digest line about one child, or "View details".
 */

/**
 * The police self-defined ethnicity "18+1" codes (the 2011 census categories, as the CJS data
 * standards catalogue lists them; docs/demographics.md gives the source): 18 categories and NS,
 * "not stated". Arab is O2: O1 was the old 16+1 code for Chinese, now A4.
 */
export const ETHNICITY_LABELS = {
  W1: 'White: English, Welsh, Scottish, Northern Irish or British',
  W2: 'White: Irish',
  W3: 'White: Gypsy or Irish Traveller',
  W9: 'White: any other White background',
  M1: 'Mixed: White and Black Caribbean',
  M2: 'Mixed: White and Black African',
  M3: 'Mixed: White and Asian',
  M9: 'Mixed: any other Mixed or multiple background',
  A1: 'Asian or Asian British: Indian',
  A2: 'Asian or Asian British: Pakistani',
  A3: 'Asian or Asian British: Bangladeshi',
  A4: 'Asian or Asian British: Chinese',
  A9: 'Asian or Asian British: any other Asian background',
  B1: 'Black or Black British: Caribbean',
  B2: 'Black or Black British: African',
  B9: 'Black or Black British: any other Black background',
  O2: 'Other ethnic group: Arab',
  O9: 'Other ethnic group: any other ethnic group',
  NS: 'Not stated',
} as const;
export type EthnicityCode = keyof typeof ETHNICITY_LABELS;
export const ETHNICITY_CODES = Object.keys(ETHNICITY_LABELS) as EthnicityCode[];

/**
 * The five top-level groups, plus "not stated" (the child was asked and did not say: NS) and "not
 * recorded" (the form's field was left empty). The digest and the aggregate export count these,
 * never the 18 categories: the cells would be too small to publish.
 */
export const ETHNIC_GROUPS = [
  'white',
  'mixed',
  'asian',
  'black',
  'other',
  'not_stated',
  'not_recorded',
] as const;
export type EthnicGroup = (typeof ETHNIC_GROUPS)[number];

export const ETHNIC_GROUP_LABELS: Record<EthnicGroup, string> = {
  white: 'White',
  mixed: 'Mixed or multiple',
  asian: 'Asian or Asian British',
  black: 'Black or Black British',
  other: 'Other ethnic group',
  not_stated: 'Not stated',
  not_recorded: 'Not recorded',
};

const GROUP_BY_LETTER: Record<string, EthnicGroup> = {
  W: 'white',
  M: 'mixed',
  A: 'asian',
  B: 'black',
  O: 'other',
};

/** The top-level group of a code; "not recorded" when there is none. */
export function ethnicGroupOf(code: EthnicityCode | null | undefined): EthnicGroup {
  if (code === null || code === undefined) return 'not_recorded';
  if (code === 'NS') return 'not_stated';
  return GROUP_BY_LETTER[code.charAt(0)] ?? 'not_recorded';
}

/**
 * Sex, as the CJS data standards' gender type code (ISO/IEC 5218): 1 male, 2 female, 9 not
 * specified (asked, not determined), 0 not known (not asked).
 */
export const SEX_CODES = ['1', '2', '9', '0'] as const;
export type SexCode = (typeof SEX_CODES)[number];
export const SEX_LABELS: Record<SexCode, string> = {
  '1': 'Male',
  '2': 'Female',
  '9': 'Not specified',
  '0': 'Not known',
};

/**
 * The choices a form offers, in order, each "code: meaning" (the code first, as on the custody
 * record). Both bots build their lists from this, so they offer the same codes.
 */
export function codedChoices(field: 'ethnicity' | 'sex'): Array<{ code: string; label: string }> {
  const codes: readonly string[] = field === 'ethnicity' ? ETHNICITY_CODES : SEX_CODES;
  const labels: Readonly<Record<string, string>> = field === 'ethnicity' ? ETHNICITY_LABELS : SEX_LABELS;
  return codes.map((code) => ({ code, label: `${code}: ${labels[code] ?? code}` }));
}

/** What the digest and the aggregate export count: 0 and 9 together, and the empty field. */
export const SEX_GROUPS = ['male', 'female', 'not_stated', 'not_recorded'] as const;
export type SexGroup = (typeof SEX_GROUPS)[number];

export const SEX_GROUP_LABELS: Record<SexGroup, string> = {
  male: 'Male',
  female: 'Female',
  not_stated: 'Not known or not specified',
  not_recorded: 'Not recorded',
};

export function sexGroupOf(code: SexCode | null | undefined): SexGroup {
  if (code === '1') return 'male';
  if (code === '2') return 'female';
  if (code === '0' || code === '9') return 'not_stated';
  return 'not_recorded';
}

/**
 * The line under each field on both forms, unless the protocol file gives its own
 * (`demographics.formHint`): what a sergeant, and a child who asks, is told the code is for. A
 * template: the force's data protection officer settles the wording (docs/demographics.md).
 */
export const DEMOGRAPHICS_FORM_HINT =
  'As on the custody record. Counted only in anonymous totals, to monitor disproportionality; never shown on a card.';

/** The schema's message for a code not in the list, naming the field (the forms show it inline). */
export const ETHNICITY_INVALID =
  'Self-defined ethnicity must be one of the 18+1 codes (W1–W9, M1–M9, A1–A9, B1–B9, O2, O9 or NS): choose one from the list, or leave it empty';
export const ETHNICITY_OLD_O1 =
  'Self-defined ethnicity: O1 is the old 16+1 code for Chinese. Choose A4 (Chinese) or O2 (Arab)';
export const SEX_INVALID =
  'Sex must be one of the listed codes (1 male, 2 female, 9 not specified, 0 not known): choose one, or leave it empty';

/**
 * An optional code: empty or absent is "not recorded"; anything else must be a listed code. A
 * lower-case code is read as upper case ("w1" is W1); nothing else is guessed.
 */
export const ethnicityCodeSchema = z
  .string({ invalid_type_error: ETHNICITY_INVALID })
  .trim()
  .toUpperCase()
  .superRefine((s, ctx) => {
    if (s === '' || Object.hasOwn(ETHNICITY_LABELS, s)) return;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: s === 'O1' ? ETHNICITY_OLD_O1 : ETHNICITY_INVALID });
  })
  .transform((s) => (s === '' ? undefined : (s as EthnicityCode)));

export const sexCodeSchema = z
  .union([z.string(), z.number()], { invalid_type_error: SEX_INVALID })
  .transform((s) => String(s).trim())
  .superRefine((s, ctx) => {
    if (s === '' || Object.hasOwn(SEX_LABELS, s)) return;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: SEX_INVALID });
  })
  .transform((s) => (s === '' ? undefined : (s as SexCode)));
