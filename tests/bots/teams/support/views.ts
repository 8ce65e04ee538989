import type { RequestView } from '../../../../domain/request-view.js';
import { sampleView as sharedSampleView } from '../../shared/fixtures.js';
import { AAD } from './teams-protocol.js';

/** The identity used in tests: it must never appear on a shared card or in a log line. */
export const CHILD = {
  pncId: '13/654321Z',
  givenName: 'Jordanna',
  familyName: 'Quillfeather',
  dateOfBirth: '1997-06-14',
};

export const SERGEANT = { platform: 'teams' as const, userId: AAD.sergeant, displayName: 'Sgt Example' };
export const RESPONDER = {
  platform: 'teams' as const,
  userId: AAD.responder,
  displayName: 'Duty social worker',
};

/** The shared sample view, requested by the Teams sergeant. */
export function sampleView(overrides: Partial<RequestView> = {}): RequestView {
  return sharedSampleView({ requestingOfficer: SERGEANT, ...overrides });
}

/** The same request at every stage the cards must render. */
export function viewsAtEveryStage(): Record<string, RequestView> {
  const at = (m: number) => new Date(Date.parse('2013-02-18T21:45:00Z') + m * 60_000).toISOString();
  const acknowledged = { by: RESPONDER, at: at(5) };
  const offer = {
    by: RESPONDER,
    at: at(40),
    accommodation: 'non_secure' as const,
    provider: 'Oak House children’s home',
    transport: 'la_collects' as const,
    notes: 'Bed ready from 23:00',
  };
  return {
    new: sampleView(),
    acknowledged: sampleView({ status: 'acknowledged', acknowledged }),
    question: sampleView({
      status: 'acknowledged',
      acknowledged,
      questions: [
        { id: 'q1', by: RESPONDER, at: at(10), question: 'Does the child need medication overnight?' },
      ],
    }),
    declined: sampleView({
      status: 'declined',
      acknowledged,
      declines: [{ by: RESPONDER, at: at(20), reason: 'no_non_secure_placement', notes: '' }],
    }),
    offered: sampleView({ status: 'bed_offered', acknowledged, offer }),
    escalated: sampleView({
      status: 'acknowledged',
      acknowledged,
      escalationLevel: 2,
      escalations: [{ level: 2, name: 'Superintendent', at: at(120) }],
      warnings: ['out_of_area'],
      outOfArea: true,
    }),
    transferred: sampleView({
      status: 'resolved',
      acknowledged,
      offer,
      outcome: { code: 'transferred_non_secure', at: at(90), by: SERGEANT, leftCustodyAt: at(85) },
    }),
    stayed: sampleView({
      status: 'resolved',
      acknowledged,
      declines: [{ by: RESPONDER, at: at(20), reason: 'no_non_secure_placement', notes: '' }],
      outcome: {
        code: 'detained_no_bed_non_secure',
        at: at(300),
        by: SERGEANT,
        stayReason: 'no_accommodation_provided',
        certificate: 'CERTIFICATE UNDER SECTION 38(6)\nCustody record: NC-2013-0218 (case CN-7K3F9Q).',
      },
    }),
  };
}
