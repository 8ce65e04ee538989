import type { OutboundMessage, RequestEvent } from '../../../domain/chat-port.js';
import type { EscalationPageView, RepeatAlertView, RequestView } from '../../../domain/request-view.js';
import {
  ACTION_LABELS,
  DEFAULT_ZONE,
  escalationText,
  eventText,
  repeatAlertLines,
  statusLabel,
} from '../../shared/view-text.js';
import { ACTION_IDS } from '../ids.js';
import { actions, button, compact, context, esc, section, type SlackMessage } from './kit.js';
import { digest } from './digest.js';
import { handedOverCard } from './handed-over-card.js';
import { requestCard } from './request-card.js';
import { stuckRequestPage } from './stuck-request.js';

export { digest };

/** A state change, posted into the sergeant's thread. A question carries its Answer button. */
export function eventNote(view: RequestView, event: RequestEvent, zone: string = DEFAULT_ZONE): SlackMessage {
  const text = eventText(view, event, zone);
  const answerable =
    event.type === 'question_asked' &&
    !view.outcome &&
    view.questions.some((q) => q.id === event.questionId && !q.answer);
  return {
    text: `${view.caseRef}: ${text}`,
    blocks: compact([
      section(esc(text)),
      answerable
        ? actions('concordat.note_actions', [
            button(ACTION_LABELS.answer_info, ACTION_IDS.answerInfo, view.workflowId, 'primary'),
          ])
        : null,
      context([`${esc(view.caseRef)} · ${esc(statusLabel(view))}`]),
    ]),
  };
}

export function escalationPage(page: EscalationPageView): SlackMessage {
  const text = escalationText(page);
  return {
    text,
    blocks: compact([
      section(`:rotating_light: ${esc(text)}`),
      context([
        `Custody record ${esc(page.request.custodyRecordNumber)} · ${esc(page.request.custodySuiteName)} · ` +
          `age ${page.request.age}`,
      ]),
    ]),
  };
}

export function repeatAlert(alert: RepeatAlertView, zone: string = DEFAULT_ZONE): SlackMessage {
  const [first, ...rest] = repeatAlertLines(alert, zone);
  return {
    text: first ?? 'Repeat detention',
    blocks: compact([
      section(`:rotating_light: *${esc(first ?? 'Repeat detention')}*`),
      rest.length ? section(rest.map((l) => `• ${esc(l)}`).join('\n')) : null,
    ]),
  };
}

/** Renders anything the workflow says, from its view model only. */
export function renderOutbound(message: OutboundMessage, zone: string = DEFAULT_ZONE): SlackMessage {
  switch (message.kind) {
    case 'request_card': {
      const card = requestCard(message.view, message.audience, zone);
      return message.handedOver ? handedOverCard(card, message.handedOver, zone) : card;
    }
    case 'event_note':
      return eventNote(message.view, message.event, zone);
    case 'escalation_page':
      return escalationPage(message.view);
    case 'repeat_alert':
      return repeatAlert(message.view, zone);
    case 'digest':
      return digest(message.view);
    case 'stuck_request':
      return stuckRequestPage(message.view, zone);
  }
}

/** A private reply (refusal or confirmation): plain words in one section. */
export function privateNote(text: string): SlackMessage {
  return { text, blocks: [section(esc(text))] };
}
