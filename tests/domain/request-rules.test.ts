import { describe, expect, it } from 'vitest';
import { actionEnvelopeSchema, type RequestAction } from '../../domain/actions.js';
import { rolesFor } from '../../domain/authorise.js';
import { FailureCode } from '../../domain/failures.js';
import { bedRequestInputSchema } from '../../domain/bed-request.js';
import type { RoleGrant } from '../../domain/people.js';
import {
  openingView,
  applyAction,
  applyCourtDeadline,
  applyEscalation,
  checkAction,
  outcomeFor,
  statusOf,
} from '../../domain/request-rules.js';
import type { RequestView } from '../../domain/request-view.js';
import { parseProtocol } from '../../runtime/config.js';
import { readFileSync } from 'node:fs';
import {
  ADMIN_GRANTS,
  CHARGED_AT,
  CUSTODY_GRANTS,
  LEAD,
  NOW,
  OTHER_LA_RESPONDER_GRANTS,
  OTHER_RESPONDER,
  RESPONDER,
  RESPONDER_GRANTS,
  SERGEANT,
  envelope,
  offerNonSecure,
  offerSecure,
  openView,
} from './view-fixture.js';

const ack: RequestAction = { kind: 'acknowledge' };
const stay = (reason: Extract<RequestAction, { kind: 'record_stay' }>['reason']): RequestAction => ({
  kind: 'record_stay',
  reason,
  explanation: 'No placement found by the EDT after several calls.',
});

function act(view: RequestView, grants: RoleGrant[], action: RequestAction, actor = RESPONDER) {
  const env = envelope(actor, action);
  return { env, refusal: checkAction(view, grants, env, NOW) };
}

describe('checkAction: roles', () => {
  it('lets a responder for the child’s LA take every responder action', () => {
    for (const a of [
      ack,
      offerNonSecure,
      { kind: 'decline', reason: 'no_non_secure_placement', notes: '' },
      { kind: 'request_info', question: 'Any known risks?' },
    ] as RequestAction[]) {
      expect(act(openView(), RESPONDER_GRANTS, a).refusal).toBeNull();
    }
  });

  it('refuses a responder action from the custody sergeant', () => {
    expect(act(openView(), CUSTODY_GRANTS, offerNonSecure, SERGEANT).refusal).toEqual({
      code: FailureCode.RoleNotPermitted,
      params: { action: 'offer_bed', roles: 'responder' },
    });
  });

  it('refuses a responder mapped to another local authority', () => {
    expect(act(openView(), OTHER_LA_RESPONDER_GRANTS, ack).refusal).toEqual({
      code: FailureCode.NotResponderForAuthority,
      params: { action: 'acknowledge', localAuthority: 'West Northamptonshire Council' },
    });
  });

  it('refuses custody actions from a responder and from someone with no role', () => {
    const v = openView({
      offer: {
        by: RESPONDER,
        at: NOW,
        accommodation: 'non_secure',
        provider: 'X House',
        transport: 'la_collects',
        notes: '',
      },
    });
    expect(act(v, RESPONDER_GRANTS, { kind: 'confirm_transfer', leftCustodyAt: NOW }).refusal?.code).toBe(
      FailureCode.RoleNotPermitted,
    );
    expect(act(v, [], { kind: 'cancel', reason: 'bailed', notes: '' }).refusal?.code).toBe(
      FailureCode.RoleNotPermitted,
    );
  });

  it('lets an admin cancel (entered in error) without being a responder for the LA', () => {
    expect(
      act(openView(), ADMIN_GRANTS, { kind: 'cancel', reason: 'entered_in_error', notes: '' }, LEAD).refusal,
    ).toBeNull();
  });

  it('resolves grants from the shipped protocol the same way the workflow does', () => {
    const protocol = parseProtocol(readFileSync('config/concordat.example.yaml', 'utf8'));
    const grants = rolesFor(protocol.people, RESPONDER);
    expect(act(openView(), grants, ack).refusal).toBeNull();
    expect(
      act(openView({ localAuthorityId: 'milton-keynes', localAuthorityName: 'MK' }), grants, ack).refusal
        ?.code,
    ).toBe(FailureCode.NotResponderForAuthority);
    expect(rolesFor(protocol.people, { platform: 'slack', userId: 'UNKNOWN' })).toEqual([]);
  });
});

