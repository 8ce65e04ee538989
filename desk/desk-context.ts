import { rolesFor } from '../domain/authorise.js';
import type { Actor, RoleGrant } from '../domain/people.js';
import type { DeskDeps } from './desk-ports.js';
import { RecentKeys } from './recent-keys.js';

/** What every desk operation shares: the injected ports, the clock and the repeat guards. */
export interface DeskContext {
  deps: DeskDeps;
  nowIso: () => string;
  grantsOf: (actor: Actor) => RoleGrant[];
  /** Double-clicks: seconds. */
  clicks: RecentKeys;
  /** Redelivered submissions (same modal view, same activity): minutes. */
  submissions: RecentKeys;
}

export function deskContext(deps: DeskDeps): DeskContext {
  const now = deps.now ?? (() => new Date());
  return {
    deps,
    nowIso: () => now().toISOString(),
    // Roles from the protocol file, never from the platform (docs/architecture.md, "Roles").
    grantsOf: (actor) => rolesFor(deps.protocol.people, actor),
    clicks: new RecentKeys(deps.doubleClickMs ?? 3_000, () => now().getTime()),
    submissions: new RecentKeys(deps.redeliveryMs ?? 10 * 60_000, () => now().getTime()),
  };
}
