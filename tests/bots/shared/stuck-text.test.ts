import { describe, expect, it } from 'vitest';
import { stuckPageText } from '../../../bots/shared/stuck-text.js';
import { stuckRequestPage } from '../../../bots/slack/blocks/stuck-request.js';
import { renderOutbound } from '../../../bots/slack/blocks/messages.js';
import { stuckRequestCard } from '../../../bots/teams/cards/stuck-request-card.js';
import { renderMessage } from '../../../bots/teams/chat-port/render-message.js';
import { StuckReason, type StuckRequestView } from '../../../domain/watchdog.js';

const view: StuckRequestView = {
  workflowId: 'bed-request:NORTHAMPTON-CJC:NC-1302-0042',
  caseRef: 'CN-7K3Q9A',
  custodySuiteName: 'Northampton Criminal Justice Centre',
  custodyRecordNumber: 'NC-1302-0042',
  reason: StuckReason.WorkflowTaskFailing,
  since: '2026-03-01T20:00:00Z',
  detectedAt: '2026-03-01T20:12:00Z',
  attempts: 7,
};

describe('the stuck-request page', () => {
  it('names the case, what is wrong and what to do, in words', () => {
    const t = stuckPageText(view, 'Europe/London');
    expect(t.title).toBe(
      'Request CN-7K3Q9A is stuck (Northampton Criminal Justice Centre, custody record NC-1302-0042)',
    );
    expect(t.problem).toBe(
      'Concordat has failed to process this request 7 times in a row, since Sun 1 Mar 2026, 20:00 (12m). ' +
        'No escalation page will go out and its buttons will not work until an engineer fixes it.',
    );
    expect(t.actions.join(' ')).toMatch(/phone the duty team or the Emergency Duty Team directly/);
    expect(t.actions.join(' ')).toMatch(/check the Concordat worker logs/);
    expect(t.actions.join(' ')).toMatch(/still held in the records store/);
    expect(t.footnote).toContain('WORKFLOW_TASK_FAILING');
  });

  it('has words for every reason, and reads well without a case reference', () => {
    const texts = Object.values(StuckReason).map((reason) => stuckPageText({ ...view, reason }).problem);
    expect(new Set(texts).size).toBe(Object.values(StuckReason).length);
    for (const t of texts) expect(t).not.toMatch(/undefined|WORKFLOW_|NO_WORKFLOW/);
    const bare = stuckPageText({
      workflowId: 'bed-request:X:Y',
      reason: StuckReason.NoWorkflow,
      since: view.since,
      detectedAt: view.detectedAt,
    });
    expect(bare.title).toBe('A bed request (bed-request:X:Y) is stuck');
    expect(
      stuckPageText({ ...view, reason: StuckReason.WorkflowClosed, workflowStatus: 'TERMINATED' }).problem,
    ).toContain('(terminated)');
  });

  it('Slack: a section per part, no buttons, the title as notification text', () => {
    const msg = renderOutbound({ kind: 'stuck_request', view }, 'Europe/London');
    expect(msg).toEqual(stuckRequestPage(view, 'Europe/London'));
    expect(msg.text).toBe(stuckPageText(view).title);
    expect(msg.blocks.map((b) => b.type)).toEqual(['section', 'section', 'section', 'context']);
    expect(JSON.stringify(msg.blocks)).not.toContain('"actions"');
  });

  it('Teams: an attention card with the same words, and the title as summary', () => {
    const activity = renderMessage({ kind: 'stuck_request', view }, view.detectedAt, 'Europe/London');
    expect(activity.summary).toBe(stuckPageText(view).title);
    const card = stuckRequestCard(view, 'Europe/London');
    expect(activity.attachments?.[0]).toMatchObject({ content: card });
    const json = JSON.stringify(card);
    expect(json).toContain('"style":"attention"');
    for (const line of [stuckPageText(view).problem, ...stuckPageText(view).actions]) {
      expect(json).toContain(JSON.stringify(line).slice(1, -1));
    }
    expect(card.actions ?? []).toEqual([]);
  });
});
