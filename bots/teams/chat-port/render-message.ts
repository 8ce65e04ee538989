import type { Person } from '../../../domain/protocol.js';
import type { OutboundMessage } from '../../../domain/chat-port.js';
import { DEFAULT_ZONE, escalationText, eventText, titleText } from '../../shared/view-text.js';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from '../cards/adaptive-card.js';
import { digestCard } from '../cards/digest-card.js';
import { escalationPageCard } from '../cards/escalation-page-card.js';
import { repeatAlertCard } from '../cards/repeat-alert-card.js';
import { requestCard } from '../cards/request-card.js';
import { handedOverCard } from '../cards/handed-over-card.js';
import { stuckRequestCard } from '../cards/stuck-request-card.js';
import { stuckPageText } from '../../shared/stuck-text.js';

/** A Bot Framework message activity as Concordat sends it: plain data, no SDK types. */
export interface OutboundActivity {
  type: 'message';
  text?: string;
  textFormat?: 'plain' | 'markdown';
  /** What Teams shows in notifications and the chat list for a card. */
  summary?: string;
  attachments?: Array<
    | { contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; content: AdaptiveCard }
    | { contentType: 'image/png'; contentUrl: string; name: string }
  >;
}

/**
 * A digest's chart too large to inline in its card goes as a picture message of its own: an
 * image attachment with the PNG as a data URL, which Bot Framework accepts from bots.
 */
export function chartActivity(chart: {
  filename: string;
  pngBase64: string;
  altText: string;
}): OutboundActivity {
  return {
    type: 'message',
    text: chart.altText,
    textFormat: 'plain',
    attachments: [
      {
        contentType: 'image/png',
        contentUrl: `data:image/png;base64,${chart.pngBase64}`,
        name: chart.filename,
      },
    ],
  };
}

export function cardActivity(content: AdaptiveCard, summary: string): OutboundActivity {
  return { type: 'message', summary, attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content }] };
}

export function textActivity(text: string): OutboundActivity {
  return { type: 'message', text, textFormat: 'plain' };
}

/** Renders one chat-port message for Teams. Pure: same message, time and zone, same activity. */
export function renderMessage(
  message: OutboundMessage,
  nowIso: string,
  zone = DEFAULT_ZONE,
  /** The protocol's people, so request cards name who may act in `refresh.userIds`. */
  people?: readonly Person[],
): OutboundActivity {
  switch (message.kind) {
    case 'request_card': {
      const card = requestCard(message.view, {
        audience: message.audience,
        nowIso,
        zone,
        ...(people ? { people } : {}),
      });
      return message.handedOver
        ? cardActivity(handedOverCard(card, message.handedOver, zone), titleText(message.view))
        : cardActivity(card, titleText(message.view));
    }
    case 'event_note':
      return textActivity(`${message.view.caseRef}: ${eventText(message.view, message.event, zone)}`);
    case 'escalation_page':
      return cardActivity(escalationPageCard(message.view, nowIso, zone), escalationText(message.view));
    case 'repeat_alert':
      return cardActivity(
        repeatAlertCard(message.view, zone),
        `Repeat detention: child ${message.view.childRef}`,
      );
    case 'digest':
      return cardActivity(digestCard(message.view), message.view.title);
    case 'stuck_request':
      return cardActivity(stuckRequestCard(message.view, zone), stuckPageText(message.view, zone).title);
  }
}
