import { hasRole, isResponderFor } from '../../../domain/authorise.js';
import { FailureCode, type Refusal } from '../../../domain/failures.js';
import { ENGINE_UNAVAILABLE_TEXT, REQUEST_NOT_FOUND_TEXT } from '../../shared/failure-text.js';
import { identityNote } from '../blocks/identity.js';
import { errorCode, grantsOf, nowIso, refuse, replyPrivately } from '../common.js';
import type { SlackBotDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { parseClick, type ButtonArgs } from './click.js';

/**
 * View details: the child's identity, as an ephemeral message, only to a responder for the
 * request's local authority or to custody/admin, and only after an access-log row is written.
 * Anyone else gets a private refusal, and the denial is logged.
 */
export function viewDetailsButton(deps: SlackBotDeps) {
  return async ({ ack, body, client }: ButtonArgs): Promise<void> => {
    await ack();
    const click = parseClick(deps, body, ACTION_IDS.viewDetails);
    if (!click) return;
    const to = { userId: click.actor.userId, channel: click.channel };
    try {
      const request = await deps.store.getRequest(click.workflowId);
      if (!request) return await replyPrivately(deps, client, to, REQUEST_NOT_FOUND_TEXT);
      const grants = grantsOf(deps, click.actor);
      const allowed =
        isResponderFor(grants, request.localAuthorityId) ||
        hasRole(grants, 'custody') ||
        hasRole(grants, 'admin');
      if (!allowed) {
        const la = deps.protocol.localAuthorities.find((l) => l.id === request.localAuthorityId);
        const refusal: Refusal = hasRole(grants, 'responder')
          ? {
              code: FailureCode.NotResponderForAuthority,
              params: {
                action: 'view_details',
                localAuthority: la?.name ?? request.localAuthorityId,
                caseRef: request.caseRef,
              },
            }
          : { code: FailureCode.RoleNotPermitted, params: { roles: 'responder, custody, admin' } };
        return await refuse(deps, client, to, refusal, {
          workflowId: click.workflowId,
          action: 'view_details',
        });
      }
      const identity = await deps.store.getIdentity(click.workflowId);
      const details = (await deps.store.getCaseDetails?.(click.workflowId)) ?? null;
      await deps.store.logAccess({
        workflowId: click.workflowId,
        actor: click.actor,
        at: nowIso(deps),
        purpose: 'view_details',
      });
      deps.log.info({ workflowId: click.workflowId, userId: click.actor.userId }, 'identity viewed');
      const note = identityNote(request.caseRef, request.custodyRecordNumber, identity, details);
      if (click.channel) {
        await client.chat.postEphemeral({
          channel: click.channel,
          user: click.actor.userId,
          text: note.text,
          blocks: note.blocks,
        });
      } else {
        await replyPrivately(deps, client, to, note.text);
      }
    } catch (error) {
      deps.log.error({ err: errorCode(error), workflowId: click.workflowId }, 'could not show details');
      await replyPrivately(deps, client, to, ENGINE_UNAVAILABLE_TEXT);
    }
  };
}