describe('checkAction: state', () => {
  const resolved = applyAction(
    openView(),
    envelope(SERGEANT, { kind: 'cancel', reason: 'bailed', notes: '' }),
    NOW,
  );

  it('refuses everything after the request is resolved', () => {
    expect(resolved.status).toBe('resolved');
    for (const [grants, a, actor] of [
      [RESPONDER_GRANTS, ack, RESPONDER],
      [RESPONDER_GRANTS, offerNonSecure, RESPONDER],
      [CUSTODY_GRANTS, stay('no_accommodation_provided'), SERGEANT],
      [CUSTODY_GRANTS, { kind: 'cancel', reason: 'bailed', notes: '' }, SERGEANT],
    ] as const) {
      expect(act(resolved, [...grants], a, actor).refusal).toEqual({
        code: FailureCode.RequestClosed,
        params: { outcome: 'released_or_bailed', at: NOW },
      });
    }
  });

  it('acknowledges once', () => {
    const v = applyAction(openView(), envelope(RESPONDER, ack), '2013-02-18T21:10:00.000Z');
    expect(act(v, RESPONDER_GRANTS, ack, OTHER_RESPONDER).refusal).toEqual({
      code: FailureCode.AlreadyAcknowledged,
      params: { by: 'Duty social worker', at: '2013-02-18T21:10:00.000Z' },
    });
  });

  it('accepts one offer only, and names who offered and when', () => {
    const v = applyAction(openView(), envelope(RESPONDER, offerNonSecure), '2013-02-18T21:30:00.000Z');
    expect(act(v, RESPONDER_GRANTS, offerNonSecure, OTHER_RESPONDER).refusal).toEqual({
      code: FailureCode.OfferAlreadyAccepted,
      params: { by: 'Duty social worker', at: '2013-02-18T21:30:00.000Z' },
    });
    // A decline after an accepted offer is refused the same way: there is a bed.
    expect(
      act(
        v,
        RESPONDER_GRANTS,
        { kind: 'decline', reason: 'no_non_secure_placement', notes: '' },
        OTHER_RESPONDER,
      ).refusal?.code,
    ).toBe(FailureCode.OfferAlreadyAccepted);
  });

  it('accepts a non-secure offer for a secure request, and refuses a secure offer for a non-secure one', () => {
    const secureReq = openView({ accommodation: 'secure', age: 15 });
    expect(act(secureReq, RESPONDER_GRANTS, offerNonSecure).refusal).toBeNull();
    expect(act(secureReq, RESPONDER_GRANTS, offerSecure).refusal).toBeNull();
    expect(act(openView(), RESPONDER_GRANTS, offerSecure).refusal).toEqual({
      code: FailureCode.OfferTypeMismatch,
      params: { requested: 'non_secure', offered: 'secure' },
    });
  });

  it('refuses a secure offer for a child under 12', () => {
    expect(act(openView({ age: 11 }), RESPONDER_GRANTS, offerSecure).refusal).toEqual({
      code: FailureCode.SecureUnder12,
      params: { age: 11 },
    });
  });

  it('needs notes for a decline with reason "other" (the workflow re-checks the form refinement)', () => {
    expect(
      act(openView(), RESPONDER_GRANTS, { kind: 'decline', reason: 'other', notes: '' }).refusal,
    ).toEqual({
      code: FailureCode.InvalidInput,
      params: { field: 'notes' },
    });
    expect(
      act(openView(), RESPONDER_GRANTS, { kind: 'decline', reason: 'other', notes: 'Staff sickness tonight' })
        .refusal,
    ).toBeNull();
  });

  it('answers only an open question', () => {
    const asked = applyAction(
      openView(),
      envelope(RESPONDER, { kind: 'request_info', question: 'Any medication?' }),
      NOW,
    );
    expect(asked.questions[0]?.id).toBe('q1');
    expect(
      act(asked, CUSTODY_GRANTS, { kind: 'answer_info', questionId: 'q9', answer: 'x' }, SERGEANT).refusal,
    ).toEqual({
      code: FailureCode.QuestionNotFound,
      params: { questionId: 'q9' },
    });
    const answer: RequestAction = { kind: 'answer_info', questionId: 'q1', answer: 'None' };
    expect(act(asked, CUSTODY_GRANTS, answer, SERGEANT).refusal).toBeNull();
    const answered = applyAction(asked, envelope(SERGEANT, answer), NOW);
    expect(act(answered, CUSTODY_GRANTS, answer, SERGEANT).refusal?.code).toBe(
      FailureCode.QuestionAlreadyAnswered,
    );
  });

  describe('confirm_transfer', () => {
    const offered = applyAction(openView(), envelope(RESPONDER, offerNonSecure), '2013-02-18T21:30:00.000Z');
    it('needs a bed offered first', () => {
      expect(
        act(openView(), CUSTODY_GRANTS, { kind: 'confirm_transfer', leftCustodyAt: NOW }, SERGEANT).refusal,
      ).toEqual({
        code: FailureCode.NoBedOffered,
      });
    });
    it('refuses a time before charge, and a time in the future', () => {
      expect(
        act(
          offered,
          CUSTODY_GRANTS,
          { kind: 'confirm_transfer', leftCustodyAt: '2013-02-18T20:59:00Z' },
          SERGEANT,
        ).refusal,
      ).toEqual({ code: FailureCode.TransferBeforeCharge, params: { chargedAt: CHARGED_AT } });
      expect(
        act(
          offered,
          CUSTODY_GRANTS,
          { kind: 'confirm_transfer', leftCustodyAt: '2013-02-18T22:30:00Z' },
          SERGEANT,
        ).refusal,
      ).toEqual({ code: FailureCode.TransferInFuture, params: { now: NOW } });
    });
    it('tolerates a few minutes of clock difference, and accepts a past time after charge', () => {
      for (const t of ['2013-02-18T22:04:00Z', '2013-02-18T21:45:00+00:00', CHARGED_AT]) {
        expect(
          act(offered, CUSTODY_GRANTS, { kind: 'confirm_transfer', leftCustodyAt: t }, SERGEANT).refusal,
        ).toBeNull();
      }
    });
  });

  describe('record_stay and Note 16D', () => {
    it('refuses the child’s behaviour and the nature of the offence as reasons', () => {
      expect(act(openView(), CUSTODY_GRANTS, stay('child_behaviour'), SERGEANT).refusal).toEqual({
        code: FailureCode.StayReasonBehaviour,
      });
      expect(act(openView(), CUSTODY_GRANTS, stay('nature_of_offence'), SERGEANT).refusal).toEqual({
        code: FailureCode.StayReasonOffence,
      });
    });

    it('accepts "no secure bed" only for a secure request at 12 or over', () => {
      expect(act(openView(), CUSTODY_GRANTS, stay('no_secure_bed_serious_harm'), SERGEANT).refusal).toEqual({
        code: FailureCode.StayReasonNoSecureBedNotSecureRequest,
      });
      expect(
        act(
          openView({ accommodation: 'secure', age: 11 }),
          CUSTODY_GRANTS,
          stay('no_secure_bed_serious_harm'),
          SERGEANT,
        ).refusal,
      ).toEqual({ code: FailureCode.StayReasonNoSecureBedUnder12, params: { age: 11 } });
      const secure = openView({ accommodation: 'secure', age: 12 });
      expect(act(secure, CUSTODY_GRANTS, stay('no_secure_bed_serious_harm'), SERGEANT).refusal).toBeNull();
      // Only a non-secure bed came: s.38(6)(b) may still apply.
      const nonSecureOffered = applyAction(secure, envelope(RESPONDER, offerNonSecure), NOW);
      expect(
        act(nonSecureOffered, CUSTODY_GRANTS, stay('no_secure_bed_serious_harm'), SERGEANT).refusal,
      ).toBeNull();
      // A secure bed came: there is no "no secure bed".
      const secureOffered = applyAction(secure, envelope(RESPONDER, offerSecure), NOW);
      expect(
        act(secureOffered, CUSTODY_GRANTS, stay('no_secure_bed_serious_harm'), SERGEANT).refusal?.code,
      ).toBe(FailureCode.StayReasonBedWasOffered);
    });

    it('refuses "no accommodation provided" when a bed was offered', () => {
      const offered = applyAction(
        openView(),
        envelope(RESPONDER, offerNonSecure),
        '2013-02-18T21:30:00.000Z',
      );
      expect(act(offered, CUSTODY_GRANTS, stay('no_accommodation_provided'), SERGEANT).refusal).toEqual({
        code: FailureCode.StayReasonBedWasOffered,
        params: { by: 'Duty social worker', at: '2013-02-18T21:30:00.000Z', accommodation: 'non_secure' },
      });
      expect(act(openView(), CUSTODY_GRANTS, stay('no_accommodation_provided'), SERGEANT).refusal).toBeNull();
    });

    it('accepts impracticable reasons, with or without an offer', () => {
      const offered = applyAction(openView(), envelope(RESPONDER, offerNonSecure), NOW);
      for (const v of [openView(), offered]) {
        expect(act(v, CUSTODY_GRANTS, stay('impracticable_extreme_weather'), SERGEANT).refusal).toBeNull();
        expect(act(v, CUSTODY_GRANTS, stay('impracticable_other'), SERGEANT).refusal).toBeNull();
      }
    });
  });
});

