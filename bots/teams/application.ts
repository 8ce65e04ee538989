import { Application, TurnState } from '@microsoft/teams-ai';
import { TeamsInfo, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import { ENGINE_UNAVAILABLE_TEXT } from '../shared/failure-text.js';
import type { ConcordatTeamsAdapter } from './adapter.js';
import { noticeCard } from './cards/notice-card.js';
import { ACTION_VERBS, VERBS } from './cards/verbs.js';
import { cardActivity, textActivity } from './chat-port/render-message.js';
import type { HandlerDeps } from './deps.js';
import { BED_REQUEST_COMMAND, bedRequestCommand } from './handlers/bed-request-command.js';
import { cardAction } from './handlers/card-action.js';
import { DIGEST_COMMAND, digestCommand } from './handlers/digest-command.js';
import { helpMessage } from './handlers/help-message.js';
import { recordInstall } from './handlers/install.js';
import { refreshCard } from './handlers/refresh-card.js';
import { REQUESTS_COMMAND, requestsCommand, welcome } from './handlers/requests-command.js';
import { submitRequest } from './handlers/submit-request.js';
import {
  actorOf,
  errorCode,
  isPersonal,
  replyChannelOf,
  requestIdOf,
  sendInvokeCard,
  type CardOutcome,
} from './handlers/turn.js';
import { viewDetails } from './handlers/view-details.js';

type Core = (context: TurnContext, data: unknown) => Promise<CardOutcome>;

/** Card data from teams-ai arrives as an untyped record; the handlers zod-parse it. */
type CardData = Record<string, unknown>;

/**
 * The teams-ai Application: routes for the commands (bedrequest, digest), the form, the card buttons (Action.Execute
 * invokes, and the Action.Submit fallback from older clients), refresh, and installs.
 */
export function createTeamsApplication(
  deps: HandlerDeps,
  adapter: ConcordatTeamsAdapter,
): Application<TurnState> {
  const app = new Application<TurnState>({
    adapter,
    botAppId: adapter.appId,
    // No typing indicator: it would be an extra connector call on every message.
    startTypingTimer: false,
    removeRecipientMention: true,
    longRunningMessages: false,
    turnStateFactory: () => new TurnState(),
  });

  /** Action.Execute: the card goes back in the invoke response, for the clicker only. */
  const onExecute =
    (name: string, core: Core) => async (context: TurnContext, _state: TurnState, data: CardData) => {
      let outcome: CardOutcome;
      try {
        outcome = await core(context, data);
      } catch (err) {
        deps.log.error({ verb: name, err: errorCode(err) }, 'card handler failed');
        outcome = {
          card: noticeCard('Nothing was changed', { tone: 'attention', lines: [ENGINE_UNAVAILABLE_TEXT] }),
          shared: null,
          words: ENGINE_UNAVAILABLE_TEXT,
          accepted: false,
        };
      }
      await sendInvokeCard(context, outcome.card);
      // The clicker sees the invoke's card; in a shared chat everyone else would still see the
      // blank form, so it becomes the summary for them. A personal chat has no one else.
      if (!isPersonal(context)) await updateClicked(context, outcome);
      // The invoke response is already set, so teams-ai sends nothing more (and edits nothing).
      return '';
    };

  /**
   * Action.Submit (older clients): a message with the button's data. There is no private reply,
   * so only what is safe for the whole conversation is posted: a card for the form and refresh,
   * plain words for a refused or invalid action, and nothing for an accepted one (the workflow
   * updates the shared cards itself).
   */
  const onSubmit =
    (name: string, core: Core, kind: 'card' | 'words') =>
    async (context: TurnContext, _state: TurnState, data: CardData) => {
      try {
        const outcome = await core(context, data);
        await updateClicked(context, outcome);
        if (outcome.accepted && kind === 'words') return;
        // Never `card`: a posted message may echo what was typed, and the child's identity must
        // not be echoed into any chat message, not even the sergeant's own 1:1 chat.
        const shareable = outcome.shared;
        await context.sendActivity(
          kind === 'card' && shareable ? cardActivity(shareable, 'Concordat') : textActivity(outcome.words),
        );
      } catch (err) {
        deps.log.error({ verb: name, err: errorCode(err) }, 'card submit handler failed');
      }
    };

  /** A sent form becomes its short summary for everyone (the message the button was on). */
  const updateClicked = async (context: TurnContext, outcome: CardOutcome) => {
    const id = context.activity.replyToId;
    if (!outcome.summary || !id) return;
    try {
      await context.updateActivity({ ...cardActivity(outcome.summary, 'Bed request submitted'), id });
    } catch (err) {
      deps.log.warn({ err: errorCode(err) }, 'could not update the form message');
    }
  };

  const route = (verb: string, core: Core, submitKind: 'card' | 'words') => {
    app.adaptiveCards.actionExecute(verb, onExecute(verb, core));
    app.adaptiveCards.actionSubmit(verb, onSubmit(verb, core, submitKind));
  };

  route(
    VERBS.submitRequest,
    (context, data) =>
      submitRequest(deps, { actor: actorOf(context), data, requestId: requestIdOf(context) }),
    'card',
  );
  route(VERBS.refresh, (context, data) => refreshCard(deps, { actor: actorOf(context), data }), 'card');
  route(
    VERBS.viewDetails,
    (context, data) => viewDetails(deps, { actor: actorOf(context), data, requestId: requestIdOf(context) }),
    'words',
  );
  for (const verb of ACTION_VERBS) {
    route(
      verb,
      (context, data) =>
        cardAction(deps, {
          verb,
          actor: actorOf(context),
          actionId: context.activity.id ?? `${verb}:${Date.now()}`,
          replyChannel: replyChannelOf(context),
          data,
        }),
      'words',
    );
  }
  // A button from a card this version does not know.
  app.adaptiveCards.actionExecute(/.*/, async (context) => {
    const value: unknown = context.activity.value;
    const verb = z.object({ action: z.object({ verb: z.string() }) }).safeParse(value);
    deps.log.warn({ verb: verb.success ? verb.data.action.verb.slice(0, 50) : null }, 'unknown card verb');
    await sendInvokeCard(
      context,
      noticeCard('Nothing was changed', {
        tone: 'attention',
        lines: ['That button is from an older version of Concordat. Type "bedrequest" to start again.'],
      }),
    );
    return '';
  });

  const install = async (context: TurnContext) => {
    try {
      const keys = await recordInstall(deps, context.activity, (teamId) =>
        TeamsInfo.getTeamChannels(context, teamId),
      );
      // The bot's personal chat opens with the person's open requests (Slack's App Home).
      if (keys.length && isPersonal(context)) await welcome(deps, context);
    } catch (err) {
      deps.log.error({ err: errorCode(err) }, 'could not store Teams conversation reference');
    }
  };
  app.activity('installationUpdate', install);
  app.activity('conversationUpdate', install);

  app.message(BED_REQUEST_COMMAND, async (context) => {
    try {
      await bedRequestCommand(deps, context);
    } catch (err) {
      deps.log.error({ err: errorCode(err) }, 'could not send the bed request form');
    }
  });
  app.message(REQUESTS_COMMAND, async (context) => {
    try {
      await requestsCommand(deps, context);
    } catch (err) {
      deps.log.error({ err: errorCode(err) }, 'could not list open requests');
    }
  });
  app.message(DIGEST_COMMAND, async (context) => {
    try {
      await digestCommand(deps, context);
    } catch (err) {
      deps.log.error({ err: errorCode(err) }, 'could not answer the digest command');
    }
  });
  app.message(/.*/s, async (context) => {
    try {
      await helpMessage(context);
    } catch (err) {
      deps.log.error({ err: errorCode(err) }, 'could not send help');
    }
  });
  return app;
}
