import type { ActionEnvelope, RequestAction } from './actions.js';
import { requestWarnings, type BedRequestInput } from './bed-request.js';
import { ACTION_ROLES, hasRole, isResponderFor } from './authorise.js';
import { certificateText, type CertificateTemplate } from './certificate.js';
import { countersignRefusal, countersignatureLine } from './countersignature.js';
import { FailureCode, type Refusal } from './failures.js';
import { screenStayExplanation } from './legal/note-16d-screen.js';
import type { OutcomeCode } from './outcomes.js';
import { SYSTEM_ACTOR, type Actor, type RoleGrant } from './people.js';
import type { Person } from './protocol.js';
import type { RequestStatus, RequestView, Route } from './request-view.js';
import { formatLocal } from './time-windows.js';

/**
 * The role × action × state rules of a bed request. The workflow applies them authoritatively
 * when an action arrives; the bots call the same `checkAction` for an instant private reply
 * before they signal. Both are pure: same view, grants, envelope and time, same answer.
 */

/** A transfer time may be this far ahead of the checker's clock (chat and server clocks differ). */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export type ResolvingAction = Extract<
  RequestAction,
  { kind: 'confirm_transfer' | 'record_stay' | 'record_left_cells' | 'cancel' }
>;

/**
 * An action that may end the request. A stay ends it only in histories recorded before a stay
 * stopped being the end (`applyAction`'s `stayContinues`); test the view's outcome to know.
 */
export function isResolving(action: RequestAction): action is ResolvingAction {
  return (
    action.kind === 'confirm_transfer' ||
    action.kind === 'record_stay' ||
    action.kind === 'record_left_cells' ||
    action.kind === 'cancel'
  );
}

/** How an actor is named in a refusal or on a card: display name when the edge gave one. */
export function actorLabel(actor: Actor): string {
  return actor.displayName ?? actor.userId;
}

function refuse(code: FailureCode, params?: Record<string, string | number>): Refusal {
  return params ? { code, params } : { code };
}

function checkRole(view: RequestView, grants: readonly RoleGrant[], action: RequestAction): Refusal | null {
  const allowed = ACTION_ROLES[action.kind];
  const held = allowed.filter((role) => hasRole(grants, role));
  if (held.length === 0) {
    return refuse(FailureCode.RoleNotPermitted, { action: action.kind, roles: allowed.join(', ') });
  }
  // A responder answers only for the local authorities they are mapped to. Another permitted role
  // (e.g. admin for cancel) is not limited by authority.
  const onlyResponder = held.every((role) => role === 'responder');
  if (onlyResponder && !isResponderFor(grants, view.localAuthorityId)) {
    return refuse(FailureCode.NotResponderForAuthority, {
      action: action.kind,
      localAuthority: view.localAuthorityName,
    });
  }
  return null;
}

