import type { HandedOver } from '../../../domain/chat-port.js';
import { HANDED_OVER_NO_ACTIONS, handedOverLine } from '../../shared/handover-text.js';
import { DEFAULT_ZONE } from '../../shared/view-text.js';
import { esc, section, type Block, type SlackMessage } from './kit.js';

/** A section's button (View details, say) goes with the actions. */
function withoutAccessoryButton(block: Block): Block {
  if (block.type !== 'section' || block.accessory?.type !== 'button') return block;
  const { accessory: _button, ...rest } = block;
  return rest;
}

/**
 * The card a team keeps after a shift change moved the request to another team (docs/legal-rules.md,
 * "Shift changes"): the request card as rendered, with the handover said under its header and every
 * button taken off. Pure, like the card it starts from.
 */
export function handedOverCard(
  card: SlackMessage,
  handedOver: HandedOver,
  zone: string = DEFAULT_ZONE,
): SlackMessage {
  const line = handedOverLine(handedOver, zone);
  const blocks = card.blocks.filter((b) => b.type !== 'actions').map(withoutAccessoryButton);
  const at = blocks[0]?.type === 'header' ? 1 : 0;
  blocks.splice(
    at,
    0,
    section(`:arrow_right: *${esc(line)}* ${esc(HANDED_OVER_NO_ACTIONS)}`, 'concordat.handed_over'),
  );
  return { text: `${card.text} (${line})`, blocks };
}
