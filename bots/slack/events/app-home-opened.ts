import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { errorCode, nowIso, slackActor } from '../common.js';
import type { SlackBotDeps } from '../deps.js';
import { homeView } from '../blocks/home.js';
import { appHomeOpenedSchema } from '../payloads.js';

/** The App Home shows at most this many requests (Slack allows 100 blocks). */
const MAX_ROWS = 20;

/**
 * App Home: the person's open requests for their role (the desk's list), with status and age.
 * Events are acked by Bolt on receipt; this publishes the tab afterwards.
 */
export function appHomeOpened(deps: SlackBotDeps) {
  return async ({
    event,
    client,
  }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    const parsed = appHomeOpenedSchema.safeParse(event);
    if (!parsed.success || (parsed.data.tab !== undefined && parsed.data.tab !== 'home')) return;
    const userId = parsed.data.user;
    try {
      const list = await deps.desk.listOpen(slackActor({ id: userId }, deps), MAX_ROWS);
      await client.views.publish({
        user_id: userId,
        view: homeView({
          userId,
          grants: list.grants,
          rows: list.requests,
          nowIso: nowIso(deps),
          zone: deps.protocol.force.timeZone,
          more: list.more,
        }),
      });
    } catch (error) {
      deps.log.error({ err: errorCode(error), userId }, 'could not publish the App Home');
    }
  };
}
