import type { DigestMessageView } from '../../../domain/chat-port.js';
import { card, container, heading, text, type AdaptiveCard, type CardElement } from './adaptive-card.js';

/** Teams caps a message at about 28 KB; an inline chart larger than this is left out. */
export const MAX_INLINE_CHART_BASE64 = 18_000;
/** The card's own budget, in UTF-8 bytes of its JSON: 28 KB less room for the activity around it. */
export const MAX_CARD_BYTES = 26_000;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
/** A list's closing pointer ("…and 10 more children: …"), kept whatever else has to go. */
const isPointer = (line: string) => line.startsWith('…and ');

/**
 * The daily or weekly digest for strategic leads, section by section, within Teams' card size:
 * sections go in whole while they fit; the first that does not gets as many whole lines as fit,
 * its "…and N more" pointer, and a line saying how many were left out; later sections are named.
 */
export function digestCard(digest: DigestMessageView): AdaptiveCard {
  const chart: CardElement | null = digest.chart
    ? digest.chart.pngBase64.length <= MAX_INLINE_CHART_BASE64
      ? {
          type: 'Image',
          url: `data:image/png;base64,${digest.chart.pngBase64}`,
          altText: digest.chart.altText,
          size: 'stretch',
        }
      : text(`Chart: ${digest.chart.altText} (sent as a picture below)`, { isSubtle: true })
    : null;
  const body: CardElement[] = [heading(digest.title)];
  // Room kept for the chart and for the closing note (at most five headings, each under 150 bytes).
  const reserve = (chart ? bytes(chart) : 0) + 1_000;
  const fits = (extra: CardElement) => bytes(card([...body, extra])) + reserve <= MAX_CARD_BYTES;

  const sections = [...digest.sections];
  let i = 0;
  for (; i < sections.length; i++) {
    const s = sections[i] as (typeof sections)[number];
    const whole = container([text(s.heading, { weight: 'bolder' }), ...s.lines.map((line) => text(line))]);
    if (fits(whole)) {
      body.push(whole);
      continue;
    }
    const pointer = s.lines.filter(isPointer);
    const kept: string[] = [];
    for (const line of s.lines.filter((l) => !isPointer(l))) {
      const trial = partial(
        s.heading,
        [...kept, line],
        pointer,
        s.lines.length - kept.length - 1 - pointer.length,
      );
      if (!fits(trial)) break;
      kept.push(line);
    }
    const left = s.lines.length - kept.length - pointer.length;
    body.push(partial(s.heading, kept, pointer, left));
    i++;
    break;
  }
  if (i < sections.length) {
    const left = sections.slice(i).map((s) => s.heading);
    const named =
      left.slice(0, 5).join('; ') + (left.length > 5 ? `; and ${left.length - 5} more sections` : '');
    body.push(
      text(
        `Not shown here (Teams limits a card's size): ${named}. The digest command and the export have every figure.`,
        { isSubtle: true },
      ),
    );
  }
  if (chart) body.push(chart);
  return card(body);
}

function partial(
  headingText: string,
  kept: readonly string[],
  pointer: readonly string[],
  left: number,
): CardElement {
  return container([
    text(headingText, { weight: 'bolder' }),
    ...kept.map((line) => text(line)),
    ...(left > 0
      ? [text(`…${left} more lines of this section are not shown (card size).`, { isSubtle: true })]
      : []),
    ...pointer.map((line) => text(line)),
  ]);
}
