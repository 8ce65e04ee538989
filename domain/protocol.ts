import { IANAZone } from 'luxon';
import { z } from 'zod';
import { certificateTemplateSchema } from './certificate.js';
import { DEMOGRAPHICS_FORM_HINT } from './demographics.js';
import { durationSchema } from './durations.js';
import { platformSchema, roleSchema } from './people.js';

/** A chat destination: a Slack channel or user ID, or a Teams conversation key stored at install. */
export const destinationSchema = z.object({
  platform: platformSchema,
  /** Slack: channel ID (C…/G…) or user ID (U…/W…). Teams: the key under which the bot stored the
   * conversation reference at install (channel ID `19:…@thread.tacv2`, or a user's AAD object ID). */
  address: z.string().trim().min(1, 'The destination address is empty'),
  label: z.string().optional(),
});
export type Destination = z.infer<typeof destinationSchema>;

const zoneSchema = z.string().refine((z_) => IANAZone.isValidZone(z_), {
  message: 'Not an IANA time zone (for example Europe/London)',
});
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Write the time as HH:MM, 24-hour');

export const officeHoursSchema = z
  .object({
    /** ISO weekday numbers, Monday = 1. */
    days: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
    start: hhmm,
    end: hhmm,
  })
  .refine((o) => o.start < o.end, { message: 'Office hours must start before they end', path: ['end'] });

export const escalationConditionSchema = z.enum(['not_acknowledged', 'no_bed_offered', 'not_resolved']);
export type EscalationCondition = z.infer<typeof escalationConditionSchema>;

export const escalationStepSchema = z.object({
  /** Level reached when this step fires (1 is the first escalation). */
  level: z.number().int().min(1).max(9),
  name: z.string().min(1),
  condition: escalationConditionSchema,
  after: durationSchema,
  /** Measure `after` from the request, or from the last state change. */
  from: z.enum(['request', 'last_change']).default('request'),
  /** Contacts by role name in `contacts`, or the literal `responders` for the routed duty team/EDT. */
  notify: z.array(z.string().min(1)).min(1),
  /** Fire again every `repeat` while the condition still holds. */
  repeat: durationSchema.optional(),
  /** Fire no more than this many times in all (with repeat). */
  maxRepeats: z.number().int().min(0).max(48).default(6),
});
export type EscalationStep = z.infer<typeof escalationStepSchema>;

export const ladderSchema = z.object({
  steps: z.array(escalationStepSchema).min(1, 'The ladder needs at least one step'),
  /** Reaching 00:00 local time with the request unresolved is itself an escalation. */
  overnight: z
    .object({
      enabled: z.boolean().default(true),
      level: z.number().int().min(1).max(9),
      notify: z.array(z.string()).min(1),
    })
    .optional(),
});
export type Ladder = z.infer<typeof ladderSchema>;

export const localAuthoritySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'Use lower-case letters, digits and dashes for IDs'),
  name: z.string().min(1),
  inHours: z.array(destinationSchema).min(1, 'Give at least one in-hours destination'),
  outOfHours: z.array(destinationSchema).min(1, 'Give at least one out-of-hours (EDT) destination'),
});
export type LocalAuthority = z.infer<typeof localAuthoritySchema>;

export const custodySuiteSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'Use lower-case letters, digits and dashes for IDs'),
  name: z.string().min(1),
  /** The local authority the suite sits in; a child from elsewhere is flagged out of area. */
  localAuthorityId: z.string(),
  /** Where the sergeant-facing request thread is posted. */
  custodyDestinations: z.array(destinationSchema).default([]),
});
export type CustodySuite = z.infer<typeof custodySuiteSchema>;

export const personSchema = z
  .object({
    name: z.string().min(1),
    slack: z.string().optional(),
    teams: z.string().optional(),
    /** A Slack user group ID (S…): everyone in it holds these roles. */
    slackUserGroup: z
      .string()
      .regex(/^S[A-Z0-9]+$/, 'A Slack user group ID starts with S')
      .optional(),
    roles: z.array(roleSchema).min(1),
    /** Responders: the local authorities they answer for. */
    localAuthorities: z.array(z.string()).default([]),
  })
  .refine((p) => p.slack || p.teams || p.slackUserGroup, {
    message: 'A person needs a Slack user ID, a Teams ID or a Slack user group',
  });
