/**
 * Concordat's Slack edge (@slack/bolt 5).
 *
 * Two stable exports for the composition root (`npm start`, the worker):
 *
 *   createSlackBot({ protocol, desk, env, log }) → { start(port?), stop() }
 *     The bot: `/bedrequest`, the modals, the card buttons, App Home, and `/bedrequest digest
 *     <from> <to>` for admins. Every decision is the desk's (desk/index.ts); `env` is the process
 *     environment (parsed here with zod): SLACK_BOT_TOKEN; SLACK_SIGNING_SECRET for HTTP mode on
 *     POST /slack/events (GET /healthz too); SLACK_APP_TOKEN (xapp-…) switches to Socket Mode
 *     (SLACK_SOCKET_MODE=true|false overrides); SLACK_API_URL overrides the Web API base URL;
 *     SLACK_PORT or PORT (default 3000), SLACK_HOST. `start()` resolves with the HTTP port
 *     (Socket Mode: 0) once Slack's auth.test has passed and the transport is up.
 *
 *   createSlackChatPort({ token, apiUrl?, log, timeZone? }) → ChatPort
 *     What the activities use to post, thread and update cards in place. No retries inside:
 *     429 → CHAT_RATE_LIMITED with nextRetryDelay = Retry-After, 5xx → CHAT_UNAVAILABLE
 *     (retryable), other 4xx / ok:false → CHAT_REJECTED (non-retryable).
 */
import { App, HTTPReceiver, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Server } from 'node:http';
import type { Protocol } from '../../domain/protocol.js';
import type { Logger } from '../../domain/logger.js';
import { register as registerActions } from './actions/index.js';
import { boltLogger } from './bolt-logger.js';
import { register as registerCommands } from './commands/index.js';
import { createWebClient } from './chat-port.js';
import type { Desk } from '../../desk/index.js';
import type { SlackBotDeps } from './deps.js';
import { parseSlackEnv, type SlackEnv } from './env.js';
import { register as registerEvents } from './events/index.js';
import { close, createHttpServer, EVENTS_PATH, listen } from './transport/http-server.js';
import { createRequestGuard } from './transport/request-guard.js';
import { SlackUserGroups } from './user-groups.js';
import { register as registerViews } from './views/index.js';

export { createSlackChatPort, type SlackChatPortOptions } from './chat-port.js';
export { parseSlackEnv, type SlackEnv } from './env.js';
export { COMMAND, ACTION_IDS, VIEW_IDS } from './ids.js';

export interface CreateSlackBotOptions {
  protocol: Protocol;
  /** The request desk (desk/index.ts), shared with the other bots. */
  desk: Desk;
  /** The process environment (or a parsed SlackEnv). */
  env: Record<string, string | undefined> | SlackEnv;
  log: Logger;
}

export interface SlackBot {
  /** Checks the token (auth.test), then serves HTTP or connects Socket Mode. Resolves with the HTTP port (0 in Socket Mode). */
  start(port?: number): Promise<number>;
  stop(): Promise<void>;
  readonly mode: 'http' | 'socket';
}

function isParsed(env: CreateSlackBotOptions['env']): env is SlackEnv {
  return typeof (env as SlackEnv).botToken === 'string' && typeof (env as SlackEnv).socketMode === 'boolean';
}

export function createSlackBot(options: CreateSlackBotOptions): SlackBot {
  const env = isParsed(options.env) ? options.env : parseSlackEnv(options.env);
  const log = options.log.child({ component: 'slack-bot' });
  const deps: SlackBotDeps = {
    protocol: options.protocol,
    desk: options.desk,
    log,
  };
  let server: Server | undefined;
  let userGroups: SlackUserGroups | undefined;
  let socketReceiver: SocketModeReceiver | undefined;

  const clientOptions: webApi.WebClientOptions = {
    ...(env.apiUrl ? { slackApiUrl: env.apiUrl } : {}),
    // One retry layer: interactive replies are not retried (the trigger would have expired anyway).
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  };

  async function buildApp(): Promise<App> {
    // Fail fast with plain words on a wrong token or an unreachable API, and give Bolt the bot's
    // IDs so it does not call auth.test again behind our back.
    const probe = createWebClient(env.botToken, env.apiUrl);
    let auth: webApi.AuthTestResponse;
    try {
      auth = await probe.auth.test();
    } catch (error) {
      const code =
        error instanceof webApi.WebAPIPlatformError ? String(error.data.error) : (error as Error).message;
      throw new Error(
        `Slack did not accept SLACK_BOT_TOKEN (auth.test: ${code}). Check the token and SLACK_API_URL.`,
      );
    }
    // Role grants through Slack user groups: read once now, then refreshed in the background.
    userGroups = SlackUserGroups.fromProtocol(probe, options.protocol, log);
    await userGroups.refresh();
    userGroups.start();
    deps.userGroups = userGroups;
    const logger = boltLogger(log);
    const common = {
      token: env.botToken,
      ...(auth.bot_id ? { botId: auth.bot_id } : {}),
      ...(auth.user_id ? { botUserId: auth.user_id } : {}),
      clientOptions,
      logger,
    };
    let app: App;
    if (env.socketMode) {
      socketReceiver = new SocketModeReceiver({
        appToken: env.appToken ?? '',
        logger,
        installerOptions: { clientOptions: { ...(env.apiUrl ? { slackApiUrl: env.apiUrl } : {}) } },
      });
      app = new App({ ...common, receiver: socketReceiver });
    } else {
      const receiver = new HTTPReceiver({
        signingSecret: env.signingSecret ?? '',
        endpoints: EVENTS_PATH,
        // Respond as soon as ack() is called; the listener's slower work continues after.
        processBeforeResponse: false,
        // The request guard in front (transport/http-server.ts) has verified the signature, the
        // timestamp both ways and replays before Bolt sees the request, and nothing reaches this
        // receiver any other way; a second HMAC of the body here would only delay the ack.
        signatureVerification: false,
        logger,
      });
      app = new App({ ...common, receiver });
      server = createHttpServer({
        receiver,
        guard: createRequestGuard({ signingSecret: env.signingSecret ?? '' }),
        log,
      });
    }
    app.error((error) => {
      log.error({ code: error.code, err: error.message }, 'Slack listener error');
      return Promise.resolve();
    });
    registerCommands(app, deps);
    registerViews(app, deps);
    registerActions(app, deps);
    registerEvents(app, deps);
    return app;
  }

  let app: App | undefined;
  return {
    mode: env.socketMode ? 'socket' : 'http',
    async start(port?: number): Promise<number> {
      app = await buildApp();
      if (socketReceiver) {
        await app.start();
        log.info('Slack bot connected in Socket Mode');
        return 0;
      }
      if (!server) throw new Error('HTTP server missing');
      const bound = await listen(server, port ?? env.port, env.host);
      log.info({ port: bound, path: EVENTS_PATH }, 'Slack bot listening');
      return bound;
    },
    async stop(): Promise<void> {
      userGroups?.stop();
      if (socketReceiver) await socketReceiver.stop();
      if (server?.listening) await close(server);
    },
  };
}
