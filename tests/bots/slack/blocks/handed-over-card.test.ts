// The Block Kit card a team keeps after a shift change moved the request on (docs/legal-rules.md,
// "Shift changes"): rendered from the view model through the chat port's renderer, it says to whom
// and when, keeps the facts and history, and has no buttons.
import { describe, expect, it } from 'vitest';
import { renderOutbound } from '../../../../bots/slack/blocks/messages.js';
import type { OutboundMessage } from '../../../../domain/chat-port.js';
import { sampleView } from '../../shared/fixtures.js';

const ZONE = 'Europe/London';

function buttons(blocks: unknown[]): unknown[] {
  const json = JSON.stringify(blocks);
  return [...json.matchAll(/"type":"button"/g)];
}

describe('the handed-over card (Slack)', () => {
  // The duty team's card at 17:00 on a Monday: the request has moved to the EDT.
  const view = sampleView({
    route: 'out_of_hours',
    requestedAt: '2026-01-05T16:55:00Z',
    updatedAt: '2026-01-05T17:00:00Z',
    handovers: [{ at: '2026-01-05T17:00:00.000Z', from: 'in_hours', to: 'out_of_hours' }],
  });
  const card: OutboundMessage = { kind: 'request_card', audience: 'responder', view };

  it('the same card without a handover has its buttons (the baseline)', () => {
    expect(buttons(renderOutbound(card, ZONE).blocks).length).toBeGreaterThan(0);
  });

  it('says it was handed over to the EDT at 17:00, keeps the case and its history, and has no buttons', () => {
    const handed = renderOutbound(
      { ...card, handedOver: { to: 'out_of_hours', at: '2026-01-05T17:00:00.000Z' } },
      ZONE,
    );
    expect(buttons(handed.blocks)).toEqual([]);
    expect(handed.blocks.some((b) => b.type === 'actions')).toBe(false);
    const json = JSON.stringify(handed.blocks);
    expect(json).toContain('Handed over to the Emergency Duty Team (EDT) at 17:00 on Mon 5 Jan 2026');
    expect(json).toContain('no longer takes actions');
    expect(json).toContain(view.caseRef);
    expect(json).toContain('Moved Mon 5 Jan 2026, 17:00 at the shift change');
    // Under the header, where it is read first; the notification text says it too.
    expect(handed.blocks[0]?.type).toBe('header');
    expect(handed.blocks[1]).toMatchObject({ block_id: 'concordat.handed_over' });
    expect(handed.text).toMatch(/Handed over to the Emergency Duty Team \(EDT\) at 17:00/);
  });

  it('handed back to the duty team at 09:00 (BST in summer: local time)', () => {
    const handed = renderOutbound(
      {
        kind: 'request_card',
        audience: 'responder',
        view: sampleView({ route: 'in_hours' }),
        handedOver: { to: 'in_hours', at: '2026-06-02T08:00:00.000Z' },
      },
      ZONE,
    );
    expect(buttons(handed.blocks)).toEqual([]);
    expect(JSON.stringify(handed.blocks)).toContain(
      'Handed over to the duty team at 09:00 on Tue 2 Jun 2026',
    );
  });
});
