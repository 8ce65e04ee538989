// An inspector's countersignature of the s.38(6) certificate (docs/legal-rules.md,
// "Countersignature by an inspector"): a protocol option, decided once in domain/ for the
// workflow, the desk and both renderers.
import { describe, expect, it } from 'vitest';
import { availableActions, teamsUsersWhoMayAct } from '../../domain/available-actions.js';
import {
  awaitingCountersignature,
  certificateFingerprint,
  countersignRefusal,
  countersignatureSettingsSchema,
} from '../../domain/countersignature.js';
import { FailureCode } from '../../domain/failures.js';
import type { Actor, RoleGrant } from '../../domain/people.js';
import { protocolSchema, type Person } from '../../domain/protocol.js';
import { applyAction, applyCountersignPage, checkAction } from '../../domain/request-rules.js';
import type { RequestView } from '../../domain/request-view.js';
import { snapshotFor } from '../../domain/routing.js';
import { testProtocol } from '../support/workflow-harness.js';
import {
  CUSTODY_GRANTS,
  NOW,
  RESPONDER,
  RESPONDER_GRANTS,
  SERGEANT,
  envelope,
  openView,
} from './view-fixture.js';

const INSPECTOR: Actor = { platform: 'slack', userId: 'U0INSP', displayName: 'Insp. Grey' };
const INSPECTOR_GRANTS: RoleGrant[] = [{ role: 'inspector', localAuthorityIds: [] }];
/** The sergeant who certified, who also holds the inspector role (an acting inspector). */
const SERGEANT_AND_INSPECTOR: RoleGrant[] = [...CUSTODY_GRANTS, ...INSPECTOR_GRANTS];

const STAY = {
  kind: 'record_stay',
  reason: 'impracticable_medical',
  explanation: 'Taken to A&E at 22:10 with a head injury; still being treated',
} as const;

/** A request whose stay was recorded by the sergeant, with the countersignature asked for or not. */
function stayed(countersignRequired: boolean): RequestView {
  return applyAction(openView(), envelope(SERGEANT, STAY), NOW, {
    stayContinues: true,
    countersignRequired,
  });
}

const countersign = (actor: Actor) => envelope(actor, { kind: 'countersign' });

describe('the protocol setting', () => {
  it('is off by default, and the shipped example protocol leaves it off', () => {
    expect(countersignatureSettingsSchema.parse(undefined)).toEqual({
      required: false,
      role: 'inspector',
      notify: [],
    });
    const shipped = testProtocol();
    expect(shipped.certificate?.countersignature.required ?? false).toBe(false);
    expect(snapshotFor(shipped, bedRequestSite(), NOW, () => null).countersignature).toBeUndefined();
  });

  it('turned on, the snapshot carries the role, the re-page interval and the contacts', () => {
    const on = testProtocol((f) => {
      f.certificate = {
        countersignature: { required: true, pageAfter: '30m', notify: ['custody-inspector'] },
      };
    });
    const snap = snapshotFor(on, bedRequestSite(), NOW, () => null);
    expect(snap.countersignature).toEqual({
      role: 'inspector',
      repageMs: 30 * 60_000,
      notify: ['custody-inspector'],
    });
    expect(snap.contacts['custody-inspector']).toEqual([{ platform: 'slack', address: 'U0CUSTINSP' }]);
  });

  it('refuses a file that asks for it with nobody to page, or names an unknown contact', () => {
    const file = () => {
      let captured: unknown;
      testProtocol((f) => {
        captured = structuredClone(f);
      });
      return captured as Record<string, unknown>;
    };
    const nobody = protocolSchema.safeParse({
      ...file(),
      certificate: { countersignature: { required: true } },
    });
    expect(nobody.success).toBe(false);
    expect(JSON.stringify(nobody.error?.issues)).toMatch(/Nobody can be paged to countersign/);
    const unknown = protocolSchema.safeParse({
      ...file(),
      certificate: { countersignature: { required: true, notify: ['nobody-here'] } },
    });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]?.path).toEqual(['certificate', 'countersignature', 'notify', 0]);
  });
});

