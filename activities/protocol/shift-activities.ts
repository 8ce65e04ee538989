import type { Destination, Person, Protocol } from '../../domain/protocol.js';
import { nextRouteChange, type BankHolidayLookup, type RouteReason } from '../../domain/routing.js';
import type { Route } from '../../domain/request-view.js';
import { createBankHolidayLookup } from '../routing/bank-holidays.js';

export interface NextHandoverInput {
  /** After this instant (ISO). */
  fromIso: string;
  currentRoute: Route;
  homeLocalAuthorityId: string;
  handBack: boolean;
}

/** The next shift change of a request: when, to which route, and the team's destinations then. */
export interface NextHandover {
  at: string;
  route: Route;
  reason: RouteReason;
  holiday?: string;
  responderDestinations: Destination[];
}

/**
 * Shift changes and live rosters (docs/legal-rules.md, "Shift changes"), read through activities
 * so the workflow stays deterministic: the next office-hours boundary (with the bank-holiday
 * calendar), and the people list as it is now, not as it was when the request started.
 */
export function makeShiftActivities(protocol: () => Protocol) {
  const calendars = new Map<string, BankHolidayLookup>();
  const lookupFor = (region: string) => {
    let lookup = calendars.get(region);
    if (!lookup) {
      lookup = createBankHolidayLookup(region);
      calendars.set(region, lookup);
    }
    return lookup;
  };

  // Activities are async by contract; these have nothing to wait for.
  // eslint-disable-next-line @typescript-eslint/require-await
  async function nextHandover(input: NextHandoverInput): Promise<NextHandover | null> {
    const p = protocol();
    const la = p.localAuthorities.find((l) => l.id === input.homeLocalAuthorityId);
    if (!la) return null;
    const change = nextRouteChange(
      p,
      input.fromIso,
      input.currentRoute,
      input.handBack,
      lookupFor(p.bankHolidayRegion),
    );
    if (!change) return null;
    return {
      at: change.at,
      route: change.route,
      reason: change.reason,
      ...(change.holiday ? { holiday: change.holiday } : {}),
      responderDestinations: [...(change.route === 'in_hours' ? la.inHours : la.outOfHours)],
    };
  }

  /** The people and their roles now (a person rostered after a request started can act on it). */
  // eslint-disable-next-line @typescript-eslint/require-await
  async function currentPeople(): Promise<Person[]> {
    return protocol().people.map((person) => ({
      ...person,
      roles: [...person.roles],
      localAuthorities: [...person.localAuthorities],
    }));
  }

  return { nextHandover, currentPeople };
}
