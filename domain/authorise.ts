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
  cancel: ['custody', 'admin'],
};

/** Resolves a chat identity to its role grants from the protocol's people list. */
export function rolesFor(people: readonly Person[], actor: Pick<Actor, 'platform' | 'userId'>): RoleGrant[] {
  if (actor.platform === 'system') return [];
  const person = people.find((p) => (actor.platform === 'slack' ? p.slack : p.teams) === actor.userId);
  if (!person) return [];
  return person.roles.map((role) => ({
    role,
    localAuthorityIds: role === 'responder' ? [...person.localAuthorities] : [],
  }));
}

export function hasRole(grants: readonly RoleGrant[], role: Role): boolean {
  return grants.some((g) => g.role === role);
}

/** A responder may act only for the local authorities they are mapped to. */
export function isResponderFor(grants: readonly RoleGrant[], localAuthorityId: string): boolean {
  return grants.some((g) => g.role === 'responder' && g.localAuthorityIds.includes(localAuthorityId));
}
