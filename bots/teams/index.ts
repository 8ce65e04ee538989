/**
 * Concordat's Microsoft Teams edge (teams-ai 1.x on botbuilder 4.x). Every teams-ai and
 * botbuilder import stays inside bots/teams/, so a move to the Teams SDK is contained here.
 *
 * Stable API, composed by `npm start`:
 *
 *   const bot = createTeamsBot({ protocol, bedRequests, store, env, log, digests });
 *   const { port } = await bot.start();        // POST /api/messages on TEAMS_PORT (default 3978)
 *   ...
 *   await bot.stop();
 *
 *   const teams = createTeamsChatPort({ env, store, log, zone: protocol.force.timeZone });
 *   new ChatRouter({ slack, teams });           // the worker's ChatPort
 *
 * - `protocol`: the parsed protocol file (roles by AAD object ID, suites, local authorities).
 * - `bedRequests`: `createBedRequestClient(client, { taskQueue })` from runtime/bed-request-client.
 * - `store`: the RecordsStore (identity for View details, the access log, conversation references).
 * - `env`: MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD, MICROSOFT_APP_TENANT_ID, MICROSOFT_APP_TYPE
 *   (MultiTenant | SingleTenant | UserAssignedMSI); none set = local emulator mode, no auth.
 *   TEAMS_PORT, TEAMS_HOST.
 * - `log`: the pino logger from runtime/logger.ts.
 * - `digests` (optional): starts a leads digest now, for an admin's `digest <from> <to>`
 *   (runtime/digest-client's requestDigestNow). Absent, the command says it is not available.
 *
 * The bot and the chat port may share one adapter (`bot.adapter`) when they run in one process;
 * a worker process builds its own from the same environment.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Protocol } from '../../domain/protocol.js';
import type { Logger } from '../../runtime/logger.js';
import { createTeamsAdapter, type AdapterOverrides, type ConcordatTeamsAdapter } from './adapter.js';
import { createTeamsApplication } from './application.js';
import type { BedRequests, HandlerDeps, TeamsBotStore } from './deps.js';
import type { DigestRequests } from '../shared/digest-request.js';
import { loadTeamsConfig, type TeamsConfig } from './env.js';
import { createMessagesServer } from './http-server.js';
import { RecentClicks } from './recent-clicks.js';

export { createTeamsChatPort, type TeamsChatPortOptions } from './chat-port/teams-chat-port.js';
export { createTeamsAdapter, type AdapterOverrides, type ConcordatTeamsAdapter } from './adapter.js';
export { loadTeamsConfig, type TeamsConfig } from './env.js';
export type { BedRequests, TeamsBotStore } from './deps.js';
export type { DigestRequestArgs, DigestRequests } from '../shared/digest-request.js';
export { MESSAGES_PATH } from './http-server.js';

export interface TeamsBotOptions {
  protocol: Protocol;
  bedRequests: BedRequests;
  store: TeamsBotStore;
  /** The Teams settings parsed at start-up (runtime/env.ts), or… */
  config?: TeamsConfig;
  /** …a raw environment to parse them from (tests and tools). Neither: local emulator mode. */
  env?: Record<string, string | undefined>;
  log: Logger;
  /** Test and sovereign-cloud hooks for the Bot Framework endpoints; production leaves unset. */
  adapterOverrides?: AdapterOverrides;
  clock?: () => Date;
  /** Budget for an invoke's Temporal calls before answering "not recorded yet" (default 4000 ms). */
  invokeBudgetMs?: number;
  /**
   * Starts a leads digest now, for `digest <from> <to>` (admins only). Absent, the command answers
   * that digests on demand are not available on this deployment.
   */
  digests?: DigestRequests;
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
    bedRequests: options.bedRequests,
    store: options.store,
    log,
    clock: options.clock ?? (() => new Date()),
    zone: options.protocol.force.timeZone,
    invokeBudgetMs: options.invokeBudgetMs ?? 4_000,
    recentClicks: new RecentClicks(),
    digests: options.digests,
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
