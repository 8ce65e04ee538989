import type { App } from '@slack/bolt';
import type { SlackBotDeps } from '../deps.js';
import { COMMAND } from '../ids.js';
import { bedRequestCommand } from './bed-request.js';

/** Slash commands. The command name matches manifest.yaml. */
export function register(app: App, deps: SlackBotDeps): void {
  app.command(COMMAND, bedRequestCommand(deps));
}
