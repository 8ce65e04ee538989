import type { ActionEnvelope, RequestAction } from '../../domain/actions.js';
import type { Actor, RoleGrant } from '../../domain/people.js';
import type { RequestView } from '../../domain/request-view.js';

export const SERGEANT: Actor = { platform: 'slack', userId: 'U0SERGEANT', displayName: 'Sgt Example' };
export const RESPONDER: Actor = {
  platform: 'slack',
  userId: 'U0RESPONDER',
  displayName: 'Duty social worker',
};
export const OTHER_RESPONDER: Actor = { platform: 'teams', userId: 'aad-2', displayName: 'EDT worker' };
export const LEAD: Actor = { platform: 'slack', userId: 'U0LEAD', displayName: 'Force custody lead' };

export const CUSTODY_GRANTS: RoleGrant[] = [{ role: 'custody', localAuthorityIds: [] }];
export const RESPONDER_GRANTS: RoleGrant[] = [
  { role: 'responder', localAuthorityIds: ['west-northamptonshire'] },
];
export const OTHER_LA_RESPONDER_GRANTS: RoleGrant[] = [
  { role: 'responder', localAuthorityIds: ['milton-keynes'] },
];
export const ADMIN_GRANTS: RoleGrant[] = [
  { role: 'lead', localAuthorityIds: [] },
  { role: 'admin', localAuthorityIds: [] },
];

export const CHARGED_AT = '2013-02-18T21:00:00.000Z';
export const REQUESTED_AT = '2013-02-18T21:05:00.000Z';
export const NOW = '2013-02-18T22:00:00.000Z';

export function openView(over: Partial<RequestView> = {}): RequestView {
  return {
    workflowId: 'bed-request:NORTHAMPTON-CJC:NC-1302-0042',
    caseRef: 'CN-7K3F9Q',
    custodyRecordNumber: 'NC-1302-0042',
    custodySuiteId: 'northampton-cjc',
    custodySuiteName: 'Northampton Criminal Justice Centre',
    localAuthorityId: 'west-northamptonshire',
    localAuthorityName: 'West Northamptonshire Council',
    route: 'out_of_hours',
    outOfArea: false,
    age: 15,
    accommodation: 'non_secure',
    warnings: [],
    status: 'awaiting_acknowledgement',
    chargedAt: CHARGED_AT,
    requestedAt: REQUESTED_AT,
    nextCourtSitting: '2013-02-19T10:00:00.000Z',
    requestingOfficer: SERGEANT,
    declines: [],
    questions: [],
    escalationLevel: 0,
    escalations: [],
    updatedAt: REQUESTED_AT,
    ...over,
  };
}

let seq = 0;
export function envelope(actor: Actor, action: RequestAction): ActionEnvelope {
  seq += 1;
  return { actionId: `a${seq}`, actor, action };
}

export const offerNonSecure: RequestAction = {
  kind: 'offer_bed',
  accommodation: 'non_secure',
  provider: 'Oakfield House',
  transport: 'la_collects',
  notes: '',
};
export const offerSecure: RequestAction = {
  ...offerNonSecure,
  accommodation: 'secure',
  provider: 'Clayfields',
};