function checkState(view: RequestView, action: RequestAction, nowIso: string): Refusal | null {
  if (view.outcome || view.status === 'resolved') {
    return refuse(FailureCode.RequestClosed, {
      outcome: view.outcome?.code ?? 'resolved',
      at: view.outcome?.at ?? view.updatedAt,
    });
  }
  const offered = view.offer;
  switch (action.kind) {
    case 'acknowledge':
      if (view.acknowledged) {
        return refuse(FailureCode.AlreadyAcknowledged, {
          by: actorLabel(view.acknowledged.by),
          at: view.acknowledged.at,
        });
      }
      return null;
    case 'offer_bed':
      if (offered) {
        return refuse(FailureCode.OfferAlreadyAccepted, { by: actorLabel(offered.by), at: offered.at });
      }
      // Secure accommodation is only for a child of 12 or over (checked before the type match,
      // because it is the rule a person needs to hear).
      if (action.accommodation === 'secure' && view.age < 12) {
        return refuse(FailureCode.SecureUnder12, { age: view.age });
      }
      // A non-secure bed is a valid offer for any request: the LA must accept a non-secure request
      // (Children Act 1989 s.21(2)(b)) and having no secure bed never makes a non-secure transfer
      // impracticable (Note 16D). A secure bed for a non-secure request is refused: secure
      // accommodation only when necessary, and the police certified no serious-harm need.
      if (action.accommodation === 'secure' && view.accommodation === 'non_secure') {
        return refuse(FailureCode.OfferTypeMismatch, {
          requested: view.accommodation,
          offered: action.accommodation,
        });
      }
      return null;
    case 'decline':
      if (offered) {
        return refuse(FailureCode.OfferAlreadyAccepted, { by: actorLabel(offered.by), at: offered.at });
      }
      // A non-secure request cannot be declined for want of a secure bed: the authority must accept
      // it (Children Act 1989 s.21(2)(b); docs/legal-rules.md, "Note 16D checks").
      if (action.reason === 'no_secure_bed' && view.accommodation !== 'secure') {
        return refuse(FailureCode.DeclineNoSecureBedNotSecureRequest);
      }
      if (action.reason === 'other' && action.notes.trim().length < 5) {
        return refuse(FailureCode.InvalidInput, { field: 'notes' });
      }
      return null;
    case 'request_info':
      return null;
    case 'answer_info': {
      const q = view.questions.find((x) => x.id === action.questionId);
      if (!q) return refuse(FailureCode.QuestionNotFound, { questionId: action.questionId });
      if (q.answer) {
        return refuse(FailureCode.QuestionAlreadyAnswered, { by: actorLabel(q.answer.by), at: q.answer.at });
      }
      return null;
    }
    case 'confirm_transfer': {
      const arranged = action.arrangedOutsideChat;
      // A transfer arranged by phone needs no offer in chat, but the same law holds for its bed.
      if (!offered && !arranged) return refuse(FailureCode.NoBedOffered);
      if (arranged?.accommodation === 'secure' && view.age < 12) {
        return refuse(FailureCode.SecureUnder12, { age: view.age });
      }
      if (arranged?.accommodation === 'secure' && view.accommodation === 'non_secure') {
        return refuse(FailureCode.OfferTypeMismatch, {
          requested: view.accommodation,
          offered: arranged.accommodation,
        });
      }
      const left = Date.parse(action.leftCustodyAt);
      if (Number.isNaN(left)) return refuse(FailureCode.InvalidInput, { field: 'leftCustodyAt' });
      if (left < Date.parse(view.chargedAt)) {
        return refuse(FailureCode.TransferBeforeCharge, { chargedAt: view.chargedAt });
      }
      if (left > Date.parse(nowIso) + FUTURE_TOLERANCE_MS) {
        return refuse(FailureCode.TransferInFuture, { now: nowIso });
      }
      return null;
    }
    case 'record_left_cells': {
      const left = Date.parse(action.leftAt);
      if (Number.isNaN(left)) return refuse(FailureCode.InvalidInput, { field: 'leftAt' });
      if (left < Date.parse(view.chargedAt)) {
        return refuse(FailureCode.TransferBeforeCharge, { chargedAt: view.chargedAt });
      }
      if (left > Date.parse(nowIso) + FUTURE_TOLERANCE_MS) {
        return refuse(FailureCode.LeftCellsInFuture, { now: nowIso });
      }
      return null;
    }
    case 'amend_court_sitting': {
      const to = Date.parse(action.nextCourtSitting);
      // Not before the charge, and not already passed (with the clocks' tolerance).
      if (
        Number.isNaN(to) ||
        to <= Date.parse(view.chargedAt) ||
        to < Date.parse(nowIso) - FUTURE_TOLERANCE_MS
      ) {
        return refuse(FailureCode.InvalidInput, { field: 'nextCourtSitting' });
      }
      return null;
    }
    case 'record_stay':
      if (view.stay) {
        return refuse(FailureCode.StayAlreadyRecorded, { by: actorLabel(view.stay.by), at: view.stay.at });
      }
      switch (action.reason) {
        // PACE Code C Note 16D: neither makes a transfer impracticable.
        case 'child_behaviour':
          return refuse(FailureCode.StayReasonBehaviour);
        case 'nature_of_offence':
          return refuse(FailureCode.StayReasonOffence);
        case 'no_secure_bed_serious_harm':
          // s.38(6)(b): only for a child of 12 or over for whom secure accommodation was requested.
          if (view.accommodation !== 'secure')
            return refuse(FailureCode.StayReasonNoSecureBedNotSecureRequest);
          if (view.age < 12) return refuse(FailureCode.StayReasonNoSecureBedUnder12, { age: view.age });
          if (offered?.accommodation === 'secure') {
            return refuse(FailureCode.StayReasonBedWasOffered, {
              by: actorLabel(offered.by),
              at: offered.at,
              accommodation: offered.accommodation,
            });
          }
          return null;
        case 'no_accommodation_provided':
          if (offered) {
            return refuse(FailureCode.StayReasonBedWasOffered, {
              by: actorLabel(offered.by),
              at: offered.at,
              accommodation: offered.accommodation,
            });
          }
          return null;
        case 'impracticable_extreme_weather':
        case 'impracticable_other':
        case 'impracticable_medical':
        case 'impracticable_court_too_soon':
          return null;
      }
      return null;
    case 'cancel':
      return null;
    case 'countersign':
      // Who and which certificate: countersignRefusal, in checkAction (it needs the actor).
      return null;
  }
}