describe('applyAction', () => {
  it('moves through the statuses and counts any responder action as the acknowledgement', () => {
    let v = openView();
    expect(v.status).toBe('awaiting_acknowledgement');
    v = applyAction(
      v,
      envelope(RESPONDER, { kind: 'decline', reason: 'no_non_secure_placement', notes: '' }),
      '2013-02-18T21:20:00.000Z',
    );
    expect(v.status).toBe('declined');
    expect(v.acknowledged).toEqual({ by: RESPONDER, at: '2013-02-18T21:20:00.000Z' });
    expect(v.declines).toHaveLength(1);
    v = applyAction(v, envelope(OTHER_RESPONDER, offerNonSecure), '2013-02-18T22:40:00.000Z');
    expect(v.status).toBe('bed_offered');
    expect(v.acknowledged?.by).toEqual(RESPONDER);
    expect(v.offer).toMatchObject({
      by: OTHER_RESPONDER,
      provider: 'Oakfield House',
      transport: 'la_collects',
    });
    v = applyAction(
      v,
      envelope(SERGEANT, { kind: 'confirm_transfer', leftCustodyAt: '2013-02-18T23:10:00Z' }),
      '2013-02-18T23:15:00.000Z',
    );
    expect(v.status).toBe('resolved');
    expect(v.outcome).toEqual({
      code: 'transferred_non_secure',
      at: '2013-02-18T23:15:00.000Z',
      by: SERGEANT,
      leftCustodyAt: '2013-02-18T23:10:00Z',
      // When the child really left the cells (docs/legal-rules.md, "A stay is not the end").
      leftCellsAt: '2013-02-18T23:10:00Z',
      leftCellsAssumed: false,
      leftCellsFor: 'transfer',
    });
    expect(v.updatedAt).toBe('2013-02-18T23:15:00.000Z');
  });

  it('does not mutate its input', () => {
    const v = openView();
    const frozen = JSON.stringify(v);
    applyAction(v, envelope(RESPONDER, offerNonSecure), NOW);
    expect(JSON.stringify(v)).toBe(frozen);
  });

  it('writes the s.38(6) certificate when the child stays', () => {
    const v = applyAction(
      openView(),
      envelope(SERGEANT, {
        kind: 'record_stay',
        reason: 'no_accommodation_provided',
        explanation: 'EDT rang back at 23:40: no placement in the county tonight.',
      }),
      '2013-02-19T00:05:00.000Z',
    );
    expect(v.outcome?.code).toBe('detained_no_bed_non_secure');
    expect(v.outcome?.stayReason).toBe('no_accommodation_provided');
    const cert = v.outcome?.certificate ?? '';
    expect(cert).toContain('SECTION 38(6)');
    expect(cert).toContain('NC-1302-0042');
    expect(cert).toContain('Mon 18 Feb 2013, 21:00 GMT');
    expect(cert).toContain('Sgt Example (U0SERGEANT)');
    expect(cert).toContain('EDT rang back at 23:40');
    expect(cert).toContain('No accommodation was offered');
  });

  it('records the court deadline and escalations', () => {
    let v = applyEscalation(openView(), { level: 1, name: 'EDT manager' }, '2013-02-18T21:35:00.000Z');
    v = applyEscalation(v, { level: 3, name: 'Superintendent' }, '2013-02-19T00:00:00.000Z');
    v = applyEscalation(v, { level: 2, name: 'Inspector' }, '2013-02-19T00:05:00.000Z');
    expect(v.escalationLevel).toBe(3);
    expect(v.escalations.map((e) => e.level)).toEqual([1, 3, 2]);
    const ended = applyCourtDeadline(v, '2013-02-19T10:00:00.000Z');
    expect(ended.outcome).toMatchObject({ code: 'court_before_transfer', by: { platform: 'system' } });
    expect(ended.status).toBe('resolved');
  });

  it('statusOf ignores a stale status field', () => {
    expect(statusOf(openView({ status: 'resolved' }))).toBe('awaiting_acknowledgement');
  });
});

