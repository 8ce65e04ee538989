import type { App } from '@slack/bolt';
import type { SlackBotDeps } from '../deps.js';
import { appHomeOpened } from './app-home-opened.js';

/** Events API subscriptions (see manifest.yaml `bot_events`). */
export function register(app: App, deps: SlackBotDeps): void {
  app.event('app_home_opened', appHomeOpened(deps));
}
