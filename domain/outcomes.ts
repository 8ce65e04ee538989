import { z } from 'zod';

/** The closed set of outcomes (docs/legal-rules.md). Extend with care: digests and exports key on these. */
export const outcomeCodeSchema = z.enum([
  'transferred_non_secure',
  'transferred_secure',
  'detained_no_bed_non_secure',
  'detained_no_secure_bed',
  'detained_impracticable',
  'released_or_bailed',
  'court_before_transfer',
  'cancelled_in_error',
]);
export type OutcomeCode = z.infer<typeof outcomeCodeSchema>;

/** Outcomes in which the child stayed in police detention after charge (repeat-detention counts these). */
export const DETAINED_OUTCOMES: readonly OutcomeCode[] = [
  'detained_no_bed_non_secure',
  'detained_no_secure_bed',
  'detained_impracticable',
  'court_before_transfer',
];

export const OUTCOME_LABELS: Record<OutcomeCode, string> = {
  transferred_non_secure: 'Transferred to non-secure accommodation',
  transferred_secure: 'Transferred to secure accommodation',
  detained_no_bed_non_secure: 'Stayed in police detention: no non-secure bed provided',
  detained_no_secure_bed: 'Stayed in police detention: no secure bed (s.38(6)(b))',
  detained_impracticable: 'Stayed in police detention: transfer impracticable (s.38(6)(a))',
  released_or_bailed: 'Released or bailed',
  court_before_transfer: 'Taken to court before any transfer',
  cancelled_in_error: 'Cancelled: entered in error',
};

export const declineReasonSchema = z.enum([
  'no_secure_bed',
  'no_non_secure_placement',
  'not_our_child',
  'insufficient_information',
  'other',
]);
export type DeclineReason = z.infer<typeof declineReasonSchema>;

export const DECLINE_REASON_LABELS: Record<DeclineReason, string> = {
  no_secure_bed: 'No secure bed available',
  no_non_secure_placement: 'No non-secure placement available',
  not_our_child: 'Child is not ours: another local authority',
  insufficient_information: 'Not enough information to place',
  other: 'Other (explained in notes)',
};

/**
 * Coded reasons a sergeant may give for the child staying (docs/legal-rules.md, "Impracticable,
 * and the Note 16D checks"). The choices on every form are `STAY_REASON_CHOICES`:
 * - s.38(6)(a), impracticable, in the Concordat's definition: exceptional circumstances make the
 *   move impossible (weather or roads; the child's urgent medical needs; other, explained), or
 *   the court sits so soon that a transfer would deprive the child of rest or make them miss court;
 * - s.38(6)(b): no secure bed, and other accommodation would not protect the public;
 * - the local authority provided no accommodation: an authority failure (Concordat principles 4
 *   and 6), recorded as such and never certified as impracticability.
 * `child_behaviour` and `nature_of_offence` are never offered: they exist so a refusal can be
 * explained (Note 16D says neither makes a transfer impracticable) and older histories replay.
 * New codes go at the end: digests and exports key on these.
 */
export const stayReasonSchema = z.enum([
  'no_accommodation_provided',
  'no_secure_bed_serious_harm',
  'impracticable_extreme_weather',
  'impracticable_other',
  'child_behaviour',
  'nature_of_offence',
  'impracticable_medical',
  'impracticable_court_too_soon',
]);
export type StayReason = z.infer<typeof stayReasonSchema>;

/** Labels fit a Slack option (75 characters). */
export const STAY_REASON_LABELS: Record<StayReason, string> = {
  no_accommodation_provided: 'Local authority provided no accommodation',
  no_secure_bed_serious_harm: 'No secure bed, and other accommodation would not protect the public',
  impracticable_extreme_weather: 'Impracticable: weather or roads make the move impossible',
  impracticable_other: 'Impracticable: other exceptional circumstance (explain it)',
  child_behaviour: 'The child’s behaviour',
  nature_of_offence: 'The nature of the offence',
  impracticable_medical: 'Impracticable: the child’s urgent medical needs',
  impracticable_court_too_soon: 'Impracticable: court sits too soon (rest lost, or court missed)',
};

/** The stay reasons a form offers, in the order shown (before `stayReasonsFor` filters them). */
export const STAY_REASON_CHOICES: readonly StayReason[] = [
  'impracticable_extreme_weather',
  'impracticable_medical',
  'impracticable_other',
  'impracticable_court_too_soon',
  'no_secure_bed_serious_harm',
  'no_accommodation_provided',
];

/**
 * What a stay reason is in law: s.38(6)(a) impracticability, s.38(6)(b) (no secure bed, serious
 * harm), a local authority's failure to provide accommodation (Concordat principles 4 and 6:
 * the authority must accept the request, and repays the police when it fails), or no lawful
 * ground at all (Note 16D).
 */
export type StayGround = 's38_6a' | 's38_6b' | 'authority_failure' | 'not_lawful';

export const STAY_REASON_GROUND: Record<StayReason, StayGround> = {
  no_accommodation_provided: 'authority_failure',
  no_secure_bed_serious_harm: 's38_6b',
  impracticable_extreme_weather: 's38_6a',
  impracticable_other: 's38_6a',
  impracticable_medical: 's38_6a',
  impracticable_court_too_soon: 's38_6a',
  child_behaviour: 'not_lawful',
  nature_of_offence: 'not_lawful',
};

/**
 * A stay recorded as the local authority's failure (principle 4), flagged for the principle-6
 * repayment of the cost of the detention. The audit row of the stay carries these facts.
 */
export function authorityFailureOf(reason: StayReason): { principle: 4; repayment: 'principle_6' } | null {
  return STAY_REASON_GROUND[reason] === 'authority_failure'
    ? { principle: 4, repayment: 'principle_6' }
    : null;
}

export const cancelReasonSchema = z.enum(['bailed', 'charge_withdrawn', 'entered_in_error']);
export type CancelReason = z.infer<typeof cancelReasonSchema>;

export const CANCEL_REASON_LABELS: Record<CancelReason, string> = {
  bailed: 'Bail granted',
  charge_withdrawn: 'Charge withdrawn or released',
  entered_in_error: 'Entered in error',
};

/** The facts of a stay for its audit row: its ground in law, and the authority-failure flags. */
export function stayAuditFacts(reason: StayReason): Record<string, string | number | boolean> {
  const failure = authorityFailureOf(reason);
  return {
    ground: STAY_REASON_GROUND[reason],
    ...(failure
      ? { authorityFailure: true, concordatPrinciple: failure.principle, repayment: failure.repayment }
      : {}),
  };
}
