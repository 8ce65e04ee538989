import { describe, expect, it } from 'vitest';
import { describeRefusal } from '../../../bots/shared/failure-text.js';
import { FailureCode } from '../../../domain/failures.js';

describe('describeRefusal', () => {
  const codes = Object.values(FailureCode);

  it.each(codes)('has plain words for %s, without the code itself', (code) => {
    const text = describeRefusal({ code });
    expect(text.length).toBeGreaterThan(30);
    expect(text).not.toContain(code);
    expect(text).not.toMatch(/undefined|\[object/);
  });

  it('uses params when given', () => {
    expect(
      describeRefusal({
        code: FailureCode.NotResponderForAuthority,
        params: { caseRef: 'CN-1', localAuthorityName: 'Milton Keynes City Council' },
      }),
    ).toContain('Request CN-1 is for Milton Keynes City Council');
    expect(
      describeRefusal({
        code: FailureCode.AlreadyOpen,
        params: { custodyRecordNumber: 'NC-1', caseRef: 'CN-2' },
      }),
    ).toContain('NC-1 is already open (CN-2)');
  });

  it('reads the params request-rules gives', () => {
    expect(
      describeRefusal({
        code: FailureCode.RoleNotPermitted,
        params: { action: 'cancel', roles: 'custody, admin' },
      }),
    ).toContain('“Cancel request” needs the custody or admin role');
    expect(
      describeRefusal({
        code: FailureCode.RequestClosed,
        params: { outcome: 'transferred_non_secure', at: '2013-02-18T23:00:00Z' },
      }),
    ).toContain('already closed (transferred to non-secure accommodation, Mon 18 Feb 2013, 23:00)');
    expect(
      describeRefusal({
        code: FailureCode.AlreadyAcknowledged,
        params: { by: 'Duty SW', at: '2013-02-18T22:00:00Z' },
      }),
    ).toContain('already acknowledged by Duty SW at Mon 18 Feb 2013, 22:00');
    expect(
      describeRefusal({
        code: FailureCode.OfferTypeMismatch,
        params: { requested: 'non_secure', offered: 'secure' },
      }),
    ).toContain('non-secure accommodation was asked for, not secure');
    expect(
      describeRefusal({
        code: FailureCode.NotResponderForAuthority,
        params: { action: 'offer_bed', localAuthority: 'Milton Keynes City Council' },
      }),
    ).toContain('is for Milton Keynes City Council');
  });

  it('explains Note 16D refusals by the law', () => {
    expect(describeRefusal({ code: FailureCode.StayReasonBehaviour })).toContain('Note 16D');
    expect(describeRefusal({ code: FailureCode.StayReasonOffence })).toContain('Note 16D');
  });

  it('answers something sensible for an unknown code', () => {
    expect(describeRefusal({ code: 'NOPE' as FailureCode })).toContain('Nothing was changed');
  });
});
