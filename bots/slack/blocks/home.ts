import type { OpenRequest } from '../../../desk/index.js';
import { hasRole } from '../../../domain/authorise.js';
import type { RoleGrant } from '../../../domain/people.js';
import {
  ACCOMMODATION_LABELS,
  DEFAULT_ZONE,
  ageText,
  formatTime,
  statusLabel,
} from '../../shared/view-text.js';
import { COMMAND } from '../ids.js';
import { compact, context, divider, esc, header, section, type Block, type HomeView } from './kit.js';

/** One open request on the tab: the desk's list entry. */
export type HomeRow = OpenRequest;

const ROLE_WORDS: Record<RoleGrant['role'], string> = {
  custody: 'custody officer',
  responder: 'responder',
  escalation: 'escalation contact',
  lead: 'strategic lead',
  admin: 'administrator',
  inspector: 'inspector',
};

/** The App Home tab, a pure function of the rows, their views and the time. */
export function homeView(opts: {
  userId: string;
  grants: readonly RoleGrant[];
  rows: readonly HomeRow[];
  nowIso: string;
  zone?: string;
  /** How many open requests were left off (the tab shows the most recent first). */
  more?: number;
}): HomeView {
  const zone = opts.zone ?? DEFAULT_ZONE;
  if (opts.grants.length === 0) {
    return {
      type: 'home',
      blocks: [
        header('Concordat'),
        section(
          `You are not in the Concordat protocol file yet, so there is nothing to show. Ask your Concordat ` +
            `administrator to add your Slack user ID (\`${esc(opts.userId)}\`) with your role.`,
        ),
      ],
    };
  }
  const roles = [...new Set(opts.grants.map((g) => ROLE_WORDS[g.role]))].join(', ');
  const blocks: Block[] = [
    header('Open bed requests'),
    context([`You are signed up as: ${esc(roles)}. Updated ${esc(formatTime(opts.nowIso, zone))}.`]) ??
      divider(),
  ];
  if (hasRole(opts.grants, 'custody')) {
    blocks.push(section(`Start a request with \`${COMMAND}\` in any channel or here.`));
  }
  if (opts.rows.length === 0) {
    blocks.push(section('No open requests for you right now.'));
  }
  for (const { row, view } of opts.rows) {
    blocks.push(divider());
    const status = view
      ? `${statusLabel(view)} · ${ageText(view, opts.nowIso)}`
      : ageText({ requestedAt: row.requestedAt }, opts.nowIso);
    const facts = view
      ? `${esc(view.custodySuiteName)} · ${esc(view.localAuthorityName)} · age ${view.age} · ${ACCOMMODATION_LABELS[view.accommodation].toLowerCase()}`
      : `${esc(row.custodySuiteId)} · ${esc(row.localAuthorityId)}`;
    blocks.push(
      section(`*${esc(row.caseRef)}* · record ${esc(row.custodyRecordNumber)}\n${facts}\n_${esc(status)}_`),
    );
  }
  if (opts.more && opts.more > 0) blocks.push(context([`${opts.more} more not shown.`]) ?? divider());
  return { type: 'home', blocks: compact(blocks).slice(0, 100) };
}
