import type { Accommodation } from './bed-request.js';
import { DECLINE_REASON_LABELS, STAY_REASON_LABELS, type StayReason } from './outcomes.js';
import type { Actor } from './people.js';
import type { RequestView } from './request-view.js';
import { formatLocal } from './time-windows.js';

export interface CertificateInput {
  view: RequestView;
  reason: StayReason;
  /** The sergeant's own account of the circumstances. */
  explanation: string;
  by: Actor;
  at: string;
  /** Local zone for the times printed (the force's zone). */
  timeZone?: string;
}

const ACCOMMODATION_LABELS_FOR_CERTIFICATE: Record<Accommodation, string> = {
  non_secure: 'non-secure',
  secure: 'secure',
};

const LIMB: Record<StayReason, string> = {
  no_accommodation_provided:
    'section 38(6)(a): the local authority provided no accommodation, so a transfer could not be made',
  no_secure_bed_serious_harm:
    'section 38(6)(b): the child is aged 12 or over, no secure accommodation is available, and other local authority accommodation would not be adequate to protect the public from serious harm from the child',
  impracticable_extreme_weather:
    'section 38(6)(a): it was impracticable to move the child (extreme weather or road conditions)',
  impracticable_other: 'section 38(6)(a): it was impracticable to move the child',
  child_behaviour: 'not a lawful ground (PACE Code C Note 16D)',
  nature_of_offence: 'not a lawful ground (PACE Code C Note 16D)',
};

/**
 * The plain-English certificate under PACE 1984 s.38(6) that the custody officer produces to the
 * court when a child charged and refused bail was not moved to local authority accommodation.
 * It names the request by custody record number and case reference only: the court knows the
 * child, and this text is stored and shown in chat.
 */
export function certificateText(input: CertificateInput): string {
  const { view, reason, explanation, by, at } = input;
  const zone = input.timeZone ?? 'Europe/London';
  const t = (iso: string) => formatLocal(iso, zone);
  const who = by.displayName ? `${by.displayName} (${by.userId})` : by.userId;
  const lines: string[] = [
    'CERTIFICATE UNDER SECTION 38(6) POLICE AND CRIMINAL EVIDENCE ACT 1984',
    '',
    `Custody record: ${view.custodyRecordNumber} at ${view.custodySuiteName} (case ${view.caseRef}).`,
    `A child aged ${view.age} was charged at ${t(view.chargedAt)} and refused bail.`,
    `Local authority accommodation (${ACCOMMODATION_LABELS_FOR_CERTIFICATE[view.accommodation]}) was requested from ${view.localAuthorityName} at ${t(view.requestedAt)}.`,
  ];
  if (view.acknowledged) lines.push(`The request was acknowledged at ${t(view.acknowledged.at)}.`);
  for (const d of view.declines) {
    lines.push(
      `The local authority declined at ${t(d.at)}: ${DECLINE_REASON_LABELS[d.reason]}${d.notes ? ` (${d.notes})` : ''}.`,
    );
  }
  if (view.offer) {
    lines.push(
      `A ${ACCOMMODATION_LABELS_FOR_CERTIFICATE[view.offer.accommodation]} bed was offered at ${t(view.offer.at)} (${view.offer.provider}).`,
    );
  } else {
    lines.push('No accommodation was offered by the local authority.');
  }
  if (view.escalationLevel > 0) {
    lines.push(`The request was escalated to level ${view.escalationLevel} under the local protocol.`);
  }
  lines.push(
    '',
    `I certify that the child was not moved to local authority accommodation because of ${LIMB[reason]}.`,
    `Reason recorded: ${STAY_REASON_LABELS[reason]}.`,
    `Circumstances: ${explanation}`,
    '',
    `Custody officer: ${who}. Certified at ${t(at)}.`,
    `The child must be brought before the court at its next sitting (${t(view.nextCourtSitting)}).`,
  );
  return lines.join('\n');
}