/**
 * Is this person allowed to take this action on this request now? Null when yes; otherwise the
 * coded refusal, which changes nothing. Roles first (who you are), then state (what the request is).
 */
export function checkAction(
  view: RequestView,
  grants: RoleGrant[],
  envelope: ActionEnvelope,
  nowIso: string,
  /** The people list the grants came from: the certifying sergeant is known on either platform. */
  people: readonly Person[] = [],
): Refusal | null {
  return (
    checkRole(view, grants, envelope.action) ??
    checkState(view, envelope.action, nowIso) ??
    // An inspector's countersignature (domain/countersignature.ts): never the certifying sergeant's.
    (envelope.action.kind === 'countersign' ? countersignRefusal(view, envelope.actor, people) : null)
  );
}

/**
 * The Note 16D screen of a stay's explanation (domain/legal/note-16d-screen.ts), as a refusal.
 * Separate from `checkAction` so the workflow can guard it with `patched()` for histories recorded
 * before it; the request desk applies both.
 */
export function stayExplanationRefusal(
  view: Pick<RequestView, 'accommodation'>,
  action: RequestAction,
): Refusal | null {
  if (action.kind !== 'record_stay') return null;
  const ground = screenStayExplanation({
    reason: action.reason,
    explanation: action.explanation,
    accommodation: view.accommodation,
  });
  return ground ? refuse(FailureCode.StayExplanationNote16D, { ground }) : null;
}

/** The outcome a resolving action records. */
export function outcomeFor(view: RequestView, action: ResolvingAction): OutcomeCode {
  switch (action.kind) {
    case 'confirm_transfer':
      return (action.arrangedOutsideChat?.accommodation ??
        view.offer?.accommodation ??
        view.accommodation) === 'secure'
        ? 'transferred_secure'
        : 'transferred_non_secure';
    case 'record_left_cells':
      // Held after a stay: the stay's outcome. Before any stay: to court, or bailed or released.
      if (view.stay) return view.stay.code;
      return action.leftFor === 'court' ? 'court_before_transfer' : 'released_or_bailed';
    case 'record_stay':
      switch (action.reason) {
        case 'no_accommodation_provided':
          return 'detained_no_bed_non_secure';
        case 'no_secure_bed_serious_harm':
          return 'detained_no_secure_bed';
        case 'impracticable_extreme_weather':
        case 'impracticable_other':
        case 'impracticable_medical':
        case 'impracticable_court_too_soon':
        case 'child_behaviour':
        case 'nature_of_offence':
          return 'detained_impracticable';
      }
      return 'detained_impracticable';
    case 'cancel':
      if (action.reason === 'entered_in_error') return 'cancelled_in_error';
      // Bailed or released after a stay: the child was still held after charge until then.
      return view.stay ? view.stay.code : 'released_or_bailed';
  }
}

/** Status follows from the facts, so it can never disagree with them. */
export function statusOf(view: Omit<RequestView, 'status'>): RequestStatus {
  if (view.outcome) return 'resolved';
  if (view.offer) return 'bed_offered';
  if (view.stay) return 'held_bed_sought';
  if (view.declines.length > 0) return 'declined';
  if (view.acknowledged) return 'acknowledged';
  return 'awaiting_acknowledgement';
}

function withStatus(view: RequestView): RequestView {
  return { ...view, status: statusOf(view) };
}

