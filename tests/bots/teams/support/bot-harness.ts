import { randomBytes } from 'node:crypto';
import { createTeamsBot, type AdapterOverrides, type TeamsBot } from '../../../../bots/teams/index.js';
import { createDesk, type BedRequests, type Desk, type DigestRequests } from '../../../../desk/index.js';
import type { Protocol } from '../../../../domain/protocol.js';
import { createLogger, type Logger } from '../../../../runtime/logger.js';
import { openStore, type Store } from '../../../../store/open-store.js';
import { FakeBotConnector } from '../../../fakes/teams/fake-bot-connector.js';
import { FakeBedRequests } from './fake-bed-requests.js';
import { teamsProtocol } from './teams-protocol.js';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger (with the production redaction) writing JSON lines into an array. */
export function captureLogger(): { log: Logger; lines: LogLine[]; raw: string[] } {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const log = createLogger(
    { level: 'debug', name: 'teams-test' },
    {
      write(s: string) {
        raw.push(s);
        lines.push(JSON.parse(s) as LogLine);
      },
    },
  );
  return { log, lines, raw };
}

export function memoryStore(): Promise<Store> {
  return openStore({
    dataDir: 'memory://',
    secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) },
  });
}

export interface BotHarness {
  fake: FakeBotConnector;
  store: Store;
  protocol: Protocol;
  bot: TeamsBot;
  desk: Desk;
  bedRequests: BedRequests;
  /** The fake Temporal side, when the harness made one. */
  fakeRequests: FakeBedRequests | null;
  url: string;
  logs: LogLine[];
  rawLogs: string[];
  log: Logger;
  stop(): Promise<void>;
}

export async function startBotHarness(
  opts: {
    env?: Record<string, string>;
    bedRequests?: (store: Store, protocol: Protocol) => BedRequests;
    store?: Store;
    adapterOverrides?: (fake: FakeBotConnector) => AdapterOverrides;
    invokeBudgetMs?: number;
    /** The digest-now dependency (absent: the bot has none, as on a deployment without it). */
    digests?: DigestRequests;
  } = {},
): Promise<BotHarness> {
  const fake = await new FakeBotConnector().start();
  const store = opts.store ?? (await memoryStore());
  const protocol = teamsProtocol();
  const { log, lines, raw } = captureLogger();
  const fakeRequests = opts.bedRequests ? null : new FakeBedRequests(protocol, store);
  const bedRequests = opts.bedRequests
    ? opts.bedRequests(store, protocol)
    : (fakeRequests as FakeBedRequests);
  const desk = createDesk({
    protocol,
    bedRequests,
    store,
    log,
    ...(opts.digests ? { digests: opts.digests } : {}),
  });
  const bot = createTeamsBot({
    protocol,
    desk,
    conversations: store,
    env: { TEAMS_HOST: '127.0.0.1', ...(opts.env ?? {}) },
    log,
    ...(opts.adapterOverrides ? { adapterOverrides: opts.adapterOverrides(fake) } : {}),
    ...(opts.invokeBudgetMs ? { invokeBudgetMs: opts.invokeBudgetMs } : {}),
  });
  const { port } = await bot.start(0);
  return {
    fake,
    store,
    protocol,
    bot,
    desk,
    bedRequests,
    fakeRequests,
    url: `http://127.0.0.1:${port}`,
    logs: lines,
    rawLogs: raw,
    log,
    async stop() {
      await bot.stop();
      await fake.stop();
      if (!opts.store) await store.close();
    },
  };
}
