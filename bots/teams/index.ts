/**
 * Concordat's Microsoft Teams edge (teams-ai 1.x on botbuilder 4.x). Every teams-ai and
 * botbuilder import stays inside bots/teams/, so a move to the Teams SDK is contained here.
 *
 * Stable API, composed by `npm start`:
 *
 *   const bot = createTeamsBot({ protocol, desk, conversations: store, env, log });
 *   const { port } = await bot.start();        // POST /api/messages on TEAMS_PORT (default 3978)
 *   ...
 *   await bot.stop();
 *
 *   const teams = createTeamsChatPort({ env, store, log, zone: protocol.force.timeZone });
 *   new ChatRouter({ slack, teams });           // the worker's ChatPort
 *
 * - `protocol`: the parsed protocol file (roles by AAD object ID, suites, local authorities).
 * - `desk`: the request desk (desk/index.ts), shared with the Slack bot: every decision is its.
 * - `conversations`: where conversation references are kept (the records store implements it).
 * - `env`: MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD, MICROSOFT_APP_TENANT_ID, MICROSOFT_APP_TYPE
 *   (MultiTenant | SingleTenant | UserAssignedMSI); none set = local emulator mode, no auth.
 *   TEAMS_PORT, TEAMS_HOST.
 * - `log`: the pino logger from runtime/logger.ts.
 *
 * The bot and the chat port may share one adapter (`bot.adapter`) when they run in one process;
 * a worker process builds its own from the same environment.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Protocol } from '../../domain/protocol.js';
import type { Logger } from '../../domain/logger.js';
import { createTeamsAdapter, type AdapterOverrides, type ConcordatTeamsAdapter } from './adapter.js';
import { createTeamsApplication } from './application.js';
import type { Desk } from '../../desk/index.js';
import type { ConversationReferences } from '../../domain/conversation-references.js';
import type { HandlerDeps } from './deps.js';
import { loadTeamsConfig, type TeamsConfig } from './env.js';
import { createMessagesServer } from './http-server.js';

export { createTeamsChatPort, type TeamsChatPortOptions } from './chat-port/teams-chat-port.js';
export { createTeamsAdapter, type AdapterOverrides, type ConcordatTeamsAdapter } from './adapter.js';
export { loadTeamsConfig, type TeamsConfig } from './env.js';
export { MESSAGES_PATH } from './http-server.js';

export interface TeamsBotOptions {
  protocol: Protocol;
  desk: Desk;
  conversations: ConversationReferences;
  /** The Teams settings parsed at start-up (runtime/env.ts), or… */
  config?: TeamsConfig;
  /** …a raw environment to parse them from (tests and tools). Neither: local emulator mode. */
  env?: Record<string, string | undefined>;
  log: Logger;
  /** Test and sovereign-cloud hooks for the Bot Framework endpoints; production leaves unset. */
  adapterOverrides?: AdapterOverrides;
  /** Budget for an invoke's Temporal calls before answering "not recorded yet" (default 4000 ms). */
  invokeBudgetMs?: number;
}

export interface TeamsBot {
  readonly adapter: ConcordatTeamsAdapter;
  readonly config: TeamsConfig;
  /** Listens on `port` (default TEAMS_PORT; 0 = any free port) and resolves with the port used. */
  start(port?: number): Promise<{ port: number }>;
  stop(): Promise<void>;
}

export function createTeamsBot(options: TeamsBotOptions): TeamsBot {
  const config = options.config ?? loadTeamsConfig(options.env ?? {});
  const log = options.log.child({ edge: 'teams' });
  const adapter = createTeamsAdapter(config, options.adapterOverrides, log);
  const deps: HandlerDeps = {
    protocol: options.protocol,
    desk: options.desk,
    conversations: options.conversations,
    log,
    zone: options.protocol.force.timeZone,
    invokeBudgetMs: options.invokeBudgetMs ?? 4_000,
  };
  const app = createTeamsApplication(deps, adapter);
  let server: Server | null = null;

  return {
    adapter,
    config,
    async start(port = config.port) {
      if (server) throw new Error('The Teams bot is already started');
      const s = createMessagesServer({ adapter, run: (context) => app.run(context), log });
      server = s;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, config.host, () => {
          s.off('error', reject);
          resolve();
        });
      });
      const actual = (s.address() as AddressInfo).port;
      if (config.auth.mode === 'emulator') {
        log.warn(
          { port: actual },
          'Teams bot in local emulator mode: no MICROSOFT_APP_ID, so /api/messages accepts activities without a Bot Framework token. Never expose this port.',
        );
      } else {
        log.info({ port: actual, appType: config.auth.appType }, 'Teams bot listening on /api/messages');
      }
      return { port: actual };
    },
    async stop() {
      const s = server;
      server = null;
      if (!s) return;
      await new Promise<void>((resolve, reject) => {
        s.close((err) => (err ? reject(err) : resolve()));
        s.closeAllConnections();
      });
    },
  };
}
