import { DateTime } from 'luxon';
import type { BedRequestInput } from './bed-request.js';
import type { CertificateTemplate } from './certificate.js';
import type { HeldSettings } from './held-in-custody.js';
import type { Destination, EscalationCondition, Person, Protocol } from './protocol.js';
import type { Route } from './request-view.js';

/**
 * Routing a bed request (docs/legal-rules.md, "Office hours and the Emergency Duty Team") and the protocol snapshot a workflow keeps.
 * Pure: the bank-holiday calendar is passed in (activities build it from date-holidays), so the
 * decision can be tested with any calendar and the workflow bundle never loads the library.
 */

/** Returns the holiday's name when the local date (YYYY-MM-DD) is a bank holiday, else null. */
export type BankHolidayLookup = (localDate: string) => string | null;

export type RouteReason = 'office_hours' | 'outside_office_hours' | 'not_an_office_day' | 'bank_holiday';

export interface RouteDecision {
  route: Route;
  reason: RouteReason;
  /** Name of the bank holiday when `reason` is bank_holiday. */
  holiday?: string;
  /** The request time on the force's wall clock, e.g. 2026-08-31T10:00:00.000+01:00. */
  localTime: string;
  /** The child's home LA is not the LA the custody suite sits in. */
  outOfArea: boolean;
}

/** In hours or out of hours (EDT) at `atIso`, by the force's office hours, days and bank holidays. */
export function routeAt(
  protocol: Pick<Protocol, 'force' | 'officeHours'>,
  atIso: string,
  isBankHoliday: BankHolidayLookup,
): Omit<RouteDecision, 'outOfArea'> {
  const local = DateTime.fromISO(atIso, { setZone: true }).setZone(protocol.force.timeZone);
  if (!local.isValid) throw new RangeError(`Not an ISO instant: ${atIso}`);
  const localTime = local.toISO() ?? atIso;
  const holiday = isBankHoliday(local.toISODate() ?? '');
  if (holiday) return { route: 'out_of_hours', reason: 'bank_holiday', holiday, localTime };
  if (!protocol.officeHours.days.includes(local.weekday)) {
    return { route: 'out_of_hours', reason: 'not_an_office_day', localTime };
  }
  // Office hours are [start, end): at 09:00 the duty team is in, at 17:00 the EDT has taken over.
  const hhmm = local.toFormat('HH:mm');
  if (hhmm >= protocol.officeHours.start && hhmm < protocol.officeHours.end) {
    return { route: 'in_hours', reason: 'office_hours', localTime };
  }
  return { route: 'out_of_hours', reason: 'outside_office_hours', localTime };
}

/** One step of the ladder with its durations in milliseconds, as the workflow runs it. */
export interface LadderStepSnapshot {
  /** Stable key of the step within this snapshot (its index), used in delivery step keys. */
  key: string;
  level: number;
  name: string;
  condition: EscalationCondition;
  afterMs: number;
  from: 'request' | 'last_change';
  repeatMs?: number;
  maxRepeats: number;
  notify: string[];
}

export interface LadderSnapshot {
  steps: LadderStepSnapshot[];
  overnight?: { level: number; notify: string[] };
}

/**
 * Everything a running request needs from the protocol, taken once when it starts, so editing the
 * protocol file never changes a running request (or its replay).
 */
