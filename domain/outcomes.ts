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
 * Coded reasons a sergeant may give for the child staying (the s.38(6) certificate).
 * `child_behaviour` and `nature_of_offence` exist so the refusal can be explained: Note 16D says
 * neither makes a transfer impracticable, and the workflow refuses them.
 */
export const stayReasonSchema = z.enum([
  'no_accommodation_provided',
  'no_secure_bed_serious_harm',
  'impracticable_extreme_weather',
  'impracticable_other',
  'child_behaviour',
  'nature_of_offence',
]);
export type StayReason = z.infer<typeof stayReasonSchema>;

export const STAY_REASON_LABELS: Record<StayReason, string> = {
  no_accommodation_provided: 'Local authority provided no accommodation',
  no_secure_bed_serious_harm:
    'No secure bed, and other accommodation would not protect the public (s.38(6)(b))',
  impracticable_extreme_weather: 'Impracticable: extreme weather or road conditions (s.38(6)(a))',
  impracticable_other: 'Impracticable: other circumstance, explained (s.38(6)(a))',
  child_behaviour: 'The child’s behaviour',
  nature_of_offence: 'The nature of the offence',
};

export const cancelReasonSchema = z.enum(['bailed', 'charge_withdrawn', 'entered_in_error']);
export type CancelReason = z.infer<typeof cancelReasonSchema>;

export const CANCEL_REASON_LABELS: Record<CancelReason, string> = {
  bailed: 'Bail granted',
  charge_withdrawn: 'Charge withdrawn or released',
  entered_in_error: 'Entered in error',
};
