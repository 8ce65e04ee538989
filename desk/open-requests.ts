import { hasRole } from '../domain/authorise.js';
import type { Actor, RoleGrant } from '../domain/people.js';
import type { RequestView } from '../domain/request-view.js';
import { errorCode } from './budget.js';
import type { DeskContext } from './desk-context.js';
import type { OpenRequestRow } from './desk-ports.js';

export interface OpenRequest {
  row: OpenRequestRow;
  /** The live view, or null when the engine did not answer for this one. */
  view: RequestView | null;
}

export interface OpenRequestList {
  grants: RoleGrant[];
  requests: OpenRequest[];
  /** How many were left off (the most recent come first). */
  more: number;
}

/** Which open requests a person sees, by role (Slack's App Home, Teams' `requests` and welcome card). */
export function rowsForRole(
  rows: readonly OpenRequestRow[],
  grants: readonly RoleGrant[],
  userId: string,
): OpenRequestRow[] {
  if (
    hasRole(grants, 'admin') ||
    hasRole(grants, 'lead') ||
    hasRole(grants, 'escalation') ||
    // An inspector countersigns certificates of every suite (domain/countersignature.ts).
    hasRole(grants, 'inspector')
  )
    return [...rows];
  const las = new Set(grants.filter((g) => g.role === 'responder').flatMap((g) => g.localAuthorityIds));
  const custody = hasRole(grants, 'custody');
  return rows.filter(
    (r) => las.has(r.localAuthorityId) || (custody && r.requestingOfficer.userId === userId),
  );
}

/** The person's open requests, newest first, each with its live view. */
export async function listOpen(ctx: DeskContext, actor: Actor, max = 20): Promise<OpenRequestList> {
  const grants = ctx.grantsOf(actor);
  if (grants.length === 0) return { grants, requests: [], more: 0 };
  const open = rowsForRole(await ctx.deps.store.listOpenRequests(), grants, actor.userId);
  open.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  const shown = open.slice(0, max);
  const requests = await Promise.all(
    shown.map(async (row) => ({
      row,
      view: await ctx.deps.bedRequests.view(row.workflowId).catch((err: unknown) => {
        ctx.deps.log.warn({ workflowId: row.workflowId, err: errorCode(err) }, 'open list: no view');
        return null;
      }),
    })),
  );
  return { grants, requests, more: open.length - shown.length };
}