describe('a stay’s certificate', () => {
  it('awaits countersignature when the protocol asks, and is final at once when it does not', () => {
    const asked = stayed(true);
    expect(asked.stay?.countersignature).toEqual({ status: 'awaiting', pagedAt: [] });
    expect(awaitingCountersignature(asked)).toBe(true);
    const notAsked = stayed(false);
    expect(notAsked.stay?.countersignature).toBeUndefined();
    expect(awaitingCountersignature(notAsked)).toBe(false);
  });

  it('records each page to the inspectors', () => {
    const paged = applyCountersignPage(applyCountersignPage(stayed(true), NOW), '2013-02-18T22:30:00.000Z');
    expect(paged.stay?.countersignature).toEqual({
      status: 'awaiting',
      pagedAt: [NOW, '2013-02-18T22:30:00.000Z'],
    });
  });
});

describe('who may countersign', () => {
  it('an inspector may; the certificate is then countersigned, and its text says by whom and when', () => {
    const view = applyCountersignPage(stayed(true), NOW);
    expect(checkAction(view, INSPECTOR_GRANTS, countersign(INSPECTOR), NOW)).toBeNull();
    const at = '2013-02-18T23:40:00.000Z';
    const signed = applyAction(view, countersign(INSPECTOR), at, { timeZone: 'Europe/London' });
    expect(signed.stay?.countersignature).toEqual({
      status: 'countersigned',
      by: INSPECTOR,
      at,
      pagedAt: [NOW],
    });
    expect(signed.stay?.certificate).toBe(
      `${view.stay?.certificate ?? ''}\nCountersigned by inspector Insp. Grey (U0INSP) at Mon 18 Feb 2013, 23:40 GMT.`,
    );
    // The child still held; the request still open.
    expect(signed.status).toBe('held_bed_sought');
    expect(awaitingCountersignature(signed)).toBe(false);
  });

  it('a person without the inspector role may not: the sergeant, a responder', () => {
    const view = stayed(true);
    expect(checkAction(view, CUSTODY_GRANTS, countersign(SERGEANT), NOW)).toEqual({
      code: FailureCode.RoleNotPermitted,
      params: { action: 'countersign', roles: 'inspector' },
    });
    expect(checkAction(view, RESPONDER_GRANTS, countersign(RESPONDER), NOW)?.code).toBe(
      FailureCode.RoleNotPermitted,
    );
  });

  it('the sergeant who certified may not countersign their own certificate, even holding the role', () => {
    const view = stayed(true);
    expect(checkAction(view, SERGEANT_AND_INSPECTOR, countersign(SERGEANT), NOW)).toEqual({
      code: FailureCode.CountersignOwnCertificate,
      params: { at: NOW },
    });
    // Another officer holding the same grants may.
    expect(checkAction(view, SERGEANT_AND_INSPECTOR, countersign(INSPECTOR), NOW)).toBeNull();
  });

  it('nor on the other platform: one people-list entry with a Slack and a Teams ID is one officer', () => {
    const view = stayed(true);
    const onTeams: Actor = { platform: 'teams', userId: 'aad-sgt', displayName: 'Sgt Example' };
    const people: Person[] = [
      {
        name: 'Sgt Example',
        slack: SERGEANT.userId,
        teams: 'aad-sgt',
        roles: ['custody', 'inspector'],
        localAuthorities: [],
      },
    ];
    expect(checkAction(view, SERGEANT_AND_INSPECTOR, countersign(onTeams), NOW, people)?.code).toBe(
      FailureCode.CountersignOwnCertificate,
    );
    expect(availableActions(view, 'inspector', SERGEANT_AND_INSPECTOR, onTeams, people)).toEqual([]);
  });

  it('nothing to countersign: no stay, not asked for, already countersigned, or the request closed', () => {
    expect(checkAction(openView(), INSPECTOR_GRANTS, countersign(INSPECTOR), NOW)?.code).toBe(
      FailureCode.NoCertificateToCountersign,
    );
    expect(checkAction(stayed(false), INSPECTOR_GRANTS, countersign(INSPECTOR), NOW)?.code).toBe(
      FailureCode.CountersignNotRequired,
    );
    const signed = applyAction(stayed(true), countersign(INSPECTOR), NOW);
    expect(countersignRefusal(signed, { platform: 'slack', userId: 'U0OTHER' })).toEqual({
      code: FailureCode.CertificateAlreadyCountersigned,
      params: { by: 'Insp. Grey', at: NOW },
    });
    const closed = applyAction(
      stayed(true),
      envelope(SERGEANT, { kind: 'record_left_cells', leftFor: 'court', leftAt: NOW }),
      NOW,
    );
    expect(checkAction(closed, INSPECTOR_GRANTS, countersign(INSPECTOR), NOW)?.code).toBe(
      FailureCode.RequestClosed,
    );
    // The outcome keeps where the countersignature stood when the child left.
    expect(closed.outcome?.certificateCountersignature).toEqual({ status: 'awaiting', pagedAt: [] });
  });
});