/** The view of a request just opened: what the workflow holds before anyone has acted. */
export function openingView(
  request: BedRequestInput,
  opened: {
    workflowId: string;
    caseRef: string;
    custodySuiteName: string;
    localAuthorityName: string;
    route: Route;
    outOfArea: boolean;
    requestedAt: string;
  },
): RequestView {
  return {
    workflowId: opened.workflowId,
    caseRef: opened.caseRef,
    custodyRecordNumber: request.custodyRecordNumber,
    custodySuiteId: request.custodySuiteId,
    custodySuiteName: opened.custodySuiteName,
    localAuthorityId: request.homeLocalAuthorityId,
    localAuthorityName: opened.localAuthorityName,
    route: opened.route,
    outOfArea: opened.outOfArea,
    age: request.age,
    accommodation: request.accommodation,
    warnings: [...requestWarnings(request), ...(opened.outOfArea ? (['out_of_area'] as const) : [])],
    status: 'awaiting_acknowledgement',
    chargedAt: request.chargedAt,
    requestedAt: opened.requestedAt,
    nextCourtSitting: request.nextCourtSitting,
    requestingOfficer: request.requestingOfficer,
    declines: [],
    questions: [],
    escalationLevel: 0,
    escalations: [],
    updatedAt: opened.requestedAt,
  };
}

/**
 * The state after an accepted action. Pure: call it only after `checkAction` returned null.
 * Any responder action (an offer, a decline, a question) shows the request was seen, so it also
 * counts as the acknowledgement when none came first.
 */
export function applyAction(
  view: RequestView,
  envelope: ActionEnvelope,
  nowIso: string,
  options: {
    timeZone?: string;
    /** The protocol's certificate wording (domain/certificate.ts); absent, the shipped default. */
    certificate?: CertificateTemplate | undefined;
    /**
     * A stay keeps the request open, held with a bed still sought (docs/legal-rules.md, "A stay
     * is not the end"). False only when replaying histories recorded before that (the stay ended them).
     */
    stayContinues?: boolean;
    /**
     * The protocol asks an inspector to countersign the certificate (docs/legal-rules.md,
     * "Countersignature by an inspector"): a stay's certificate is then awaiting countersignature.
     */
    countersignRequired?: boolean;
  } = {},
): RequestView {
  const { actor, action } = envelope;
  const seen = view.acknowledged ?? { by: actor, at: nowIso };
  const next: RequestView = { ...view, updatedAt: nowIso };
  switch (action.kind) {
    case 'acknowledge':
      next.acknowledged = seen;
      break;
    case 'offer_bed':
      next.acknowledged = seen;
      next.offer = {
        by: actor,
        at: nowIso,
        accommodation: action.accommodation,
        provider: action.provider,
        transport: action.transport,
        notes: action.notes,
      };
      break;
    case 'decline':
      next.acknowledged = seen;
      next.declines = [
        ...view.declines,
        { by: actor, at: nowIso, reason: action.reason, notes: action.notes },
      ];
      break;
    case 'request_info':
      next.acknowledged = seen;
      next.questions = [
        ...view.questions,
        { id: `q${view.questions.length + 1}`, by: actor, at: nowIso, question: action.question },
      ];
      break;
    case 'answer_info':
      next.questions = view.questions.map((q) =>
        q.id === action.questionId ? { ...q, answer: { by: actor, at: nowIso, text: action.answer } } : q,
      );
      break;
    case 'confirm_transfer':
      next.outcome = {
        code: outcomeFor(view, action),
        at: nowIso,
        by: actor,
        leftCustodyAt: action.leftCustodyAt,
        ...stayFacts(view),
        leftCellsAt: action.leftCustodyAt,
        leftCellsAssumed: false,
        leftCellsFor: 'transfer',
        ...(action.arrangedOutsideChat ? { arrangedOutsideChat: { ...action.arrangedOutsideChat } } : {}),
      };
      break;
    case 'record_stay': {
      const code = outcomeFor(view, action);
      const certificate = certificateText({
        view,
        reason: action.reason,
        explanation: action.explanation,
        by: actor,
        at: nowIso,
        ...(options.timeZone ? { timeZone: options.timeZone } : {}),
        template: options.certificate,
      });
      if (options.stayContinues) {
        next.stay = {
          code,
          at: nowIso,
          by: actor,
          reason: action.reason,
          certificate,
          ...(options.countersignRequired
            ? { countersignature: { status: 'awaiting' as const, pagedAt: [] } }
            : {}),
        };
      } else {
        next.outcome = { code, at: nowIso, by: actor, stayReason: action.reason, certificate };
      }
      break;
    }
    case 'amend_court_sitting':
      next.nextCourtSitting = action.nextCourtSitting;
      next.courtSittingAmendments = [
        ...(view.courtSittingAmendments ?? []),
        {
          at: nowIso,
          by: actor,
          from: view.nextCourtSitting,
          to: action.nextCourtSitting,
          reason: action.reason,
        },
      ];
      break;
    case 'record_left_cells':
      next.outcome = {
        code: outcomeFor(view, action),
        at: nowIso,
        by: actor,
        ...stayFacts(view),
        leftCellsAt: action.leftAt,
        leftCellsAssumed: false,
        leftCellsFor: action.leftFor,
      };
      break;
    case 'countersign': {
      // Checked first (countersignRefusal): a stay awaiting countersignature.
      const stay = view.stay;
      if (!stay) break;
      const pagedAt = stay.countersignature?.pagedAt ?? [];
      next.stay = {
        ...stay,
        certificate: `${stay.certificate}\n${countersignatureLine(actor, formatLocal(nowIso, options.timeZone ?? 'Europe/London'))}`,
        countersignature: { status: 'countersigned', by: actor, at: nowIso, pagedAt },
      };
      break;
    }
    case 'cancel':
      next.outcome = {
        code: outcomeFor(view, action),
        at: nowIso,
        by: actor,
        cancelReason: action.reason,
        ...stayFacts(view),
        // No time was given: the child is taken to have left when the sergeant said so.
        ...(action.reason === 'entered_in_error'
          ? {}
          : {
              leftCellsAt: nowIso,
              leftCellsAssumed: true,
              leftCellsFor: action.reason === 'bailed' ? ('bailed' as const) : ('released' as const),
            }),
      };
      break;
  }
  return withStatus(next);
}

