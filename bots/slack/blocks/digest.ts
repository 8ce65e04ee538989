import type { DigestMessageView } from '../../../domain/chat-port.js';
import { packLines } from '../../../domain/digest/pack-lines.js';
import { compact, context, esc, header, type Block, type SlackMessage } from './kit.js';

/** Block Kit's limits: a section's text, and blocks in one message. */
export const SECTION_TEXT_MAX = 3000;
export const MESSAGE_BLOCKS_MAX = 50;

function sectionBlock(text: string): Block {
  // Built here, not with kit.section, whose truncate would cut a line in half if a chunk were over.
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/**
 * The digest as Block Kit: a header, then each section in as many section blocks as its lines
 * need (≤ 3000 characters each, broken between lines, so a list's "…and N more" line is never
 * lost), then the chart's description. If the blocks would pass 50, sections are packed several
 * to a block; if they still would, the message says what is left out and where to find it.
 */
export function digest(view: DigestMessageView): SlackMessage {
  const head = header(view.title);
  const tail = view.chart ? context([`Chart: ${esc(view.chart.altText)}`]) : null;
  const budget = MESSAGE_BLOCKS_MAX - 1 - (tail ? 1 : 0);

  const perSection = view.sections.flatMap((s) => sectionTexts(s.heading, s.lines));
  let texts = perSection;
  if (texts.length > budget) {
    // Pack whole sections together (blank line between) before leaving anything out.
    texts = packLines(perSection, SECTION_TEXT_MAX, (t) => t.length + 1).map((chunk) => chunk.join('\n\n'));
  }
  let omitted: Block | null = null;
  if (texts.length > budget) {
    const kept = texts.slice(0, budget - 1);
    omitted = context([
      `${texts.length - kept.length} more blocks of this digest did not fit in one Slack message: ` +
        'run the digest from the command line or the export for the rest.',
    ]);
    texts = kept;
  }
  return {
    text: view.title,
    blocks: compact([head, ...texts.map(sectionBlock), omitted, tail]),
  };
}

function sectionTexts(heading: string, lines: readonly string[]): string[] {
  const title = `*${esc(heading)}*`;
  const cont = `*${esc(heading)} (continued)*`;
  if (lines.length === 0) return [`${title}\n_none_`];
  // Room for the heading (and the newline after it) in every chunk.
  const room = SECTION_TEXT_MAX - cont.length - 1;
  return packLines(lines.map(esc), room).map((chunk, i) => `${i === 0 ? title : cont}\n${chunk.join('\n')}`);
}
