import { describe, expect, it } from 'vitest';
import {
  walkCard,
  type ActionExecute,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
} from '../../../../bots/teams/cards/adaptive-card.js';
import { detailsCard, requestCard } from '../../../../bots/teams/cards/request-card.js';
import { renderMessage } from '../../../../bots/teams/chat-port/render-message.js';
import type { OutboundMessage } from '../../../../domain/chat-port.js';
import { CHILD, sampleView, viewsAtEveryStage } from '../support/views.js';

const NOW = '2013-02-18T23:00:00Z';

function executes(card: AdaptiveCard): ActionExecute[] {
  return walkCard(card).filter((x): x is ActionExecute => x.type === 'Action.Execute');
}

function inputIds(card: AdaptiveCard): string[] {
  return walkCard(card)
    .filter((x): x is Extract<CardElement, { id: string }> => x.type.startsWith('Input.'))
    .map((x) => x.id);
}

function titles(actions: CardAction[] | undefined): string[] {
  return (actions ?? []).map((a) => a.title);
}

function everyMessage(): OutboundMessage[] {
  const out: OutboundMessage[] = [];
  for (const view of Object.values(viewsAtEveryStage())) {
    out.push({ kind: 'request_card', audience: 'responder', view });
    out.push({ kind: 'request_card', audience: 'custody', view });
    for (const type of ['acknowledged', 'bed_offered', 'declined', 'resolved'] as const) {
      out.push({ kind: 'event_note', view, event: { type } });
    }
    out.push({ kind: 'event_note', view, event: { type: 'question_asked', questionId: 'q1' } });
    out.push({ kind: 'event_note', view, event: { type: 'escalated', level: 2 } });
    out.push({
      kind: 'escalation_page',
      view: { request: view, level: 2, stepName: 'Superintendent', reason: 'not_resolved', minutesOpen: 130 },
    });
  }
  out.push({
    kind: 'repeat_alert',
    view: {
      childRef: 'P-4F2A9C',
      windowDays: 365,
      detentions: [
        {
          custodyRecordNumber: 'NC-2013-0218',
          custodySuiteName: 'Northampton Criminal Justice Centre',
          localAuthorityName: 'West Northamptonshire Council',
          chargedAt: '2013-02-18T21:40:00Z',
          outcome: 'detained_no_bed_non_secure',
          caseRef: 'CN-7K3F9Q',
        },
        {
          custodyRecordNumber: 'NC-2013-0225',
          custodySuiteName: 'Northampton Criminal Justice Centre',
          localAuthorityName: 'West Northamptonshire Council',
          chargedAt: '2013-02-25T20:10:00Z',
          outcome: 'detained_no_bed_non_secure',
          caseRef: 'CN-9Q2W1E',
        },
      ],
    },
  });
  out.push({
    kind: 'digest',
    view: {
      title: 'Daily digest, Tue 19 Feb 2013',
      sections: [{ heading: 'Requests', lines: ['3 requests, 1 transferred (33%)'] }],
      chart: { filename: 'c.png', pngBase64: 'iVBORw0KGgo=', altText: 'Transfers by suite' },
    },
  });
  return out;
}

