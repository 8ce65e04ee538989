import type { Actor } from '../../../domain/people.js';
import { ENGINE_UNAVAILABLE_TEXT, REQUEST_NOT_FOUND_TEXT } from '../../shared/failure-text.js';
import { card, execute, heading, text } from '../cards/adaptive-card.js';
import { requestCard } from '../cards/request-card.js';
import { VERBS, cardRefSchema } from '../cards/verbs.js';
import type { HandlerDeps } from '../deps.js';
import { errorCode, noticeOutcome, nowIso, type CardOutcome } from './turn.js';

/**
 * Universal Actions refresh: Teams asks for the current card whenever it shows one with a
 * `refresh` clause (and after every edit of the message), so each viewer sees the request's
 * state now, with only the buttons that still apply. Also serves "Hide details".
 */
export async function refreshCard(
  deps: HandlerDeps,
  input: { actor: Actor; data: unknown },
): Promise<CardOutcome> {
  const ref = cardRefSchema.safeParse(input.data ?? {});
  if (!ref.success)
    return noticeOutcome('Bed request', { tone: 'attention', lines: [REQUEST_NOT_FOUND_TEXT] });
  const fetched = await deps.desk.look(ref.data.workflowId, deps.invokeBudgetMs);
  if (!fetched.ok) {
    deps.log.warn({ workflowId: ref.data.workflowId, err: errorCode(fetched.error) }, 'refresh: engine');
    return noticeOutcome('Bed request', { tone: 'attention', lines: [ENGINE_UNAVAILABLE_TEXT] });
  }
  const view = fetched.value;
  if (!view) {
    // Just submitted: the workflow has not registered the request yet. No automatic refresh here,
    // or Teams would ask again at once; a button lets the sergeant look again.
    const waiting = card(
      [heading('Bed request'), text('The request is being set up. It will show here in a moment.')],
      { actions: [execute('Show the request', VERBS.refresh, { ...ref.data })] },
    );
    return { card: waiting, shared: waiting, words: 'The request is being set up.', accepted: false };
  }
  const fresh = requestCard(view, {
    audience: ref.data.audience,
    nowIso: nowIso(deps),
    zone: deps.zone,
    people: deps.protocol.people,
  });
  return { card: fresh, shared: fresh, words: 'The card was refreshed.', accepted: false };
}
