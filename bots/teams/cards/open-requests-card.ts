import type { OpenRequestList } from '../../../desk/index.js';
import type { RoleGrant } from '../../../domain/people.js';
import { ACCOMMODATION_LABELS, ageText, statusLabel } from '../../shared/view-text.js';
import {
  card,
  container,
  execute,
  heading,
  text,
  type AdaptiveCard,
  type CardElement,
} from './adaptive-card.js';
import { VERBS } from './verbs.js';

const ROLE_WORDS: Record<RoleGrant['role'], string> = {
  custody: 'custody officer',
  responder: 'responder',
  escalation: 'escalation contact',
  lead: 'strategic lead',
  admin: 'administrator',
  inspector: 'inspector',
};

/**
 * A person's open requests by role, from the desk's list: the `requests` command and the welcome
 * card of the bot's personal chat (what App Home shows on Slack). Case references and facts only.
 */
export function openRequestsCard(
  list: OpenRequestList,
  opts: { nowIso: string; welcome?: boolean; userId: string },
): AdaptiveCard {
  const body: CardElement[] = [heading(opts.welcome ? 'Welcome to Concordat' : 'Open bed requests')];
  if (list.grants.length === 0) {
    body.push(
      text(
        'You are not in the Concordat protocol file yet, so there is nothing to show. Ask your Concordat ' +
          `administrator to add your Teams ID (${opts.userId}) with your role.`,
      ),
    );
    return card(body);
  }
  const roles = [...new Set(list.grants.map((g) => ROLE_WORDS[g.role]))].join(', ');
  body.push(text(`You are signed up as: ${roles}.`, { isSubtle: true, spacing: 'none' }));
  if (list.grants.some((g) => g.role === 'custody' || g.role === 'admin')) {
    body.push(text('Type "bedrequest" to start a request. Type "requests" to see this list again.'));
  }
  if (list.requests.length === 0) body.push(text('No open requests for you right now.'));
  const actions = [];
  for (const { row, view } of list.requests) {
    const status = view
      ? `${statusLabel(view)} · ${ageText(view, opts.nowIso)}`
      : ageText({ requestedAt: row.requestedAt }, opts.nowIso);
    const facts = view
      ? `${view.custodySuiteName} · ${view.localAuthorityName} · age ${view.age} · ${ACCOMMODATION_LABELS[view.accommodation].toLowerCase()}`
      : `${row.custodySuiteId} · ${row.localAuthorityId}`;
    body.push(
      container(
        [
          text(`${row.caseRef} · record ${row.custodyRecordNumber}`, { weight: 'bolder' }),
          text(facts, { spacing: 'none' }),
          text(status, { isSubtle: true, spacing: 'none' }),
        ],
        'emphasis',
      ),
    );
    if (actions.length < 5) {
      const audience = row.requestingOfficer.userId === opts.userId ? 'custody' : 'responder';
      actions.push(execute(`Open ${row.caseRef}`, VERBS.refresh, { workflowId: row.workflowId, audience }));
    }
  }
  if (list.more > 0) body.push(text(`${list.more} more not shown.`, { isSubtle: true }));
  return card(body, actions.length ? { actions } : {});
}