export type Person = z.infer<typeof personSchema>;

export const protocolSchema = z
  .object({
    force: z.object({ name: z.string().min(1), timeZone: zoneSchema.default('Europe/London') }),
    officeHours: officeHoursSchema,
    /** date-holidays country/state code: GB-ENG covers England and Wales bank holidays. */
    bankHolidayRegion: z.string().default('GB-ENG'),
    custodySuites: z.array(custodySuiteSchema).min(1, 'Configure at least one custody suite'),
    localAuthorities: z.array(localAuthoritySchema).min(1, 'Configure at least one local authority'),
    /** Named escalation contacts (by key), each a list of destinations. */
    contacts: z.record(z.string(), z.array(destinationSchema).min(1)),
    ladder: ladderSchema,
    people: z.array(personSchema).default([]),
    leads: z.array(destinationSchema).default([]),
    repeatDetention: z
      .object({
        window: durationSchema.default('365d'),
        /**
         * Start the ladder of a repeat child (docs/legal-rules.md, "Repeat detention") at this
         * level: the request opens at it, and steps below it are skipped. Absent: level 0, as any child.
         */
        startLevel: z.number().int().min(1).max(9).optional(),
      })
      .default({}),
    retention: z.object({ personalData: durationSchema.default('730d') }).default({}),
    /**
     * The wording of the s.38(6) certificate, for the force's legal team to approve
     * (docs/legal-rules.md, "The certificate"). Absent, or any part left out: the shipped wording.
     */
    certificate: certificateTemplateSchema.optional(),
    digest: z
      .object({
        daily: hhmm.default('07:30'),
        weekly: z
          .object({ day: z.number().int().min(1).max(7).default(1), time: hhmm.default('08:00') })
          .default({}),
        suppressSmallCounts: z.boolean().default(false),
      })
      .default({}),
    /**
     * A child held after a stay is recorded (docs/legal-rules.md, "A stay is not the end"): the
     * review pages, every `every` and at the fixed local times `at`, to `notify`, until the child
     * leaves the cells; and the grace after the court sitting after which, with nobody recording
     * the child leaving, the request ends with the leaving time assumed. Defaults, so older files load.
     */
    heldInCustody: z
      .object({
        review: z
          .object({
            every: durationSchema.default('2h'),
            at: z.array(hhmm).default(['00:00', '07:00']),
            notify: z.array(z.string().min(1)).min(1).default(['responders']),
          })
          .default({}),
        courtGrace: durationSchema.default('2h'),
      })
      .default({}),
    /**
     * The court sitting (docs/legal-rules.md, "The court sitting is the hard deadline"): page
     * `notify` once when no bed has been offered `warnBefore` the sitting. Absent: no warning.
     */
    courtSitting: z
      .object({
        warnBefore: durationSchema.optional(),
        notify: z.array(z.string().min(1)).default(['responders']),
      })
      .default({}),
    /**
     * Out-of-area children (docs/legal-rules.md, "Out-of-area children"): a courtesy notice to the
     * host authority, the one the custody suite is in.
     */
    outOfArea: z.object({ courtesyNotice: z.boolean().default(true) }).default({}),
    /**
     * Shift changes (docs/legal-rules.md, "Shift changes"): at the end of office hours, or the start
     * of a weekend or bank holiday, an open request with no accepted offer moves to the EDT; with
     * `handBack`, at the start of office hours it moves back to the duty team.
     */
    shiftHandover: z
      .object({ enabled: z.boolean().default(true), handBack: z.boolean().default(false) })
      .default({}),
    /**
     * The request form's optional ethnicity and sex codes (docs/demographics.md): `collect: false`
     * leaves them off both forms (until the data protection officer has settled the lawful basis,
     * say); `formHint` is the line under each, a template for the force's own wording. Absent:
     * collected, with the default hint (`demographicsOf`).
     */
    demographics: z
      .object({
        collect: z.boolean().default(true),
        formHint: z.string().trim().min(1).max(300).default(DEMOGRAPHICS_FORM_HINT),
      })
      .optional(),
    /** The stuck-request watchdog (docs/watchdog.md). Defaults, so older files still load. */
    watchdog: z
      .object({
        /** How often the watchdog's Schedule runs. */
        every: durationSchema.default('1m'),
        /** A workflow task failing on this attempt or later is stuck. */
        stuckAfterAttempts: z.number().int().min(2).max(100).default(3),
        /** A workflow task (a fired timer, a click) waiting longer than this is overdue. */
        overdueAfter: durationSchema.default('2m'),
        /** Contacts paged besides the people with the admin role. */
        notify: z.array(z.string().min(1)).default([]),
      })
      .default({}),
  })
  .superRefine((p, ctx) => {
    const las = new Set(p.localAuthorities.map((l) => l.id));
    p.custodySuites.forEach((s, i) => {
      if (!las.has(s.localAuthorityId))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['custodySuites', i, 'localAuthorityId'],
          message: `Unknown local authority "${s.localAuthorityId}"`,
        });
    });
    const names = new Set([...Object.keys(p.contacts), 'responders']);
    p.ladder.steps.forEach((s, i) =>
      s.notify.forEach((n, j) => {
        if (!names.has(n))
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['ladder', 'steps', i, 'notify', j],
            message: `Unknown contact "${n}": add it under contacts`,
          });
      }),
    );
    p.ladder.overnight?.notify.forEach((n, j) => {
      if (!names.has(n))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['ladder', 'overnight', 'notify', j],
          message: `Unknown contact "${n}": add it under contacts`,
        });
    });
    p.courtSitting.notify.forEach((n, j) => {
      if (!names.has(n))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['courtSitting', 'notify', j],
          message: `Unknown contact "${n}": add it under contacts`,
        });
    });
    p.heldInCustody.review.notify.forEach((n, j) => {
      if (!names.has(n))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['heldInCustody', 'review', 'notify', j],
          message: `Unknown contact "${n}": add it under contacts`,
        });
    });
    const countersign = p.certificate?.countersignature;
    countersign?.notify.forEach((n, j) => {
      if (!names.has(n) || n === 'responders')
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['certificate', 'countersignature', 'notify', j],
          message: `Unknown contact "${n}": add it under contacts`,
        });
    });
    if (
      countersign?.required &&
      countersign.notify.length === 0 &&
      !p.people.some((person) => person.roles.includes(countersign.role) && (person.slack || person.teams))
    )
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['certificate', 'countersignature', 'required'],
        message: `Nobody can be paged to countersign: give a person the ${countersign.role} role (with a Slack or Teams ID), or name contacts in notify`,
      });
    p.watchdog.notify.forEach((n, j) => {
      if (!names.has(n) || n === 'responders')
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['watchdog', 'notify', j],
          message: `Unknown contact "${n}": add it under contacts`,
        });
    });
    p.people.forEach((person, i) =>
      person.localAuthorities.forEach((la, j) => {
        if (!las.has(la))
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['people', i, 'localAuthorities', j],
            message: `Unknown local authority "${la}"`,
          });
      }),
    );
  });
export type Protocol = z.infer<typeof protocolSchema>;

/** The form's ethnicity and sex settings, with their defaults when the file has none. */
export function demographicsOf(p: Pick<Protocol, 'demographics'>): { collect: boolean; formHint: string } {
  return {
    collect: p.demographics?.collect ?? true,
    formHint: p.demographics?.formHint ?? DEMOGRAPHICS_FORM_HINT,
  };
}
export type ProtocolFile = z.input<typeof protocolSchema>;

/** Renders a zod error as `path.to.field: message` lines, so a bad file names its field. */
export function describeConfigError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('\n');
}
