import { describe, expect, it } from 'vitest';
import { formErrors } from '../../../bots/shared/form-errors.js';
import { bedRequestInputSchema } from '../../../domain/bed-request.js';

describe('formErrors', () => {
  const valid = {
    custodyRecordNumber: 'NC-1',
    custodySuiteId: 'northampton-cjc',
    child: { pncId: '13/123456A' },
    age: 15,
    homeLocalAuthorityId: 'west-northamptonshire',
    chargedAt: '2013-02-18T21:40:00Z',
    bailRefusalGround: 'fail_to_appear',
    nextCourtSitting: '2013-02-19T10:00:00Z',
    accommodation: 'non_secure',
    requestingOfficer: { platform: 'slack', userId: 'U1' },
  };

  it('keys messages by dotted field path, first message per field', () => {
    const r = bedRequestInputSchema.safeParse({ ...valid, age: 9, child: { pncId: 'bad' } });
    expect(r.success).toBe(false);
    if (r.success) return;
    const errs = formErrors(r.error);
    expect(errs.age).toMatch(/under 10/);
    expect(errs['child.pncId']).toMatch(/PNC ID/);
  });

  it('maps unknown paths to the nearest known field or the fallback', () => {
    const r = bedRequestInputSchema.safeParse({ ...valid, child: {}, requestingOfficer: {} });
    expect(r.success).toBe(false);
    if (r.success) return;
    const errs = formErrors(r.error, ['child', 'age'], 'age');
    expect(errs.child).toMatch(/PNC ID, or the given name/);
    expect(errs.age).toBeDefined();
    expect(Object.keys(errs).sort()).toEqual(['age', 'child']);
  });
});
