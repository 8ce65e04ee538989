import { DateTime } from 'luxon';
import { z } from 'zod';
import { ethnicityCodeSchema, sexCodeSchema } from './demographics.js';
import { actorSchema } from './people.js';

/** ISO-8601 instant with an explicit offset or Z, e.g. 2013-02-18T21:40:00Z. */
export const instantSchema = z
  .string({ required_error: 'A date and time is required' })
  .refine((s) => DateTime.fromISO(s, { setZone: true }).isValid && /[zZ]|[+-]\d\d:?\d\d$/.test(s), {
    message: 'Give a date and time with a time zone, like 2013-02-18T21:40:00Z',
  });

export const accommodationSchema = z.enum(['non_secure', 'secure']);
export type Accommodation = z.infer<typeof accommodationSchema>;

/** PACE s.38(1)(b) grounds on which an arrested juvenile may be refused bail after charge. */
export const bailRefusalGroundSchema = z.enum([
  'name_or_address_unknown',
  'fail_to_appear',
  'commit_offence',
  'harm_to_person_or_property',
  'interfere_with_justice',
  'own_protection',
  'own_interests',
]);
export type BailRefusalGround = z.infer<typeof bailRefusalGroundSchema>;

export const BAIL_REFUSAL_GROUND_LABELS: Record<BailRefusalGround, string> = {
  name_or_address_unknown: 'Name or address cannot be ascertained',
  fail_to_appear: 'Would fail to appear in court',
  commit_offence: 'Would commit an offence',
  harm_to_person_or_property: 'Would cause injury or damage to property',
  interfere_with_justice: 'Would interfere with the administration of justice',
  own_protection: 'For the child’s own protection',
  own_interests: 'In the child’s own interests',
};

/** PNC ID as printed on the record: two-digit year, slash, serial, check letter. */
export const PNC_ID = /^\d{2}\/\d{1,7}[A-Z]$/;
export const CUSTODY_RECORD = /^[A-Z0-9][A-Z0-9/-]{3,29}$/;

export const childIdentitySchema = z
  .object({
    pncId: z.string().trim().toUpperCase().regex(PNC_ID, 'PNC ID must look like 13/123456A').optional(),
    givenName: z.string().trim().min(1, 'Given name is empty').max(100).optional(),
    familyName: z.string().trim().min(1, 'Family name is empty').max(100).optional(),
    dateOfBirth: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'Date of birth must be a date like 2013-04-30')
      .refine((s) => DateTime.fromISO(s).isValid, 'Date of birth is not a real date')
      .optional(),
  })
  .superRefine((c, ctx) => {
    const hasNameDob = c.givenName && c.familyName && c.dateOfBirth;
    if (!c.pncId && !hasNameDob) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['pncId'],
        message: 'Give the PNC ID, or the given name, family name and date of birth',
      });
    }
  });
export type ChildIdentity = z.infer<typeof childIdentitySchema>;

export const bedRequestInputSchema = z
  .object({
    custodyRecordNumber: z
      .string()
      .trim()
      .toUpperCase()
      .regex(CUSTODY_RECORD, 'Custody record number must be 4 to 30 letters, digits, / or -'),
    custodySuiteId: z.string().trim().min(1, 'Choose the custody suite'),
    child: childIdentitySchema,
    age: z.coerce
      .number({ invalid_type_error: 'Age must be a whole number' })
      .int('Age must be a whole number')
      .min(10, 'A child under 10 cannot be charged: check the age')
      .max(17, 'At 18 or over this is not a juvenile transfer: check the age'),
    homeLocalAuthorityId: z.string().trim().min(1, 'Choose the child’s home local authority'),
    chargedAt: instantSchema,
    bailRefusalGround: bailRefusalGroundSchema,
    nextCourtSitting: instantSchema,
    accommodation: accommodationSchema,
    seriousHarmJustification: z.string().trim().max(2000).optional(),
    needsAndRisks: z.string().trim().max(2000, 'Keep needs and risks under 2000 characters').default(''),
    /**
     * Officer-recorded self-defined ethnicity (18+1 code) and sex: optional, codes only, for
     * aggregate disproportionality figures; never on a card (docs/demographics.md).
     */
    ethnicity: ethnicityCodeSchema.optional(),
    sex: sexCodeSchema.optional(),
    requestingOfficer: actorSchema,
  })
  .superRefine((r, ctx) => {
    if (r.accommodation === 'secure') {
      if (r.age < 12) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['accommodation'],
          message: 'Secure accommodation is only for a child aged 12 or over: request non-secure',
        });
      }
      if (!r.seriousHarmJustification || r.seriousHarmJustification.length < 20) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['seriousHarmJustification'],
          message:
            'A secure request needs the reason other accommodation would not protect the public from serious harm (at least 20 characters)',
        });
      }
    }
    const charged = DateTime.fromISO(r.chargedAt);
    const court = DateTime.fromISO(r.nextCourtSitting);
    if (charged.isValid && court.isValid && court <= charged) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['nextCourtSitting'],
        message: 'The next court sitting must be after the time of charge',
      });
    }
    // The date of birth against the age, and the times against the clock, are checked in the
    // force's time zone where the form is submitted (domain/intake.ts), not here: this schema is
    // also the workflow's, which has no "now" and must decide the same on replay.
  });
export type BedRequestInput = z.infer<typeof bedRequestInputSchema>;
/** What a form submits before parsing (the chat edge fills `requestingOfficer`). */
export type BedRequestForm = z.input<typeof bedRequestInputSchema>;

export type RequestWarning = 'secure_under_13_needs_secretary_of_state' | 'out_of_area';

/** Warnings never block a request; they are shown to the sergeant and the responder. */
export function requestWarnings(r: Pick<BedRequestInput, 'accommodation' | 'age'>): RequestWarning[] {
  return r.accommodation === 'secure' && r.age === 12 ? ['secure_under_13_needs_secretary_of_state'] : [];
}

/** Workflow ID from the custody suite and record number, so a double submit starts nothing new. */
export function bedRequestWorkflowId(custodySuiteId: string, custodyRecordNumber: string): string {
  const norm = (s: string) =>
    s
      .trim()
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '-');
  return `bed-request:${norm(custodySuiteId)}:${norm(custodyRecordNumber)}`;
}

/**
 * The workflow ID of the `attempt`-th request for one custody record: the first is the record's
 * own ID; after a request cancelled as entered in error, the next is suffixed `:r2`, `:r3`…
 * (docs/legal-rules.md, "Correcting a mistake").
 */
export function correctionWorkflowId(recordWorkflowId: string, attempt: number): string {
  return attempt <= 1 ? recordWorkflowId : `${recordWorkflowId}:r${attempt}`;
}
