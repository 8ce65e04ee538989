import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Refusal } from '../../../domain/failures.js';
import type { Actor, RoleGrant } from '../../../domain/people.js';
import type { RequestView } from '../../../domain/request-view.js';
import { describeRefusal } from '../../shared/failure-text.js';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from '../cards/adaptive-card.js';
import { noticeCard } from '../cards/notice-card.js';
import { requestCard, type CardNotice } from '../cards/request-card.js';
import type { CardAudience } from '../cards/verbs.js';
import { baseConversationId } from '../chat-port/conversation-reference.js';
import type { HandlerDeps } from '../deps.js';

/**
 * What a card handler decides, independent of how it was clicked. With Action.Execute `card` goes
 * back in the invoke response, to the person who clicked only. With the Action.Submit fallback
 * (older clients) there is no private reply: `shared` is the version that may be posted where
 * everyone in the conversation sees it (null: only `words` may be), and `words` is plain text.
 */
export interface CardOutcome {
  card: AdaptiveCard;
  shared: AdaptiveCard | null;
  words: string;
  /** True when the action went into the workflow (the workflow updates the shared cards). */
  accepted: boolean;
  /** What the clicked message itself becomes for everyone (a sent form: its short summary). */
  summary?: AdaptiveCard;
}

/** The person acting, as the protocol file names them: their AAD object ID. */
export function actorOf(context: TurnContext): Actor {
  const from = context.activity.from;
  const name = from.name?.trim();
  return {
    platform: 'teams',
    userId: from.aadObjectId ?? from.id,
    ...(name ? { displayName: name.slice(0, 200) } : {}),
  };
}

export function grantsOf(deps: HandlerDeps, actor: Actor): RoleGrant[] {
  return deps.desk.grantsOf(actor);
}

/** The conversation to reach the person in if the workflow refuses their action later. */
export function replyChannelOf(context: TurnContext): string {
  return baseConversationId(context.activity.conversation.id);
}

/** The platform's ID of this activity: a redelivery carries the same one. */
export function requestIdOf(context: TurnContext): string {
  return `teams:${context.activity.id ?? `${context.activity.from.id}:${Date.now()}`}`;
}

export function isPersonal(context: TurnContext): boolean {
  return context.activity.conversation.conversationType === 'personal';
}

export function nowIso(deps: HandlerDeps): string {
  return deps.desk.nowIso();
}

/** Sends the Universal Actions invoke response: this card replaces the clicked one for the clicker. */
export async function sendInvokeCard(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card } },
  });
}

export { budget, withinBudget, type Budgeted } from '../../../desk/index.js';

/** A card that says one thing (no request to show). */
export function noticeOutcome(title: string, notice: CardNotice): CardOutcome {
  const card = noticeCard(title, notice);
  return { card, shared: card, words: notice.lines.join(' '), accepted: false };
}

/** The request card with a refusal on top: what the person sees when an action is refused. */
export function refusalOutcome(
  deps: HandlerDeps,
  view: RequestView,
  audience: CardAudience,
  refusal: Refusal,
): CardOutcome {
  const words = describeRefusal({ ...refusal, params: { caseRef: view.caseRef, ...refusal.params } });
  const card = requestCard(view, {
    people: deps.protocol.people,
    audience,
    nowIso: nowIso(deps),
    zone: deps.zone,
    notice: { tone: 'attention', lines: [words] },
  });
  return { card, shared: card, words, accepted: false };
}

/** A short, non-identifying reason for a log line from whatever was thrown. */
export function errorCode(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message.slice(0, 200)}`;
  return String(err).slice(0, 200);
}
