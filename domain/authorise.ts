import type { RequestActionKind } from './actions.js';
import type { Actor, Role, RoleGrant } from './people.js';
import type { Person } from './protocol.js';

/** Which roles may take which action. State checks come after this, in request-rules. */
export const ACTION_ROLES: Record<RequestActionKind, readonly Role[]> = {
  acknowledge: ['responder'],
  offer_bed: ['responder'],
  decline: ['responder'],
  request_info: ['responder'],
  answer_info: ['custody'],
  confirm_transfer: ['custody'],
  record_stay: ['custody'],
  record_left_cells: ['custody'],
  amend_court_sitting: ['custody'],
  cancel: ['custody', 'admin'],
  // Only where the protocol asks (domain/countersignature.ts); never the certifying sergeant.
  countersign: ['inspector'],
};

/**
 * Resolves a chat identity to its role grants from the protocol's people list. A person entry may
 * name one user (Slack user ID, Teams AAD object ID) or a Slack user group (`slackUserGroup`,
 * matched against the groups the Slack edge found the user in). Every matching entry counts, so a
 * user's own entry and their groups' entries add up.
 */
export function rolesFor(
  people: readonly Person[],
  actor: Pick<Actor, 'platform' | 'userId'> & { groups?: readonly string[] | undefined },
): RoleGrant[] {
  if (actor.platform === 'system') return [];
  const groups = actor.platform === 'slack' ? (actor.groups ?? []) : [];
  const matches = people.filter(
    (p) =>
      (actor.platform === 'slack' ? p.slack : p.teams) === actor.userId ||
      (p.slackUserGroup !== undefined && groups.includes(p.slackUserGroup)),
  );
  const byRole = new Map<Role, Set<string>>();
  for (const person of matches) {
    for (const role of person.roles) {
      const las = byRole.get(role) ?? new Set<string>();
      if (role === 'responder') person.localAuthorities.forEach((la) => las.add(la));
      byRole.set(role, las);
    }
  }
  return [...byRole].map(([role, las]) => ({ role, localAuthorityIds: [...las] }));
}

export function hasRole(grants: readonly RoleGrant[], role: Role): boolean {
  return grants.some((g) => g.role === role);
}

/** A responder may act only for the local authorities they are mapped to. */
export function isResponderFor(grants: readonly RoleGrant[], localAuthorityId: string): boolean {
  return grants.some((g) => g.role === 'responder' && g.localAuthorityIds.includes(localAuthorityId));
}
