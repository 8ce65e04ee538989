import { ActivityTypes, type TurnContext } from 'botbuilder';
import { rolesFor } from '../../../domain/authorise.js';
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
  return rolesFor(deps.protocol.people, actor);
}

/** The conversation to reach the person in if the workflow refuses their action later. */
export function replyChannelOf(context: TurnContext): string {
  return baseConversationId(context.activity.conversation.id);
}

export function isPersonal(context: TurnContext): boolean {
  return context.activity.conversation.conversationType === 'personal';
}

export function nowIso(deps: HandlerDeps): string {
  return deps.clock().toISOString();
}

/** Sends the Universal Actions invoke response: this card replaces the clicked one for the clicker. */
export async function sendInvokeCard(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card } },
  });
}

export type Budgeted<T> =
  { ok: true; value: T } | { ok: false; reason: 'timeout' | 'error'; error?: unknown };

/** Runs `work` but gives up waiting after `ms` (Teams drops an invoke answered after 5 s). */
export async function withinBudget<T>(work: () => Promise<T>, ms: number): Promise<Budgeted<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Budgeted<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: 'timeout' }), ms);
  });
  try {
    return await Promise.race([
      work().then(
        (value): Budgeted<T> => ({ ok: true, value }),
        (error: unknown): Budgeted<T> => ({ ok: false, reason: 'error', error }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One invoke's time budget shared by all its calls: each gets what is left, so a slow query and
 * a slow signal together still answer inside Teams' 5 seconds.
 */
export function budget(totalMs: number): () => number {
  const deadline = Date.now() + totalMs;
  return () => Math.max(1, deadline - Date.now());
}

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
