import { card, heading, type AdaptiveCard } from './adaptive-card.js';
import { noticeContainer, type CardNotice } from './request-card.js';

/** A card that only says something: a refusal with no request to show, a help text, a note. */
export function noticeCard(title: string, notice: CardNotice): AdaptiveCard {
  return card([heading(title), noticeContainer(notice)]);
}
