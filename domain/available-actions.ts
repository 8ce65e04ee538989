import type { RequestActionKind } from './actions.js';
import { ACTION_ROLES, hasRole, isResponderFor, rolesFor } from './authorise.js';
import type { Accommodation } from './bed-request.js';
import { awaitingCountersignature, personIs, samePerson } from './countersignature.js';
import {
  CANCEL_REASON_LABELS,
  DECLINE_REASON_LABELS,
  STAY_REASON_CHOICES,
  type CancelReason,
  type DeclineReason,
  type StayReason,
} from './outcomes.js';
import type { Actor, Role, RoleGrant } from './people.js';
import type { Person } from './protocol.js';
import type { RequestView } from './request-view.js';

/**
 * Which actions a person is offered on a request card, in which order, with which labels and
 * choices. Slack's buttons and Teams' actions are both rendered from this one function, and the
 * choices agree with `checkAction` (docs/legal-rules.md, "Note 16D checks"), so neither platform
 * offers what the workflow would refuse.
 */

/** View details is not a workflow action (it changes nothing), but it is offered on the card. */
export type OfferedKind = RequestActionKind | 'view_details';

/** Button and action names, as people see them. */
export const ACTION_LABELS: Record<OfferedKind, string> = {
  acknowledge: 'Acknowledge',
  offer_bed: 'Offer bed',
  decline: 'Decline',
  request_info: 'Need info',
  answer_info: 'Answer question',
  confirm_transfer: 'Confirm transfer',
  record_stay: 'Child stays',
  record_left_cells: 'Child left the cells',
  amend_court_sitting: 'Amend court sitting',
  cancel: 'Cancel request',
  countersign: 'Countersign',
  view_details: 'View details',
};

/** Who views details: a responder for the request's authority, custody or admin. */
export const VIEW_DETAILS_ROLES: readonly Role[] = ['responder', 'custody', 'admin'];

/**
 * Which card a person sees: the duty team's, the sergeant's, or the inspector's (the certificate
 * to countersign, where the protocol asks: domain/countersignature.ts).
 */
export type CardAudience = 'responder' | 'custody' | 'inspector';

export interface OfferedAction {
  kind: OfferedKind;
  label: string;
  /** The one the person most likely wants now (primary), or one that ends or refuses (danger). */
  emphasis?: 'primary' | 'danger';
}

/** Accommodation a responder may offer: secure only for a secure request of a child of 12 or over. */
export function accommodationsFor(view: Pick<RequestView, 'accommodation' | 'age'>): Accommodation[] {
  return view.accommodation === 'secure' && view.age >= 12 ? ['non_secure', 'secure'] : ['non_secure'];
}

/**
 * Decline reasons for this request. "No secure bed" is a reason only for a secure request: the
 * authority must accept a non-secure request (Children Act 1989 s.21(2)(b)), and having no secure
 * bed never makes a non-secure transfer impracticable (Note 16D).
 */
export function declineReasonsFor(view: Pick<RequestView, 'accommodation'>): DeclineReason[] {
  return (Object.keys(DECLINE_REASON_LABELS) as DeclineReason[]).filter(
    (r) => r !== 'no_secure_bed' || view.accommodation === 'secure',
  );
}

/**
 * Stay reasons for this request, from the one coded list (`STAY_REASON_CHOICES`, the Concordat's
 * definition of impracticable): "no secure bed" (s.38(6)(b)) only where it could apply. The
 * reasons Note 16D rules out are never offered.
 */
export function stayReasonsFor(view: Pick<RequestView, 'accommodation' | 'age'>): StayReason[] {
  return STAY_REASON_CHOICES.filter(
    (r) => r !== 'no_secure_bed_serious_harm' || (view.accommodation === 'secure' && view.age >= 12),
  );
}

export function cancelReasonsFor(): CancelReason[] {
  return Object.keys(CANCEL_REASON_LABELS) as CancelReason[];
}

function isOpen(view: RequestView): boolean {
  return !view.outcome && view.status !== 'resolved';
}

/** May these grants take this kind of action on this request at all (roles only; state is below)? */
export function mayTake(grants: readonly RoleGrant[], kind: OfferedKind, view: RequestView): boolean {
  const roles = kind === 'view_details' ? VIEW_DETAILS_ROLES : ACTION_ROLES[kind];
  return roles.some((role) =>
    role === 'responder' ? isResponderFor(grants, view.localAuthorityId) : hasRole(grants, role),
  );
}

/**
 * The actions offered on the card for `audience`, by state: stale ones never show. With `grants`
 * (a card built for one person, e.g. a Teams refresh), only those this person may take.
 */
export function availableActions(
  view: RequestView,
  audience: CardAudience,
  grants?: readonly RoleGrant[],
  /** The person the card is built for: the sergeant who certified is never offered Countersign. */
  actor?: Pick<Actor, 'platform' | 'userId'>,
  /** The people list, so the certifier is known on either platform. */
  people?: readonly Person[],
): OfferedAction[] {
  const out: OfferedAction[] = [];
  const add = (kind: OfferedKind, emphasis?: OfferedAction['emphasis']) =>
    out.push({ kind, label: ACTION_LABELS[kind], ...(emphasis ? { emphasis } : {}) });
  const open = isOpen(view);
  // Held after a stay (docs/legal-rules.md, "A stay is not the end"): a bed is still sought.
  const held = view.stay !== undefined;
  if (audience === 'responder') {
    if (open) {
      if (!view.acknowledged) add('acknowledge', 'primary');
      if (!view.offer) {
        add('offer_bed', view.acknowledged || held ? 'primary' : undefined);
        if (!held) add('decline', 'danger');
      }
      add('request_info');
      // Only while open: once the child has left or stayed, the duty team needs the identity no
      // more (data minimisation; docs/legal-rules.md, "Data protection").
      add('view_details');
    }
  } else if (audience === 'inspector') {
    // The certificate awaiting countersignature; once countersigned (or closed), nothing to do.
    const certifier = view.stay?.by;
    if (awaitingCountersignature(view) && !(actor && certifier && samePerson(actor, certifier, people)))
      add('countersign', 'primary');
  } else if (open) {
    if (view.questions.some((q) => !q.answer)) add('answer_info', 'primary');
    // Without an offer in chat, Confirm transfer records one arranged by phone.
    add('confirm_transfer', view.offer ? 'primary' : undefined);
    if (held) add('record_left_cells', 'primary');
    else add('record_stay', 'danger');
    add('amend_court_sitting');
    add('cancel');
  }
  return grants ? out.filter((a) => mayTake(grants, a.kind, view)) : out;
}

/**
 * The Teams users who can act on this card (any offered action, View details included), for the
 * card's `refresh.userIds`: Teams refreshes a card by itself only for the users named there (or
 * for everyone in a conversation of 60 members or fewer), so each of these sees their own buttons.
 */
export function teamsUsersWhoMayAct(
  view: RequestView,
  audience: CardAudience,
  people: readonly Person[],
  max = 60,
): string[] {
  const offered = availableActions(view, audience);
  const ids = new Set<string>();
  const certifier = view.stay?.by;
  for (const person of people) {
    if (!person.teams || ids.size >= max) continue;
    const grants = rolesFor([person], { platform: 'teams', userId: person.teams });
    const self = certifier !== undefined && personIs(person, certifier);
    if (offered.some((a) => mayTake(grants, a.kind, view) && !(a.kind === 'countersign' && self)))
      ids.add(person.teams);
  }
  return [...ids];
}
