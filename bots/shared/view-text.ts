import { DateTime } from 'luxon';
import { TRANSPORT_LABELS } from '../../domain/actions.js';
import type { Accommodation, RequestWarning } from '../../domain/bed-request.js';
import type { RequestEvent } from '../../domain/chat-port.js';
import type { Countersignature } from '../../domain/countersignature.js';
import { formatDuration } from '../../domain/durations.js';
import { LEFT_CELLS_FOR_LABELS } from '../../domain/held-in-custody.js';
import {
  CANCEL_REASON_LABELS,
  DECLINE_REASON_LABELS,
  OUTCOME_LABELS,
  STAY_REASON_LABELS,
} from '../../domain/outcomes.js';
import type { Actor } from '../../domain/people.js';
import type {
  EscalationPageView,
  RepeatAlertView,
  RequestStatus,
  RequestView,
  Route,
} from '../../domain/request-view.js';

/**
 * Platform-neutral words for the one view model. Slack Block Kit and Teams Adaptive Cards render
 * these strings; neither invents its own wording. No function here sees child personal data: the
 * view model carries none.
 */

export const DEFAULT_ZONE = 'Europe/London';

export const STATUS_LABELS: Record<RequestStatus, string> = {
  awaiting_acknowledgement: 'Waiting for the duty team to acknowledge',
  acknowledged: 'Acknowledged, no bed offered yet',
  bed_offered: 'Bed offered, waiting for the transfer',
  declined: 'Declined, no bed offered',
  held_bed_sought: 'Held in custody, bed still sought',
  resolved: 'Closed',
};

/** Button and action names: one list, in domain (the desk's offered actions use it too). */
export { ACTION_LABELS } from '../../domain/available-actions.js';

export const ACCOMMODATION_LABELS: Record<Accommodation, string> = {
  non_secure: 'Non-secure',
  secure: 'Secure',
};

export const ROUTE_LABELS: Record<Route, string> = {
  in_hours: 'In hours: duty team',
  out_of_hours: 'Out of hours: Emergency Duty Team',
};

export const WARNING_TEXT: Record<RequestWarning, string> = {
  secure_under_13_needs_secretary_of_state:
    'The child is 12: a secure children’s home placement needs Secretary of State approval.',
  out_of_area: 'Out of area: the child’s home local authority is not where the custody suite is.',
};

/** The status in words; a closed request shows its outcome. */
export function statusLabel(view: Pick<RequestView, 'status' | 'outcome'>): string {
  if (view.status === 'resolved' && view.outcome) return `Closed: ${OUTCOME_LABELS[view.outcome.code]}`;
  return STATUS_LABELS[view.status];
}

/** `Mon 18 Feb 2013, 21:40` in the force's zone (Europe/London by default). Invalid input is echoed. */
export function formatTime(iso: string, zone: string = DEFAULT_ZONE): string {
  const dt = DateTime.fromISO(iso, { setZone: true });
  if (!dt.isValid) return iso;
  return dt.setZone(zone).toFormat('ccc d LLL yyyy, HH:mm');
}

/** Minutes and hours between two instants, like `2h 10m`; never negative. */
export function elapsed(fromIso: string, toIso: string): string {
  const from = DateTime.fromISO(fromIso);
  const to = DateTime.fromISO(toIso);
  if (!from.isValid || !to.isValid) return '0m';
  return formatDuration(Math.max(0, to.toMillis() - from.toMillis()));
}

/** `open for 2h 10m` while open; `closed after 3h 5m` once resolved. */
export function ageText(view: Pick<RequestView, 'requestedAt' | 'outcome'>, nowIso: string): string {
  if (view.outcome) return `closed after ${elapsed(view.requestedAt, view.outcome.at)}`;
  return `open for ${elapsed(view.requestedAt, nowIso)}`;
}

export function actorName(actor: Actor): string {
  return actor.displayName ?? actor.userId;
}

export function ageLine(view: Pick<RequestView, 'age' | 'accommodation'>): string {
  return `Age ${view.age} · ${ACCOMMODATION_LABELS[view.accommodation]} accommodation requested`;
}

export function routeLine(view: Pick<RequestView, 'route' | 'localAuthorityName'>): string {
  return `${ROUTE_LABELS[view.route]} of ${view.localAuthorityName}`;
}

export function outOfAreaLine(
  view: Pick<RequestView, 'outOfArea' | 'localAuthorityName' | 'custodySuiteName'>,
): string | null {
  return view.outOfArea
    ? `Out of area: home local authority is ${view.localAuthorityName}; held at ${view.custodySuiteName}`
    : null;
}