describe('Teams cards from the one view model', () => {
  it('never carry the child’s name, date of birth or PNC ID, in any message at any stage', () => {
    const messages = everyMessage();
    expect(messages.length).toBeGreaterThan(50);
    for (const message of messages) {
      const json = JSON.stringify(renderMessage(message, NOW));
      for (const value of Object.values(CHILD)) expect(json).not.toContain(value);
      expect(json).not.toMatch(/\b\d{2}\/\d{1,7}[A-Z]\b/); // nothing shaped like a PNC ID
    }
  });

  it('are Adaptive Card 1.5 with a refresh action, and every Action.Execute has an Action.Submit fallback', () => {
    for (const view of Object.values(viewsAtEveryStage())) {
      for (const audience of ['responder', 'custody'] as const) {
        const card = requestCard(view, { audience, nowIso: NOW });
        expect(card.version).toBe('1.5');
        expect(card.refresh?.action).toMatchObject({ type: 'Action.Execute', verb: 'refresh' });
        expect(card.refresh?.action.data).toEqual({ workflowId: view.workflowId, audience });
        for (const action of executes(card)) {
          expect(action.fallback).toEqual({
            type: 'Action.Submit',
            title: action.title,
            data: { ...action.data, verb: action.verb },
            ...(action.style ? { style: action.style } : {}),
          });
          expect(action.data.workflowId).toBe(view.workflowId);
        }
        const ids = inputIds(card);
        expect(new Set(ids).size).toBe(ids.length);
      }
    }
  });

  it('show the responder only the buttons that still apply', () => {
    const v = viewsAtEveryStage();
    const r = (view: (typeof v)[string]) =>
      titles(requestCard(view, { audience: 'responder', nowIso: NOW }).actions);
    expect(r(v.new!)).toEqual(['Acknowledge', 'Offer bed', 'Decline', 'Need info', 'View details']);
    expect(r(v.acknowledged!)).toEqual(['Offer bed', 'Decline', 'Need info', 'View details']);
    expect(r(v.declined!)).toEqual(['Offer bed', 'Decline', 'Need info', 'View details']);
    expect(r(v.offered!)).toEqual(['Need info', 'View details']);
    expect(r(v.transferred!)).toEqual([]);
    expect(r(v.stayed!)).toEqual([]);
  });

  it('show the sergeant answers, the transfer once a bed is offered, the coded stay reasons and cancel', () => {
    const v = viewsAtEveryStage();
    const c = (view: (typeof v)[string]) =>
      titles(requestCard(view, { audience: 'custody', nowIso: NOW }).actions);
    // Confirm transfer before any offer: a transfer arranged by phone (docs/legal-rules.md).
    expect(c(v.new!)).toEqual(['Confirm transfer', 'Child stays', 'Amend court sitting', 'Cancel request']);
    expect(c(v.question!)).toEqual([
      'Answer question',
      'Confirm transfer',
      'Child stays',
      'Amend court sitting',
      'Cancel request',
    ]);
    expect(c(v.offered!)).toEqual([
      'Confirm transfer',
      'Child stays',
      'Amend court sitting',
      'Cancel request',
    ]);
    expect(c(v.transferred!)).toEqual([]);
    const stays = requestCard(v.new!, { audience: 'custody', nowIso: NOW });
    const reasons = walkCard(stays).find((x) => x.type === 'Input.ChoiceSet' && x.id === 'stay_reason');
    // The coded circumstances of the Concordat's definition, from the one domain list; the reasons
    // Note 16D rules out are never offered (issue 11, item 5).
    const offered = (reasons as { choices?: Array<{ value: string }> } | undefined)?.choices ?? [];
    expect(offered.map((x) => x.value)).toEqual([
      'impracticable_extreme_weather',
      'impracticable_medical',
      'impracticable_other',
      'impracticable_court_too_soon',
      'no_accommodation_provided',
    ]);
    const closed = JSON.stringify(requestCard(v.stayed!, { audience: 'custody', nowIso: NOW }));
    expect(closed).toContain('Certificate for court (s.38(6))');
    expect(JSON.stringify(requestCard(v.stayed!, { audience: 'responder', nowIso: NOW }))).not.toContain(
      'Certificate for court',
    );
  });

  it('puts the confirm-transfer date and time defaults in the force’s zone', () => {
    const card = requestCard(viewsAtEveryStage().offered!, {
      audience: 'custody',
      nowIso: '2013-07-01T21:30:00Z',
    });
    const inputs = walkCard(card).filter(
      (x) =>
        (x.type === 'Input.Date' || x.type === 'Input.Time') &&
        (x.id === 'left_date' || x.id === 'left_time'),
    );
    expect(inputs).toEqual([
      expect.objectContaining({ id: 'left_date', value: '2013-07-01' }),
      expect.objectContaining({ id: 'left_time', value: '22:30' }), // BST
    ]);
  });

  it('shows a refusal or a confirmation as a banner above the request', () => {
    const card = requestCard(sampleView(), {
      audience: 'responder',
      nowIso: NOW,
      notice: { tone: 'attention', lines: ['You answer for a different local authority.'] },
    });
    expect(card.body[0]).toMatchObject({ type: 'Container', style: 'attention', id: 'notice' });
    expect(JSON.stringify(card.body[0])).toContain('different local authority');
  });

  it('shows the identity only on the details card, with Hide and no auto-refresh', () => {
    const card = detailsCard(sampleView(), CHILD, NOW);
    const json = JSON.stringify(card);
    expect(json).toContain('Jordanna Quillfeather');
    expect(json).toContain('1997-06-14');
    expect(json).toContain('13/654321Z');
    expect(card.refresh).toBeUndefined();
    expect(executes(card).map((a) => a.title)).toContain('Hide details');
    const purged = JSON.stringify(detailsCard(sampleView(), null, NOW));
    expect(purged).toContain('no longer held');
  });

  it('adds the case details a responder needs to place the child to the private details card', () => {
    const card = detailsCard(sampleView(), CHILD, NOW, undefined, {
      bailRefusalGround: 'own_protection',
      needsAndRisks: 'Asthma inhaler; self-harm risk',
      seriousHarmJustification: 'Threats with a knife',
    });
    const json = JSON.stringify(card);
    expect(json).toContain('For the child’s own protection');
    expect(json).toContain('Asthma inhaler; self-harm risk');
    expect(json).toContain('Threats with a knife');
    expect(JSON.stringify(detailsCard(sampleView(), CHILD, NOW))).not.toContain('Needs and risks');
  });

  it('renders event notes as plain text in the thread, and pages, alerts and digests as cards', () => {
    const view = viewsAtEveryStage().offered!;
    const note = renderMessage({ kind: 'event_note', view, event: { type: 'bed_offered' } }, NOW);
    expect(note).toMatchObject({ type: 'message', textFormat: 'plain' });
    expect(note.text).toMatch(/^CN-7K3F9Q: Bed offered by Duty social worker: Non-secure bed at Oak House/);
    const page = renderMessage(
      {
        kind: 'escalation_page',
        view: { request: view, level: 3, stepName: 'Superintendent', reason: 'overnight', minutesOpen: 200 },
      },
      NOW,
    );
    const pageAttachment = page.attachments?.[0];
    expect(
      pageAttachment && 'content' in pageAttachment ? pageAttachment.content.actions : undefined,
    ).toBeUndefined();
    expect(page.summary).toContain('Escalation level 3');
    const digest = renderMessage(
      {
        kind: 'digest',
        view: {
          title: 'Weekly digest',
          sections: [],
          chart: { filename: 'c.png', pngBase64: 'x'.repeat(50_000), altText: 'Too big a chart' },
        },
      },
      NOW,
    );
    expect(JSON.stringify(digest)).toContain('Chart: Too big a chart');
    expect(JSON.stringify(digest)).not.toContain('data:image/png');
  });
});