/** A recorded stay's reason and certificate, kept on the outcome when the held child leaves. */
function stayFacts(
  view: RequestView,
): Pick<NonNullable<RequestView['outcome']>, 'stayReason' | 'certificate' | 'certificateCountersignature'> {
  if (!view.stay) return {};
  const { reason, certificate, countersignature } = view.stay;
  return {
    stayReason: reason,
    certificate,
    ...(countersignature ? { certificateCountersignature: countersignature } : {}),
  };
}

/** The inspectors were paged (again) to countersign the certificate. */
export function applyCountersignPage(view: RequestView, nowIso: string): RequestView {
  const c = view.stay?.countersignature;
  if (!view.stay || c?.status !== 'awaiting') return view;
  return {
    ...view,
    updatedAt: nowIso,
    stay: { ...view.stay, countersignature: { ...c, pagedAt: [...c.pagedAt, nowIso] } },
  };
}

/**
 * The court sitting came before any transfer: the workflow's hard deadline (PACE s.46). The child
 * is taken to have left for court at the sitting (assumed: nobody recorded it).
 */
export function applyCourtDeadline(view: RequestView, nowIso: string): RequestView {
  return withStatus({
    ...view,
    updatedAt: nowIso,
    outcome: {
      code: 'court_before_transfer',
      at: nowIso,
      by: SYSTEM_ACTOR,
      leftCellsAt: nowIso,
      leftCellsAssumed: true,
      leftCellsFor: 'court',
    },
  });
}

/**
 * A held child (a stay recorded) whom nobody recorded leaving, at the court sitting plus the grace
 * period: the request ends with the stay's outcome, and the child is assumed to have left for court
 * at the sitting (docs/legal-rules.md, "A stay is not the end"; PACE s.46).
 */
export function applyLeftCellsAssumed(view: RequestView, nowIso: string): RequestView {
  if (!view.stay) return applyCourtDeadline(view, nowIso);
  return withStatus({
    ...view,
    updatedAt: nowIso,
    outcome: {
      code: view.stay.code,
      at: nowIso,
      by: SYSTEM_ACTOR,
      ...stayFacts(view),
      leftCellsAt: view.nextCourtSitting,
      leftCellsAssumed: true,
      leftCellsFor: 'court',
    },
  });
}

/** A review page sent while the child is held. */
export function applyReview(view: RequestView, nowIso: string): RequestView {
  return { ...view, updatedAt: nowIso, reviews: [...(view.reviews ?? []), { at: nowIso }] };
}

/** Records an escalation step on the view (the level reached never goes down). */
export function applyEscalation(
  view: RequestView,
  escalation: { level: number; name: string },
  nowIso: string,
): RequestView {
  return {
    ...view,
    updatedAt: nowIso,
    escalationLevel: Math.max(view.escalationLevel, escalation.level),
    escalations: [...view.escalations, { level: escalation.level, name: escalation.name, at: nowIso }],
  };
}