/** "Held in police custody after charge 2 times in the last 12 months, last on Mon 18 Feb 2013" (no identity). */
export function repeatLine(view: Pick<RequestView, 'repeat'>, zone: string = DEFAULT_ZONE): string | null {
  const r = view.repeat;
  if (!r) return null;
  const span = r.windowDays >= 365 && r.windowDays <= 366 ? '12 months' : `${r.windowDays} days`;
  const last = DateTime.fromISO(r.lastChargedAt, { setZone: true }).setZone(zone).toFormat('ccc d LLL yyyy');
  return (
    `Repeat child: held in police custody after charge ${r.count} ${r.count === 1 ? 'time' : 'times'} ` +
    `in the last ${span}, last on ${last}.`
  );
}

export function warningLines(
  view: Pick<RequestView, 'warnings'> & Partial<Pick<RequestView, 'repeat'>>,
): string[] {
  const repeat = repeatLine(view);
  return [
    ...(repeat ? [repeat] : []),
    ...view.warnings.filter((w) => w !== 'out_of_area').map((w) => WARNING_TEXT[w]),
  ];
}

export function titleText(view: Pick<RequestView, 'caseRef' | 'custodySuiteName'>): string {
  return `Bed request ${view.caseRef} · ${view.custodySuiteName}`;
}

/** Label and value pairs for the card body, in a fixed order. */
export function factPairs(view: RequestView, zone: string = DEFAULT_ZONE): Array<[string, string]> {
  const facts: Array<[string, string]> = [
    ['Case', view.caseRef],
    ['Custody record', view.custodyRecordNumber],
    ['Custody suite', view.custodySuiteName],
    ['Home local authority', view.localAuthorityName],
    ['Age', String(view.age)],
    ['Accommodation', ACCOMMODATION_LABELS[view.accommodation]],
    ['Route', ROUTE_LABELS[view.route]],
    ['Charged', formatTime(view.chargedAt, zone)],
    ['Requested', formatTime(view.requestedAt, zone)],
    ['Next court sitting', formatTime(view.nextCourtSitting, zone)],
  ];
  if (view.escalationLevel > 0) facts.push(['Escalation level', String(view.escalationLevel)]);
  return facts;
}

/** What has happened, one line per step, oldest first. */
export function timelineLines(view: RequestView, zone: string = DEFAULT_ZONE): string[] {
  const t = (iso: string) => formatTime(iso, zone);
  const lines: string[] = [`Requested ${t(view.requestedAt)} by ${actorName(view.requestingOfficer)}`];
  if (view.acknowledged)
    lines.push(`Acknowledged ${t(view.acknowledged.at)} by ${actorName(view.acknowledged.by)}`);
  for (const d of view.declines) {
    lines.push(
      `Declined ${t(d.at)} by ${actorName(d.by)}: ${DECLINE_REASON_LABELS[d.reason]}${d.notes ? ` (${d.notes})` : ''}`,
    );
  }
  for (const q of view.questions) {
    lines.push(`Question ${t(q.at)} from ${actorName(q.by)}: ${q.question}`);
    if (q.answer) lines.push(`Answer ${t(q.answer.at)} from ${actorName(q.answer.by)}: ${q.answer.text}`);
  }
  if (view.offer)
    lines.push(`Bed offered ${t(view.offer.at)} by ${actorName(view.offer.by)}: ${offerText(view.offer)}`);
  for (const e of view.escalations) lines.push(`Escalated to level ${e.level} ${t(e.at)}: ${e.name}`);
  for (const a of view.courtSittingAmendments ?? [])
    lines.push(
      `Court sitting amended ${t(a.at)} by ${actorName(a.by)}: from ${t(a.from)} to ${t(a.to)} (${a.reason})`,
    );
  for (const m of view.handovers ?? [])
    lines.push(`Moved ${t(m.at)} at the shift change: from ${ROUTE_LABELS[m.from]} to ${ROUTE_LABELS[m.to]}`);
  if (view.stay) lines.push(stayText(view, zone));
  const countersignature = view.stay?.countersignature ?? view.outcome?.certificateCountersignature;
  if (countersignature) lines.push(countersignatureText(countersignature, zone));
  const reviews = view.reviews ?? [];
  const lastReview = reviews.at(-1);
  if (lastReview) lines.push(`Review pages while held: ${reviews.length}, the last ${t(lastReview.at)}`);
  if (view.outcome) lines.push(outcomeText(view, zone));
  return lines;
}

