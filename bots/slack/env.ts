// The bots' one tie to runtime/: parsing a raw environment, until callers pass parsed settings.
import { parseSlackSettings } from '../../runtime/env.js';

/**
 * The Slack bot's settings, parsed from the environment by the one schema in runtime/env.ts
 * (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, SLACK_SOCKET_MODE, SLACK_API_URL,
 * SLACK_PORT or PORT, SLACK_HOST) and handed to createSlackBot.
 */
export interface SlackEnv {
  botToken: string;
  signingSecret?: string | undefined;
  appToken?: string | undefined;
  /** SLACK_SOCKET_MODE; unset, Socket Mode whenever an app-level token is given. */
  socketMode: boolean;
  apiUrl?: string | undefined;
  port: number;
  host?: string | undefined;
}

/**
 * The Slack settings of a raw environment, for tools and tests; `npm start` parses the whole
 * environment once instead (runtime/env.ts). Slack must be configured: no token is an error here.
 * Kept while createSlackBot still takes a raw environment.
 */
export const parseSlackEnv = (env: Record<string, string | undefined>): SlackEnv => parseSlackSettings(env);