describe('outcomeFor', () => {
  const secure = openView({ accommodation: 'secure' });
  const withSecureOffer = applyAction(secure, envelope(RESPONDER, offerSecure), NOW);
  const withNonSecureOffer = applyAction(secure, envelope(RESPONDER, offerNonSecure), NOW);
  const transfer = { kind: 'confirm_transfer', leftCustodyAt: NOW } as const;
  const stayAction = (reason: Parameters<typeof stay>[0]) =>
    stay(reason) as Extract<RequestAction, { kind: 'record_stay' }>;

  it.each([
    [withSecureOffer, transfer, 'transferred_secure'],
    [withNonSecureOffer, transfer, 'transferred_non_secure'],
    [openView(), stayAction('no_accommodation_provided'), 'detained_no_bed_non_secure'],
    [secure, stayAction('no_secure_bed_serious_harm'), 'detained_no_secure_bed'],
    [openView(), stayAction('impracticable_extreme_weather'), 'detained_impracticable'],
    [openView(), stayAction('impracticable_other'), 'detained_impracticable'],
    [openView(), { kind: 'cancel', reason: 'bailed', notes: '' } as const, 'released_or_bailed'],
    [openView(), { kind: 'cancel', reason: 'charge_withdrawn', notes: '' } as const, 'released_or_bailed'],
    [openView(), { kind: 'cancel', reason: 'entered_in_error', notes: '' } as const, 'cancelled_in_error'],
  ] as const)('%#: %s', (view, action, code) => {
    expect(outcomeFor(view, action)).toBe(code);
  });
});