export function offerText(offer: NonNullable<RequestView['offer']>): string {
  const notes = offer.notes ? `. ${offer.notes}` : '';
  return `${ACCOMMODATION_LABELS[offer.accommodation]} bed at ${offer.provider}; transport: ${TRANSPORT_LABELS[offer.transport]}${notes}`;
}

/** The stay recorded on a request whose child is still held, a bed still sought. */
export function stayText(view: RequestView, zone: string = DEFAULT_ZONE): string {
  const s = view.stay;
  if (!s) return statusLabel(view);
  return (
    `Stay recorded ${formatTime(s.at, zone)} by ${actorName(s.by)}: ${STAY_REASON_LABELS[s.reason]}. ` +
    'Certificate produced; the child is held and a bed is still sought.'
  );
}

/**
 * Where the certificate's countersignature stands (a protocol option: domain/countersignature.ts):
 * "Certificate countersigned by Insp. X at 23:40 (Mon 18 Feb 2013)", or awaiting it.
 */
export function countersignatureText(c: Countersignature, zone: string = DEFAULT_ZONE): string {
  if (c.status === 'countersigned') {
    const at = DateTime.fromISO(c.at, { setZone: true }).setZone(zone);
    const when = at.isValid ? `${at.toFormat('HH:mm')} (${at.toFormat('ccc d LLL yyyy')})` : c.at;
    return `Certificate countersigned by ${actorName(c.by)} at ${when}`;
  }
  const paged = c.pagedAt.length;
  return (
    'Certificate awaiting an inspector’s countersignature: not final until countersigned' +
    (paged > 0 ? ` (inspector paged ${paged === 1 ? 'once' : `${paged} times`})` : '')
  );
}

export function outcomeText(view: RequestView, zone: string = DEFAULT_ZONE): string {
  const o = view.outcome;
  if (!o) return statusLabel(view);
  const parts = [`${OUTCOME_LABELS[o.code]} (${formatTime(o.at, zone)}, ${actorName(o.by)})`];
  if (o.arrangedOutsideChat) {
    parts.push(
      `arranged outside chat: ${ACCOMMODATION_LABELS[o.arrangedOutsideChat.accommodation]} bed at ` +
        `${o.arrangedOutsideChat.provider}; transport: ${TRANSPORT_LABELS[o.arrangedOutsideChat.transport]}`,
    );
  }
  if (o.leftCustodyAt) parts.push(`left custody ${formatTime(o.leftCustodyAt, zone)}`);
  if (o.leftCellsAt && o.leftCellsFor && o.leftCellsFor !== 'transfer') {
    parts.push(
      `${LEFT_CELLS_FOR_LABELS[o.leftCellsFor].toLowerCase()} ${formatTime(o.leftCellsAt, zone)}` +
        (o.leftCellsAssumed ? ' (assumed: nobody recorded it)' : ''),
    );
  }
  if (o.leftCellsAt) parts.push(`held ${elapsed(view.chargedAt, o.leftCellsAt)} after charge`);
  if (o.stayReason) parts.push(`reason: ${STAY_REASON_LABELS[o.stayReason]}`);
  if (o.cancelReason) parts.push(`reason: ${CANCEL_REASON_LABELS[o.cancelReason]}`);
  return parts.join('; ');
}

/** Time left until the court sitting (the hard deadline), for the transfer modal. */
export function timeLeftText(view: Pick<RequestView, 'nextCourtSitting'>, nowIso: string): string {
  const left = DateTime.fromISO(view.nextCourtSitting).toMillis() - DateTime.fromISO(nowIso).toMillis();
  if (!Number.isFinite(left)) return '';
  if (left <= 0) return 'The court sitting time has passed.';
  return `${formatDuration(left)} left until the court sitting.`;
}

