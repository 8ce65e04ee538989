import type { RequestAction, RequestActionKind } from '../domain/actions.js';
import type { RequestView } from '../domain/request-view.js';

/**
 * A stand-in action of a kind, for the check made before a form opens: it asks "may this person
 * take this kind of action on this request now?" with harmless field values. The real action is
 * checked again when sent, and the workflow checks it authoritatively.
 */
export function probeAction(kind: RequestActionKind, view: RequestView, now: string): RequestAction | null {
  switch (kind) {
    case 'acknowledge':
      return { kind };
    case 'offer_bed':
      return { kind, accommodation: 'non_secure', provider: 'probe', transport: 'other', notes: '' };
    case 'decline':
      return { kind, reason: 'no_non_secure_placement', notes: '' };
    case 'request_info':
      return { kind, question: 'probe question' };
    case 'answer_info': {
      const open = view.questions.find((q) => !q.answer);
      return open ? { kind, questionId: open.id, answer: 'probe' } : null;
    }
    case 'confirm_transfer':
      // With no offer in chat, the form asks what was arranged by phone.
      return view.offer
        ? { kind, leftCustodyAt: now }
        : {
            kind,
            leftCustodyAt: now,
            arrangedOutsideChat: { provider: 'probe', accommodation: 'non_secure', transport: 'other' },
          };
    case 'record_left_cells':
      return { kind, leftFor: 'court', leftAt: now };
    case 'amend_court_sitting':
      return { kind, nextCourtSitting: view.nextCourtSitting, reason: 'probe reason' };
    case 'record_stay':
      return { kind, reason: 'impracticable_other', explanation: 'probe explanation' };
    case 'cancel':
      return { kind, reason: 'bailed', notes: '' };
    case 'countersign':
      return { kind };
  }
}
