import type { RequestView } from '../../../domain/request-view.js';

/** A request view as the workflow's `state` query returns it (no personal data). */
export function sampleView(overrides: Partial<RequestView> = {}): RequestView {
  return {
    workflowId: 'bed-request:NORTHAMPTON-CJC:NC-2013-0218',
    caseRef: 'CN-7K3F9Q',
    custodyRecordNumber: 'NC-2013-0218',
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
    chargedAt: '2013-02-18T21:40:00Z',
    requestedAt: '2013-02-18T21:45:00Z',
    nextCourtSitting: '2013-02-19T10:00:00Z',
    requestingOfficer: { platform: 'slack', userId: 'U0SERGEANT', displayName: 'Sgt Example' },
    declines: [],
    questions: [],
    escalationLevel: 0,
    escalations: [],
    updatedAt: '2013-02-18T21:45:00Z',
    ...overrides,
  };
}
