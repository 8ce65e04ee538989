// The Adaptive Card a team keeps after a shift change moved the request on (docs/legal-rules.md,
// "Shift changes"): rendered from the view model through the chat port's renderer, it says to whom
// and when, keeps the facts and history, and has no actions, no inputs and no refresh (which would
// have Teams fetch the team's buttons back).
import { describe, expect, it } from 'vitest';
import { walkCard, type AdaptiveCard } from '../../../../bots/teams/cards/adaptive-card.js';
import { renderMessage } from '../../../../bots/teams/chat-port/render-message.js';
import type { OutboundMessage } from '../../../../domain/chat-port.js';
import { cardText } from '../support/teams-activities.js';
import { sampleView, viewsAtEveryStage } from '../support/views.js';

const ZONE = 'Europe/London';
const NOW = '2026-01-05T17:00:00Z';

function cardOf(message: OutboundMessage): AdaptiveCard {
  const activity = renderMessage(message, NOW, ZONE);
  const attachment = activity.attachments?.[0];
  if (!attachment || !('content' in attachment)) throw new Error('no card attachment');
  return attachment.content;
}
const actionsIn = (card: AdaptiveCard) => walkCard(card).filter((x) => x.type.startsWith('Action.'));
const inputsIn = (card: AdaptiveCard) => walkCard(card).filter((x) => x.type.startsWith('Input.'));

describe('the handed-over card (Teams)', () => {
  const handedOver = { to: 'out_of_hours', at: '2026-01-05T17:00:00.000Z' } as const;

  it('at every open stage, the card that had actions has none, no inputs and no refresh once handed over', () => {
    let open = 0;
    for (const [stage, view] of Object.entries(viewsAtEveryStage())) {
      const plain = cardOf({ kind: 'request_card', audience: 'responder', view });
      if (actionsIn(plain).length === 0) continue; // closed: nothing to take away
      open += 1;
      const handed = cardOf({ kind: 'request_card', audience: 'responder', view, handedOver });
      expect(actionsIn(handed), stage).toEqual([]);
      expect(inputsIn(handed), stage).toEqual([]);
      expect(handed.refresh, stage).toBeUndefined();
      expect(cardText(handed), stage).toContain(view.caseRef);
    }
    expect(open).toBeGreaterThan(0);
  });

  it('says it was handed over to the EDT at 17:00, at the top, and keeps the history', () => {
    const view = sampleView({
      route: 'out_of_hours',
      requestedAt: '2026-01-05T16:55:00Z',
      handovers: [{ at: '2026-01-05T17:00:00.000Z', from: 'in_hours', to: 'out_of_hours' }],
    });
    const handed = cardOf({ kind: 'request_card', audience: 'responder', view, handedOver });
    const text = cardText(handed);
    expect(cardText(handed.body[0])).toMatch(
      /^Handed over to the Emergency Duty Team \(EDT\) at 17:00 on Mon 5 Jan 2026, at the shift change\./,
    );
    expect(text).toContain('no longer takes actions');
    expect(text).toContain('Moved Mon 5 Jan 2026, 17:00 at the shift change');
  });

  it('handed back to the duty team at 09:00 local time (BST in summer)', () => {
    const handed = cardOf({
      kind: 'request_card',
      audience: 'responder',
      view: sampleView({ route: 'in_hours' }),
      handedOver: { to: 'in_hours', at: '2026-06-02T08:00:00.000Z' },
    });
    expect(actionsIn(handed)).toEqual([]);
    expect(cardText(handed)).toContain('Handed over to the duty team at 09:00 on Tue 2 Jun 2026');
  });
});