/** The one-line note posted into the sergeant's thread for a state change. */
export function eventText(view: RequestView, event: RequestEvent, zone: string = DEFAULT_ZONE): string {
  switch (event.type) {
    case 'acknowledged':
      return view.acknowledged
        ? `${actorName(view.acknowledged.by)} acknowledged the request. No bed yet: an acknowledgement is not a bed.`
        : 'The request was acknowledged. No bed yet.';
    case 'bed_offered':
      return view.offer
        ? `Bed offered by ${actorName(view.offer.by)}: ${offerText(view.offer)}. Confirm the transfer when the child leaves.`
        : 'A bed was offered.';
    case 'declined': {
      const d = view.declines.at(-1);
      return d
        ? `${actorName(d.by)} declined: ${DECLINE_REASON_LABELS[d.reason]}${d.notes ? ` (${d.notes})` : ''}. The request stays open and escalation continues.`
        : 'The request was declined. It stays open and escalation continues.';
    }
    case 'question_asked': {
      const q = view.questions.find((x) => x.id === event.questionId);
      return q ? `Question from ${actorName(q.by)}: ${q.question}` : 'The duty team asked a question.';
    }
    case 'question_answered': {
      const q = view.questions.find((x) => x.id === event.questionId);
      return q?.answer
        ? `Answered by ${actorName(q.answer.by)}: ${q.answer.text}`
        : 'The question was answered.';
    }
    case 'escalated': {
      const e = view.escalations.filter((x) => x.level === event.level).at(-1);
      return `Escalated to level ${event.level}${e ? `: ${e.name}` : ''}.`;
    }
    case 'court_sitting_amended': {
      const a = view.courtSittingAmendments?.at(-1);
      return a
        ? `Court sitting amended by ${actorName(a.by)}: from ${formatTime(a.from, zone)} to ${formatTime(a.to, zone)} (${a.reason}).`
        : 'The court sitting was amended.';
    }
    case 'handed_over': {
      const m = view.handovers?.at(-1);
      return m
        ? `Shift change ${formatTime(m.at, zone)}: the request has moved from ${ROUTE_LABELS[m.from]} to ` +
            `${ROUTE_LABELS[m.to]}, with its history so far.`
        : 'Shift change: the request has moved to the team now on duty.';
    }
    case 'courtesy_notice':
      return (
        `Courtesy notice to ${event.hostAuthorityName}: a child from ${view.localAuthorityName} (age ${view.age}) ` +
        `is held after charge at ${view.custodySuiteName}, refused bail, case ${view.caseRef}. The child’s home ` +
        `authority, ${view.localAuthorityName}, has been asked for accommodation. No action is asked of you.`
      );
    case 'stay_recorded':
      return (
        `${view.stay ? stayText(view, zone) : 'Stay recorded.'} Review pages go out until the child leaves ` +
        'the cells. Confirm a transfer if a bed is found, or record when the child left for court or was bailed.'
      );
    case 'certificate_countersigned': {
      const c = view.stay?.countersignature ?? view.outcome?.certificateCountersignature;
      return c ? `${countersignatureText(c, zone)}.` : 'The certificate was countersigned.';
    }
    case 'resolved':
      return outcomeText(view, zone);
  }
}

const ESCALATION_REASON_TEXT: Record<EscalationPageView['reason'], string> = {
  not_acknowledged: 'not acknowledged',
  no_bed_offered: 'no bed offered',
  not_resolved: 'not resolved',
  overnight: 'the child is still in custody at midnight',
  held_review: 'held in police custody after a stay, and a bed is still sought',
  court_soon: 'close to the court sitting with no bed offered',
};

export function escalationText(page: EscalationPageView): string {
  const r = page.request;
  return (
    `Escalation level ${page.level} (${page.stepName}): bed request ${r.caseRef} at ${r.custodySuiteName} ` +
    `for ${r.localAuthorityName} is ${ESCALATION_REASON_TEXT[page.reason]} after ` +
    `${formatDuration(page.minutesOpen * 60_000)}. ${statusLabel(r)}.`
  );
}

export function repeatAlertLines(alert: RepeatAlertView, zone: string = DEFAULT_ZONE): string[] {
  const now = alert.now;
  if (now) {
    return [
      `Repeat child in custody now: child ${alert.childRef}, charged ${formatTime(now.chargedAt, zone)} and ` +
        `refused bail at ${now.custodySuiteName} (request ${now.caseRef}, record ${now.custodyRecordNumber}), ` +
        `has been held in police detention after charge ${alert.detentions.length} ` +
        `${alert.detentions.length === 1 ? 'time' : 'times'} before in ${alert.windowDays} days.`,
      ...alert.detentions.map(
        (d) =>
          `${formatTime(d.chargedAt, zone)} · ${d.custodySuiteName} · ${d.localAuthorityName} · ` +
          `record ${d.custodyRecordNumber} · ${d.caseRef} · ${OUTCOME_LABELS[d.outcome]}`,
      ),
    ];
  }
  return [
    `Repeat detention: child ${alert.childRef} has been held in police detention after charge ` +
      `${alert.detentions.length} times in ${alert.windowDays} days.`,
    ...alert.detentions.map(
      (d) =>
        `${formatTime(d.chargedAt, zone)} · ${d.custodySuiteName} · ${d.localAuthorityName} · ` +
        `record ${d.custodyRecordNumber} · ${d.caseRef} · ${OUTCOME_LABELS[d.outcome]}`,
    ),
  ];
}
