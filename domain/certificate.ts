import { z } from 'zod';
import type { Accommodation } from './bed-request.js';
import { countersignatureSettingsSchema } from './countersignature.js';
import {
  DECLINE_REASON_LABELS,
  STAY_REASON_GROUND,
  STAY_REASON_LABELS,
  stayReasonSchema,
  type StayReason,
} from './outcomes.js';
import type { Actor } from './people.js';
import type { RequestView } from './request-view.js';
import { formatLocal } from './time-windows.js';

/**
 * The certificate's wording is a template in the protocol file (`certificate:`), so a force's
 * legal team can approve it; this is the shipped default (docs/legal-rules.md, "The certificate").
 * The facts (acknowledgement, declines, offer, escalation) are always stated by the code; the
 * wording around them, and the statement for each stay reason, come from the template.
 *
 * Placeholders, written `{name}`: custodyRecordNumber, custodySuite, caseRef, age, chargedAt,
 * requestedAt, accommodation, localAuthority, nextCourtSitting, reason (the reason's label),
 * explanation, officer, at.
 */
export const CERTIFICATE_PLACEHOLDERS = [
  'custodyRecordNumber',
  'custodySuite',
  'caseRef',
  'age',
  'chargedAt',
  'requestedAt',
  'accommodation',
  'localAuthority',
  'nextCourtSitting',
  'reason',
  'explanation',
  'officer',
  'at',
] as const;
export type CertificatePlaceholder = (typeof CERTIFICATE_PLACEHOLDERS)[number];

const IMPRACTICABLE =
  'I certify under section 38(6)(a) of the Police and Criminal Evidence Act 1984 that, by reason of the ' +
  'circumstances set out below, it was impracticable to move the child to local authority accommodation:';

