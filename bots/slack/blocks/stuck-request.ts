import type { StuckRequestView } from '../../../domain/watchdog.js';
import { stuckPageText } from '../../shared/stuck-text.js';
import { DEFAULT_ZONE } from '../../shared/view-text.js';
import { compact, context, esc, section, type SlackMessage } from './kit.js';

/** The watchdog's page (docs/watchdog.md): no buttons, because the request cannot act on them. */
export function stuckRequestPage(view: StuckRequestView, zone: string = DEFAULT_ZONE): SlackMessage {
  const t = stuckPageText(view, zone);
  return {
    text: t.title,
    blocks: compact([
      section(`:rotating_light: *${esc(t.title)}*`),
      section(esc(t.problem)),
      section(t.actions.map((a) => `• ${esc(a)}`).join('\n')),
      context([esc(t.footnote)]),
    ]),
  };
}
