import { DateTime } from 'luxon';
import { FUTURE_TOLERANCE_MS } from './request-rules.js';

/**
 * The request form's checks against the clock and the force's time zone (docs/legal-rules.md,
 * "Bad input starts nothing"). The schema (`bedRequestInputSchema`) checks what a request says on
 * its own; these check it against now, so they run where a request is submitted (both forms and
 * the request desk), never in the workflow, which must decide the same on replay.
 */

/** The youngest and oldest age at charge for a juvenile transfer (PACE s.37(15), s.38(6)). */
export const MIN_AGE = 10;
export const MAX_AGE = 17;

/** The fields of a form these checks read: each one is checked only when it is readable. */
export interface IntakeFields {
  chargedAt?: string | undefined;
  nextCourtSitting?: string | undefined;
  age?: number | string | undefined;
  child?: { dateOfBirth?: string | undefined } | undefined;
}

function instant(iso: string | undefined): DateTime | null {
  if (!iso) return null;
  const t = DateTime.fromISO(iso, { setZone: true });
  return t.isValid ? t : null;
}

/**
 * The child's age in whole years at `atIso`, counted in the force's time zone: a birthday starts
 * at local midnight, so a charge at 00:30 BST on the birthday is on the birthday.
 */
export function ageAt(dateOfBirth: string, atIso: string, timeZone: string): number | null {
  const birth = DateTime.fromISO(dateOfBirth, { zone: timeZone });
  const at = instant(atIso)?.setZone(timeZone);
  if (!birth.isValid || !at) return null;
  return Math.floor(at.diff(birth.startOf('day'), 'years').years);
}

/**
 * Every problem with the form's times and ages, keyed by field path (the same keys as the
 * schema's issues, so a form shows each beside its field). Empty: nothing wrong.
 * - the time of charge more than 5 minutes ahead of now;
 * - the next court sitting already passed, or not after the charge;
 * - a date of birth in the future, or one that makes the child under 10 or over 17 at charge;
 * - an age that the date of birth does not give.
 */
export function intakeProblems(form: IntakeFields, nowIso: string, timeZone: string): Record<string, string> {
  const problems: Record<string, string> = {};
  const now = instant(nowIso);
  const charged = instant(form.chargedAt);
  const court = instant(form.nextCourtSitting);
  if (!now) return problems;
  const local = (t: DateTime) => t.setZone(timeZone).toFormat('d LLL yyyy HH:mm');

  if (charged && charged.toMillis() > now.toMillis() + FUTURE_TOLERANCE_MS) {
    problems.chargedAt = `The time of charge (${local(charged)}) is in the future: give the time the child was charged`;
  }
  if (court && charged && court <= charged) {
    problems.nextCourtSitting = 'The next court sitting must be after the time of charge';
  } else if (court && court.toMillis() <= now.toMillis()) {
    problems.nextCourtSitting = `That court sitting (${local(court)}) has already passed: give the next sitting`;
  }

  const dob = form.child?.dateOfBirth;
  if (dob && DateTime.fromISO(dob).isValid) {
    const today = now.setZone(timeZone).toISODate();
    if (today !== null && dob > today) {
      problems['child.dateOfBirth'] = 'The date of birth is in the future: check it';
    } else if (charged) {
      const years = ageAt(dob, charged.toISO() ?? '', timeZone);
      if (years !== null && (years < MIN_AGE || years > MAX_AGE)) {
        problems['child.dateOfBirth'] =
          `The date of birth makes the child ${years} at charge: a transfer is for a child aged ${MIN_AGE} to ${MAX_AGE}. Check it`;
      } else if (years !== null) {
        const given = typeof form.age === 'number' ? form.age : Number(form.age);
        if (Number.isInteger(given) && given !== years) {
          problems.age = `The date of birth makes the child ${years} at charge, not ${given}`;
        }
      }
    }
  }
  return problems;
}