export const DEFAULT_CERTIFICATE_TEMPLATE = {
  heading: 'CERTIFICATE UNDER SECTION 38(6) POLICE AND CRIMINAL EVIDENCE ACT 1984',
  /** Heading when the stay is the local authority's failure (Concordat principles 4 and 6). */
  authorityFailureHeading:
    'STATEMENT TO THE COURT (SECTION 38(6) POLICE AND CRIMINAL EVIDENCE ACT 1984): THE LOCAL AUTHORITY PROVIDED NO ACCOMMODATION',
  opening: [
    'Custody record: {custodyRecordNumber} at {custodySuite} (case {caseRef}).',
    'A child aged {age} was charged at {chargedAt} and refused bail.',
    'Local authority accommodation ({accommodation}) was requested from {localAuthority} at {requestedAt}.',
  ],
  statements: {
    impracticable_extreme_weather: `${IMPRACTICABLE} weather or road conditions made the move impossible.`,
    impracticable_medical: `${IMPRACTICABLE} the child’s urgent medical needs made the move impossible.`,
    impracticable_other: `${IMPRACTICABLE} exceptional circumstances made the move impossible.`,
    impracticable_court_too_soon:
      `${IMPRACTICABLE} the court sits at {nextCourtSitting}, so soon that a transfer would have ` +
      'deprived the child of rest or made the child miss court.',
    no_secure_bed_serious_harm:
      'I certify under section 38(6)(b) of the Police and Criminal Evidence Act 1984 that the child is aged ' +
      '12 or over, that no secure accommodation is available, and that keeping the child in other local ' +
      'authority accommodation would not be adequate to protect the public from serious harm from the child.',
    no_accommodation_provided:
      '{localAuthority} was asked to receive the child and provided no accommodation. A local authority ' +
      'must accept a request for non-secure accommodation (Children Act 1989 s.21(2)(b); Concordat on ' +
      'Children in Custody, principle 4). This is recorded as the local authority’s failure, and flagged ' +
      'for the local authority to reimburse the cost of the detention (principle 6). It is not a ' +
      'certificate that a transfer was impracticable.',
    child_behaviour:
      'No certificate can be given: the child’s behaviour is not a ground (PACE Code C Note 16D).',
    nature_of_offence:
      'No certificate can be given: the nature of the offence is not a ground (PACE Code C Note 16D).',
  } satisfies Record<StayReason, string>,
  reason: 'Reason recorded: {reason}.',
  circumstances: 'Circumstances: {explanation}',
  signature: 'Custody officer: {officer}. Signed at {at}.',
  court: 'The child must be brought before the court at its next sitting ({nextCourtSitting}).',
};

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/** A template line: non-empty, and naming only known placeholders. */
const line = (fallback: string) =>
  z
    .string()
    .min(1, 'The wording is empty')
    .default(fallback)
    .superRefine((s, ctx) => {
      for (const [, name] of s.matchAll(PLACEHOLDER)) {
        if (!(CERTIFICATE_PLACEHOLDERS as readonly string[]).includes(name ?? '')) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            message: `Unknown placeholder {${name ?? ''}}: use one of ${CERTIFICATE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
          });
        }
      }
    });

const D = DEFAULT_CERTIFICATE_TEMPLATE;
const statementsShape = Object.fromEntries(
  stayReasonSchema.options.map((r) => [r, line(D.statements[r])]),
) as Record<StayReason, ReturnType<typeof line>>;

/** The protocol file's `certificate:` section; every part defaults to the shipped wording. */
export const certificateTemplateSchema = z
  .object({
    heading: line(D.heading),
    authorityFailureHeading: line(D.authorityFailureHeading),
    opening: z.array(line('')).min(1).default(D.opening),
    statements: z.object(statementsShape).default({}),
    reason: line(D.reason),
    circumstances: line(D.circumstances),
    signature: line(D.signature),
    court: line(D.court),
    /**
     * A force's choice, not the law's (docs/legal-rules.md, "Countersignature by an inspector"): an
     * inspector countersigns the certificate before it is final. Default: not required.
     */
    countersignature: countersignatureSettingsSchema,
  })
  .default({});
export type CertificateTemplate = z.infer<typeof certificateTemplateSchema>;

export interface CertificateInput {
  view: RequestView;
  reason: StayReason;
  /** The sergeant's own account of the circumstances. */
  explanation: string;
  by: Actor;
  at: string;
  /** Local zone for the times printed (the force's zone). */
  timeZone?: string;
  /** The protocol file's wording; absent (older snapshots), the shipped default. */
  template?: CertificateTemplate | undefined;
}

const ACCOMMODATION_LABELS_FOR_CERTIFICATE: Record<Accommodation, string> = {
  non_secure: 'non-secure',
  secure: 'secure',
};

function fill(text: string, values: Record<CertificatePlaceholder, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    name in values ? values[name as CertificatePlaceholder] : whole,
  );
}

/**
 * The plain-English certificate under PACE 1984 s.38(6) that the custody officer produces to the
 * court when a child charged and refused bail was not moved to local authority accommodation, or,
 * when the local authority provided none, the statement of that failure (docs/legal-rules.md).
 * It names the request by custody record number and case reference only: the court knows the
 * child, and this text is stored and shown in chat.
 */
export function certificateText(input: CertificateInput): string {
  const { view, reason, explanation, by, at } = input;
  const template = input.template ?? certificateTemplateSchema.parse(undefined);
  const zone = input.timeZone ?? 'Europe/London';
  const t = (iso: string) => formatLocal(iso, zone);
  const values: Record<CertificatePlaceholder, string> = {
    custodyRecordNumber: view.custodyRecordNumber,
    custodySuite: view.custodySuiteName,
    caseRef: view.caseRef,
    age: String(view.age),
    chargedAt: t(view.chargedAt),
    requestedAt: t(view.requestedAt),
    accommodation: ACCOMMODATION_LABELS_FOR_CERTIFICATE[view.accommodation],
    localAuthority: view.localAuthorityName,
    nextCourtSitting: t(view.nextCourtSitting),
    reason: STAY_REASON_LABELS[reason],
    explanation,
    officer: by.displayName ? `${by.displayName} (${by.userId})` : by.userId,
    at: t(at),
  };
  const f = (text: string) => fill(text, values);
  const authorityFailure = STAY_REASON_GROUND[reason] === 'authority_failure';
  const lines: string[] = [
    f(authorityFailure ? template.authorityFailureHeading : template.heading),
    '',
    ...template.opening.map(f),
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
    f(template.statements[reason]),
    f(template.reason),
    f(template.circumstances),
    '',
    f(template.signature),
    f(template.court),
  );
  return lines.join('\n');
}
