import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { errorCode, grantsOf, nowIso, slackActor } from '../common.js';
import type { SlackBotDeps } from '../deps.js';
import { homeView, rowsForRole, type HomeRow } from '../blocks/home.js';
import { appHomeOpenedSchema } from '../payloads.js';

/** The App Home shows at most this many requests (Slack allows 100 blocks). */
const MAX_ROWS = 20;

/**
 * App Home: the person's open requests for their role, with status and age. Events are acked by
 * Bolt on receipt; this reads the store and the live views afterwards and publishes the tab.
 */
export function appHomeOpened(deps: SlackBotDeps) {
  return async ({
    event,
    client,
  }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    const parsed = appHomeOpenedSchema.safeParse(event);
    if (!parsed.success || (parsed.data.tab !== undefined && parsed.data.tab !== 'home')) return;
    const userId = parsed.data.user;
    const grants = grantsOf(deps, slackActor({ id: userId }, deps));
    try {
      const open = grants.length ? rowsForRole(await deps.store.listOpenRequests(), grants, userId) : [];
      open.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
      const shown = open.slice(0, MAX_ROWS);
      const rows: HomeRow[] = await Promise.all(
        shown.map(async (row) => ({
          row,
          view: await deps.bedRequests.view(row.workflowId).catch(() => null),
        })),
      );
      await client.views.publish({
        user_id: userId,
        view: homeView({
          userId,
          grants,
          rows,
          nowIso: nowIso(deps),
          zone: deps.protocol.force.timeZone,
          more: open.length - shown.length,
        }),
      });
    } catch (error) {
      deps.log.error({ err: errorCode(error), userId }, 'could not publish the App Home');
    }
  };
}
