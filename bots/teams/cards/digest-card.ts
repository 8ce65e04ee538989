import type { DigestMessageView } from '../../../domain/chat-port.js';
import { card, container, heading, text, type AdaptiveCard, type CardElement } from './adaptive-card.js';

/** Teams caps a message at about 28 KB; an inline chart larger than this is left out. */
export const MAX_INLINE_CHART_BASE64 = 18_000;

/** The daily or weekly digest for strategic leads, section by section. */
export function digestCard(digest: DigestMessageView): AdaptiveCard {
  const body: CardElement[] = [heading(digest.title)];
  for (const section of digest.sections) {
    body.push(
      container([text(section.heading, { weight: 'bolder' }), ...section.lines.map((line) => text(line))]),
    );
  }
  if (digest.chart) {
    body.push(
      digest.chart.pngBase64.length <= MAX_INLINE_CHART_BASE64
        ? {
            type: 'Image',
            url: `data:image/png;base64,${digest.chart.pngBase64}`,
            altText: digest.chart.altText,
            size: 'stretch',
          }
        : text(`Chart: ${digest.chart.altText} (sent as a picture below)`, { isSubtle: true }),
    );
  }
  return card(body);
}