export interface ProtocolSnapshot {
  forceName: string;
  timeZone: string;
  custodySuite: { id: string; name: string; localAuthorityId: string };
  localAuthority: { id: string; name: string };
  routing: RouteDecision;
  /** The routed duty team (in hours) or EDT (out of hours) of the child's home LA. */
  responderDestinations: Destination[];
  /** Where the sergeant-facing request thread goes. */
  custodyDestinations: Destination[];
  /** Contacts the ladder names, by key; `responders` is the routed destinations. */
  contacts: Record<string, Destination[]>;
  ladder: LadderSnapshot;
  /** The people and their roles, as they were when the request started. */
  people: Person[];
  leads: Destination[];
  repeatWindowMs: number;
  /** The certificate's wording (domain/certificate.ts). Absent in older snapshots: the shipped default. */
  certificate?: CertificateTemplate;
  /**
   * The review ladder of a child held after a stay, and the court grace (domain/held-in-custody.ts).
   * Absent in snapshots taken before it existed: the workflow then uses the defaults.
   */
  held?: HeldSettings;
  /** A repeat child's ladder starts at this level (protocol `repeatDetention.startLevel`). */
  repeatStartLevel?: number;
  /** Page `notify` when no bed is offered this long before the court sitting (protocol `courtSitting`). */
  courtWarning?: { beforeMs: number; notify: string[] };
  /** The host authority of an out-of-area child: its destinations for the courtesy notice. */
  hostAuthority?: { id: string; name: string; destinations: Destination[] };
  /** Shift changes (protocol `shiftHandover`); absent in older snapshots: no handover. */
  handover?: { enabled: boolean; handBack: boolean };
  /**
   * An inspector countersigns a stay's certificate (protocol `certificate.countersignature`,
   * domain/countersignature.ts): page every person with `role` and the `notify` contacts, again
   * every `repageMs`. Absent (not required, or an older snapshot): the certificate is final at once.
   */
  countersignature?: { role: 'inspector'; repageMs?: number; notify: string[] };
}

export class RoutingError extends Error {
  constructor(
    readonly code: 'unknown_custody_suite' | 'unknown_local_authority',
    readonly id: string,
  ) {
    super(`${code}: ${id}`);
    this.name = 'RoutingError';
  }
}

/** Takes the snapshot for one request: route, destinations, ladder, contacts, people. */
export function snapshotFor(
  protocol: Protocol,
  request: Pick<BedRequestInput, 'custodySuiteId' | 'homeLocalAuthorityId'>,
  requestedAt: string,
  isBankHoliday: BankHolidayLookup,
): ProtocolSnapshot {
  const suite = protocol.custodySuites.find((s) => s.id === request.custodySuiteId);
  if (!suite) throw new RoutingError('unknown_custody_suite', request.custodySuiteId);
  const la = protocol.localAuthorities.find((l) => l.id === request.homeLocalAuthorityId);
  if (!la) throw new RoutingError('unknown_local_authority', request.homeLocalAuthorityId);

  const at = routeAt(protocol, requestedAt, isBankHoliday);
  const routing: RouteDecision = { ...at, outOfArea: la.id !== suite.localAuthorityId };
  const responderDestinations = at.route === 'in_hours' ? la.inHours : la.outOfHours;

  const steps: LadderStepSnapshot[] = protocol.ladder.steps.map((s, i) => ({
    key: String(i),
    level: s.level,
    name: s.name,
    condition: s.condition,
    afterMs: s.after,
    from: s.from,
    ...(s.repeat !== undefined ? { repeatMs: s.repeat } : {}),
    maxRepeats: s.maxRepeats,
    notify: [...s.notify],
  }));
  const overnight =
    protocol.ladder.overnight && protocol.ladder.overnight.enabled
      ? { level: protocol.ladder.overnight.level, notify: [...protocol.ladder.overnight.notify] }
      : undefined;

  const held: HeldSettings = {
    reviewEveryMs: protocol.heldInCustody.review.every,
    reviewAt: [...protocol.heldInCustody.review.at],
    reviewNotify: [...protocol.heldInCustody.review.notify],
    courtGraceMs: protocol.heldInCustody.courtGrace,
  };
  const courtWarning =
    protocol.courtSitting.warnBefore !== undefined
      ? { beforeMs: protocol.courtSitting.warnBefore, notify: [...protocol.courtSitting.notify] }
      : undefined;
  const countersign = protocol.certificate?.countersignature;
  const countersignature = countersign?.required
    ? {
        role: countersign.role,
        ...(countersign.pageAfter !== undefined ? { repageMs: countersign.pageAfter } : {}),
        notify: [...countersign.notify],
      }
    : undefined;
  const named = new Set([
    ...(countersignature?.notify ?? []),
    ...steps.flatMap((s) => s.notify),
    ...(overnight?.notify ?? []),
    ...held.reviewNotify,
    ...(courtWarning?.notify ?? []),
  ]);
  const host = protocol.localAuthorities.find((l) => l.id === suite.localAuthorityId);
  const contacts: Record<string, Destination[]> = {};
  for (const name of named) {
    if (name === 'responders') contacts[name] = [...responderDestinations];
    else contacts[name] = [...(protocol.contacts[name] ?? [])];
  }

  return {
    forceName: protocol.force.name,
    timeZone: protocol.force.timeZone,
    custodySuite: { id: suite.id, name: suite.name, localAuthorityId: suite.localAuthorityId },
    localAuthority: { id: la.id, name: la.name },
    routing,
    responderDestinations: [...responderDestinations],
    custodyDestinations: [...suite.custodyDestinations],
    contacts,
    ladder: { steps, ...(overnight ? { overnight } : {}) },
    // Everyone with a role, so a responder for another authority is told exactly that.
    people: protocol.people.map((p) => ({
      ...p,
      roles: [...p.roles],
      localAuthorities: [...p.localAuthorities],
    })),
    leads: [...protocol.leads],
    repeatWindowMs: protocol.repeatDetention.window,
    certificate: protocol.certificate,
    held,
    handover: { enabled: protocol.shiftHandover.enabled, handBack: protocol.shiftHandover.handBack },
    ...(courtWarning ? { courtWarning } : {}),
    ...(countersignature ? { countersignature } : {}),
    ...(routing.outOfArea && protocol.outOfArea.courtesyNotice && host
      ? {
          hostAuthority: {
            id: host.id,
            name: host.name,
            destinations: [...(at.route === 'in_hours' ? host.inHours : host.outOfHours)],
          },
        }
      : {}),
    ...(protocol.repeatDetention.startLevel !== undefined
      ? { repeatStartLevel: protocol.repeatDetention.startLevel }
      : {}),
  };
}

