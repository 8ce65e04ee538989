// Both bots render "held in custody, bed still sought" and the repeat-child line from the one view
// model (docs/legal-rules.md, "A stay is not the end" and "Repeat detention"): the same status, the
// certificate on the custody card, the same actions (Offer bed for the responders; Confirm transfer
// and Child left the cells for the sergeant), and no identity.
import { describe, expect, it } from 'vitest';
import { requestCard as slackCard } from '../../../bots/slack/blocks/request-card.js';
import { requestCard as teamsCard } from '../../../bots/teams/cards/request-card.js';
import { repeatLine } from '../../../bots/shared/view-text.js';
import { availableActions } from '../../../domain/available-actions.js';
import { applyAction, openingView } from '../../../domain/request-rules.js';
import type { RequestView } from '../../../domain/request-view.js';
import { bedRequest } from '../../support/workflow-harness.js';

const SERGEANT = { platform: 'slack', userId: 'U0SERGEANT', displayName: 'Sgt Example' } as const;
const NOW = '2013-02-19T00:30:00.000Z';

function heldView(): RequestView {
  const opened = openingView(bedRequest({ child: { pncId: '13/123456A' } }), {
    workflowId: 'bed-request:test',
    caseRef: 'CN-TEST01',
    custodySuiteName: 'Northampton Criminal Justice Centre',
    localAuthorityName: 'West Northamptonshire Council',
    route: 'out_of_hours',
    outOfArea: false,
    requestedAt: '2013-02-18T21:05:00.000Z',
  });
  const withRepeat = {
    ...opened,
    repeat: { count: 2, lastChargedAt: '2013-02-11T21:00:00.000Z', windowDays: 365 },
  };
  return applyAction(
    withRepeat,
    {
      actionId: 'a1',
      actor: SERGEANT,
      action: {
        kind: 'record_stay',
        reason: 'impracticable_extreme_weather',
        explanation: 'Roads closed by snow between the suite and every placement tonight.',
      },
    },
    NOW,
    { stayContinues: true },
  );
}

describe('held in custody, bed still sought, on both platforms', () => {
  const view = heldView();

  it('is open with the stay and its certificate, and offers the same actions on Slack and Teams', () => {
    expect(view.status).toBe('held_bed_sought');
    expect(view.outcome).toBeUndefined();
    expect(availableActions(view, 'responder').map((a) => a.kind)).toEqual([
      'acknowledge',
      'offer_bed',
      'request_info',
      'view_details',
    ]);
    expect(availableActions(view, 'custody').map((a) => a.kind)).toEqual([
      'confirm_transfer',
      'record_left_cells',
      'amend_court_sitting',
      'cancel',
    ]);
    const slack = JSON.stringify(slackCard(view, 'custody'));
    const teams = JSON.stringify(teamsCard(view, { audience: 'custody', nowIso: NOW }));
    for (const card of [slack, teams]) {
      expect(card).toContain('Held in custody, bed still sought');
      expect(card).toContain('SECTION 38(6)');
      expect(card).toContain('Child left the cells');
      expect(card).not.toContain('Child stays');
      expect(card).not.toContain('13/123456A');
    }
    expect(slack).toContain('concordat.record_left_cells');
    expect(teams).toContain('record_left_cells');
    // The responders do not see the certificate.
    expect(JSON.stringify(slackCard(view, 'responder'))).not.toContain('SECTION 38(6)');
    expect(JSON.stringify(teamsCard(view, { audience: 'responder', nowIso: NOW }))).not.toContain(
      'SECTION 38(6)',
    );
  });

  it('marks both cards with the repeat line, counts and a date only', () => {
    const line = repeatLine(view);
    expect(line).toBe(
      'Repeat child: held in police custody after charge 2 times in the last 12 months, last on Mon 11 Feb 2013.',
    );
    for (const audience of ['responder', 'custody'] as const) {
      expect(JSON.stringify(slackCard(view, audience))).toContain(line);
      expect(JSON.stringify(teamsCard(view, { audience, nowIso: NOW }))).toContain(line);
    }
  });
});