describe('what the cards offer (both renderers read this)', () => {
  it('the inspector’s card offers Countersign while awaiting, to an inspector only, never to the certifier', () => {
    const view = stayed(true);
    expect(availableActions(view, 'inspector').map((a) => a.kind)).toEqual(['countersign']);
    expect(availableActions(view, 'inspector', INSPECTOR_GRANTS, INSPECTOR).map((a) => a.kind)).toEqual([
      'countersign',
    ]);
    expect(availableActions(view, 'inspector', CUSTODY_GRANTS, SERGEANT)).toEqual([]);
    expect(availableActions(view, 'inspector', SERGEANT_AND_INSPECTOR, SERGEANT)).toEqual([]);
    expect(availableActions(applyAction(view, countersign(INSPECTOR), NOW), 'inspector')).toEqual([]);
    expect(availableActions(stayed(false), 'inspector')).toEqual([]);
    // The sergeant's and the duty team's cards never offer it.
    expect(availableActions(view, 'custody').map((a) => a.kind)).not.toContain('countersign');
    expect(availableActions(view, 'responder').map((a) => a.kind)).not.toContain('countersign');
  });

  it('Teams refreshes the inspector’s card for the inspectors, not for the certifying sergeant', () => {
    const teamsSergeant: Actor = { platform: 'teams', userId: 'aad-sgt', displayName: 'Sgt T' };
    const view = applyAction(
      openView({ requestingOfficer: teamsSergeant }),
      envelope(teamsSergeant, STAY),
      NOW,
      {
        stayContinues: true,
        countersignRequired: true,
      },
    );
    const people: Person[] = [
      { name: 'Sgt T', teams: 'aad-sgt', roles: ['custody', 'inspector'], localAuthorities: [] },
      { name: 'Insp', teams: 'aad-insp', roles: ['inspector'], localAuthorities: [] },
      { name: 'SW', teams: 'aad-sw', roles: ['responder'], localAuthorities: ['west-northamptonshire'] },
    ];
    expect(teamsUsersWhoMayAct(view, 'inspector', people)).toEqual(['aad-insp']);
  });
});

describe('the audit’s fingerprint of the certificate', () => {
  it('is stable, short, and differs when the text differs', () => {
    const text = stayed(true).stay?.certificate ?? '';
    expect(certificateFingerprint(text)).toMatch(/^[0-9a-f]{8}$/);
    expect(certificateFingerprint(text)).toBe(certificateFingerprint(`${text}`));
    expect(certificateFingerprint(`${text}.`)).not.toBe(certificateFingerprint(text));
  });
});

function bedRequestSite() {
  return { custodySuiteId: 'northampton-cjc', homeLocalAuthorityId: 'west-northamptonshire' };
}
