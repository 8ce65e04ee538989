import { z } from 'zod';

export const platformSchema = z.enum(['slack', 'teams']);
export type Platform = z.infer<typeof platformSchema>;

/** Who did something, as the chat edge saw them. Roles are resolved on the server, never trusted from here. */
export const actorSchema = z.object({
  platform: z.enum(['slack', 'teams', 'system']),
  userId: z.string().min(1, 'The user ID is missing'),
  displayName: z.string().max(200).optional(),
  /** Slack user groups the edge found this user in (for roles mapped to a group). */
  groups: z.array(z.string().min(1)).max(100).optional(),
});
export type Actor = z.infer<typeof actorSchema>;

export const SYSTEM_ACTOR: Actor = { platform: 'system', userId: 'concordat', displayName: 'Concordat' };

/** `inspector`: countersigns s.38(6) certificates where the protocol asks (domain/countersignature.ts). */
export const roleSchema = z.enum(['custody', 'responder', 'escalation', 'lead', 'admin', 'inspector']);
export type Role = z.infer<typeof roleSchema>;

/** A role held by a person; responders hold it for named local authorities only. */
export interface RoleGrant {
  role: Role;
  /** For `responder`: the local authority IDs this person answers for. Empty means none. */
  localAuthorityIds: string[];
}