describe('the action envelope schema at the edge', () => {
  it('parses an offer and fills defaults', () => {
    const parsed = actionEnvelopeSchema.parse({
      actionId: 'x',
      actor: RESPONDER,
      action: {
        kind: 'offer_bed',
        accommodation: 'non_secure',
        provider: 'Oakfield',
        transport: 'la_collects',
      },
    });
    expect(parsed.action).toMatchObject({ notes: '' });
  });
});

describe('openingView', () => {
  it('opens awaiting acknowledgement, with the warnings of a secure request at 12 and an out-of-area child', () => {
    const request = bedRequestInputSchema.parse({
      custodyRecordNumber: 'NC-1',
      custodySuiteId: 'northampton-cjc',
      child: { pncId: '13/1A' },
      age: 12,
      homeLocalAuthorityId: 'milton-keynes',
      chargedAt: '2013-02-18T21:00:00Z',
      bailRefusalGround: 'commit_offence',
      nextCourtSitting: '2013-02-19T10:00:00Z',
      accommodation: 'secure',
      seriousHarmJustification: 'Threatened a named witness with a knife',
      requestingOfficer: { platform: 'slack', userId: 'U0SERGEANT' },
    });
    const view = openingView(request, {
      workflowId: 'w',
      caseRef: 'CN-1',
      custodySuiteName: 'Northampton',
      localAuthorityName: 'Milton Keynes',
      route: 'out_of_hours',
      outOfArea: true,
      requestedAt: '2013-02-18T21:05:00Z',
    });
    expect(view).toMatchObject({
      status: 'awaiting_acknowledgement',
      localAuthorityId: 'milton-keynes',
      warnings: ['secure_under_13_needs_secretary_of_state', 'out_of_area'],
      updatedAt: '2013-02-18T21:05:00Z',
      escalationLevel: 0,
    });
    expect(JSON.stringify(view)).not.toContain('13/1A');
  });
});