/** The destination key deliveries are stored under: platform and address. */
export function destinationKey(d: Destination): string {
  return `${d.platform}:${d.address}`;
}

/**
 * The next office-hours boundary after `fromIso` at which the route changes away from `current`
 * (docs/legal-rules.md, "Shift changes"): the end of office hours, the start of a weekend or a bank
 * holiday (to the EDT), or, when `handBack` is set, the start of office hours (back to the duty
 * team). Boundaries fall only at local midnight or at the office hours' start or end, so those are
 * the instants checked, for up to 14 days ahead. Null when there is none.
 */
export function nextRouteChange(
  protocol: Pick<Protocol, 'force' | 'officeHours'>,
  fromIso: string,
  current: Route,
  handBack: boolean,
  isBankHoliday: BankHolidayLookup,
): (Omit<RouteDecision, 'outOfArea'> & { at: string }) | null {
  if (current === 'out_of_hours' && !handBack) return null;
  const zone = protocol.force.timeZone;
  const from = DateTime.fromISO(fromIso, { setZone: true }).setZone(zone);
  if (!from.isValid) throw new RangeError(`Not an ISO instant: ${fromIso}`);
  const times = ['00:00', protocol.officeHours.start, protocol.officeHours.end];
  for (let day = 0; day <= 14; day++) {
    const date = from.startOf('day').plus({ days: day });
    const candidates = times
      .map((t) => {
        const [h = 0, m = 0] = t.split(':').map(Number);
        return date.set({ hour: h, minute: m, second: 0, millisecond: 0 });
      })
      .filter((c) => c.toMillis() > from.toMillis())
      .sort((a, b) => a.toMillis() - b.toMillis());
    for (const c of candidates) {
      const iso = c.toUTC().toISO() ?? '';
      const decision = routeAt(protocol, iso, isBankHoliday);
      if (decision.route !== current) return { ...decision, at: iso };
    }
  }
  return null;
}
