import { z } from 'zod';
import { durationSchema } from './durations.js';
import { FailureCode, type Refusal } from './failures.js';
import type { Actor } from './people.js';
import type { Person } from './protocol.js';
import type { RequestView } from './request-view.js';

/**
 * An inspector's countersignature of the s.38(6) certificate (docs/legal-rules.md, "Countersignature
 * by an inspector"). The law does not require it: PACE s.38(6) and Code C 16.7 (Note 16D) ask the
 * custody officer to certify. A force's protocol may add it (`certificate.countersignature`); then
 * the certificate a stay produces is "awaiting countersignature", not final, until a person with
 * the inspector role, other than the sergeant who certified, countersigns it. Pure: the workflow,
 * the request desk and both renderers decide by these functions.
 */

/** The protocol file's `certificate.countersignature`. Default: not required. */
export const countersignatureSettingsSchema = z
  .object({
    /** Whether a certificate waits for an inspector's countersignature before it is final. */
    required: z.boolean().default(false),
    /** The people-list role that countersigns. Only `inspector` today. */
    role: z.literal('inspector').default('inspector'),
    /** Page the inspectors again this long after each page, until countersigned. Absent: once. */
    pageAfter: durationSchema.optional(),
    /** Contacts (by name in `contacts`) paged as well as every person holding the role. */
    notify: z.array(z.string().min(1)).default([]),
  })
  .default({});
export type CountersignatureSettings = z.infer<typeof countersignatureSettingsSchema>;

/** The countersignature of a stay's certificate, on the view (and on the outcome once closed). */
export type Countersignature =
  | {
      status: 'awaiting';
      /** When the inspectors were paged (the first page and each re-page). */
      pagedAt: string[];
    }
  | { status: 'countersigned'; by: Actor; at: string; pagedAt: string[] };

/** The two actors are the same chat identity (platform and user ID). */
export function sameActor(
  a: Pick<Actor, 'platform' | 'userId'>,
  b: Pick<Actor, 'platform' | 'userId'>,
): boolean {
  return a.platform === b.platform && a.userId === b.userId;
}

type Identity = Pick<Actor, 'platform' | 'userId'>;

/** Does this people-list entry name this chat identity (its own Slack or Teams ID)? */
export function personIs(person: Pick<Person, 'slack' | 'teams'>, who: Identity): boolean {
  return (
    (who.platform === 'slack' && person.slack === who.userId) ||
    (who.platform === 'teams' && person.teams === who.userId)
  );
}

/**
 * The same person: the same chat identity, or two identities of one entry in the people list (a
 * sergeant with both a Slack and a Teams ID is one officer on either platform).
 */
export function samePerson(
  a: Identity,
  b: Identity,
  people: readonly Pick<Person, 'slack' | 'teams'>[] = [],
): boolean {
  return sameActor(a, b) || people.some((p) => personIs(p, a) && personIs(p, b));
}

/** Is the request's certificate waiting for a countersignature (a stay recorded, the child held)? */
export function awaitingCountersignature(view: Pick<RequestView, 'stay' | 'outcome'>): boolean {
  return !view.outcome && view.stay?.countersignature?.status === 'awaiting';
}

/**
 * May `actor` countersign this request's certificate now? State and person only: the role
 * (inspector) is checked first, with every other action's, in request-rules. Null when yes.
 * - no stay recorded: there is no certificate;
 * - the protocol did not ask for a countersignature on this certificate;
 * - it is already countersigned;
 * - the actor is the custody officer who certified it: a countersignature is a second person's.
 */
export function countersignRefusal(
  view: RequestView,
  actor: Actor,
  /** The people list, so the certifier is known on either platform. */
  people: readonly Pick<Person, 'slack' | 'teams'>[] = [],
): Refusal | null {
  const stay = view.stay;
  if (!stay) return { code: FailureCode.NoCertificateToCountersign };
  const c = stay.countersignature;
  if (!c) return { code: FailureCode.CountersignNotRequired };
  if (c.status === 'countersigned') {
    return {
      code: FailureCode.CertificateAlreadyCountersigned,
      params: { by: c.by.displayName ?? c.by.userId, at: c.at },
    };
  }
  if (samePerson(actor, stay.by, people)) {
    return { code: FailureCode.CountersignOwnCertificate, params: { at: stay.at } };
  }
  return null;
}

/** The line the countersignature adds to the certificate text, so the record for court carries it. */
export function countersignatureLine(by: Actor, atLocal: string): string {
  const who = by.displayName ? `${by.displayName} (${by.userId})` : by.userId;
  return `Countersigned by inspector ${who} at ${atLocal}.`;
}

/**
 * A short fingerprint of the certificate text (FNV-1a, 32 bits, hex), so the audit row of a
 * countersignature names which certificate was countersigned without holding its text (the
 * certificate is personal data; the audit log is kept for ever).
 */
export function certificateFingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
