import { describe, expect, it } from 'vitest';
import { stayReasonsFor } from '../../domain/available-actions.js';
import {
  STAY_REASON_CHOICES,
  STAY_REASON_GROUND,
  STAY_REASON_LABELS,
  stayAuditFacts,
  stayReasonSchema,
} from '../../domain/outcomes.js';
import { outcomeFor } from '../../domain/request-rules.js';
import { openView } from './view-fixture.js';

describe('the coded stay reasons (issue 11, item 5)', () => {
  it('offers the Concordat’s circumstances of impracticable, s.38(6)(b) and the authority’s failure, never a Note 16D reason', () => {
    expect(STAY_REASON_CHOICES).toEqual([
      'impracticable_extreme_weather',
      'impracticable_medical',
      'impracticable_other',
      'impracticable_court_too_soon',
      'no_secure_bed_serious_harm',
      'no_accommodation_provided',
    ]);
    expect(stayReasonsFor({ accommodation: 'non_secure', age: 15 })).not.toContain(
      'no_secure_bed_serious_harm',
    );
    expect(stayReasonsFor({ accommodation: 'secure', age: 15 })).toContain('no_secure_bed_serious_harm');
    for (const reason of ['child_behaviour', 'nature_of_offence'] as const) {
      expect(STAY_REASON_GROUND[reason]).toBe('not_lawful');
      expect(stayReasonsFor({ accommodation: 'secure', age: 15 })).not.toContain(reason);
    }
  });

  it('keeps every label within a Slack option (75 characters)', () => {
    for (const reason of stayReasonSchema.options)
      expect(STAY_REASON_LABELS[reason].length).toBeLessThanOrEqual(75);
  });

  it('records each circumstance of impracticable as detained_impracticable, and the authority’s failure as its own outcome', () => {
    const stay = (reason: (typeof STAY_REASON_CHOICES)[number]) =>
      outcomeFor(openView(), { kind: 'record_stay', reason, explanation: 'x'.repeat(10) });
    for (const reason of [
      'impracticable_extreme_weather',
      'impracticable_medical',
      'impracticable_other',
      'impracticable_court_too_soon',
    ] as const) {
      expect(stay(reason)).toBe('detained_impracticable');
      expect(STAY_REASON_GROUND[reason]).toBe('s38_6a');
    }
    expect(stay('no_accommodation_provided')).toBe('detained_no_bed_non_secure');
  });

  it('flags the authority’s failure for principle-6 repayment in the stay’s audit facts, and nothing else', () => {
    expect(stayAuditFacts('no_accommodation_provided')).toEqual({
      ground: 'authority_failure',
      authorityFailure: true,
      concordatPrinciple: 4,
      repayment: 'principle_6',
    });
    expect(stayAuditFacts('impracticable_medical')).toEqual({ ground: 's38_6a' });
    expect(stayAuditFacts('no_secure_bed_serious_harm')).toEqual({ ground: 's38_6b' });
  });
});
