import { createSlackBot, createSlackChatPort, type SlackBot } from '../../../../bots/slack/index.js';
import { createDesk, type BedRequests, type DeskStore, type DigestRequests } from '../../../../desk/index.js';
import type { ChatPort } from '../../../../domain/chat-port.js';
import type { Protocol } from '../../../../domain/protocol.js';
import { createLogger, type Logger } from '../../../../runtime/logger.js';
import { startFakeSlackWebApi, type FakeSlackWebApi } from '../../../fakes/slack/web-api-server.js';
import { startFakeSocketMode, type FakeSocketMode } from '../../../fakes/slack/socket-mode-server.js';
import { el, type ElementState } from '../../../fakes/slack/payloads.js';
import { httpDriver, socketDriver, type SlackDriver } from './driver.js';
import { FakeEngine } from './fake-engine.js';
import { testProtocol } from './protocol.js';

export const SIGNING_SECRET = 'test-signing-secret-8f2a';
export const BOT_TOKEN = 'xoxb-test-token';
export const APP_TOKEN = 'xapp-test-token';

export interface SlackHarness {
  api: FakeSlackWebApi;
  socket: FakeSocketMode | undefined;
  bot: SlackBot;
  driver: SlackDriver;
  protocol: Protocol;
  chat: ChatPort;
  /** The bot's HTTP endpoint (HTTP mode). */
  eventsUrl: string;
  close(): Promise<void>;
}

/**
 * The fake Slack Web API (and fake Socket Mode server), the real bot on loopback, and the Slack
 * ChatPort pointed at the same fake. `engine` builds the BedRequestClient and store from that port.
 */
export async function startSlackHarness<
  E extends { client: BedRequests; store: DeskStore; close?: () => Promise<void> },
>(opts: {
  transport: 'http' | 'socket';
  engine: (chat: ChatPort, protocol: Protocol) => E | Promise<E>;
  protocol?: Protocol;
  /** The digest-now dependency (absent: the bot has none, as on a deployment without it). */
  digests?: DigestRequests;
  /** The bot's logger (default: silent, or SLACK_TEST_LOG's level). */
  log?: Logger;
  /** Slack user groups and their members, as usergroups.users.list will answer. */
  userGroups?: Record<string, string[]>;
}): Promise<SlackHarness & { engine: E }> {
  const api = await startFakeSlackWebApi();
  for (const [group, users] of Object.entries(opts.userGroups ?? {})) api.setUserGroup(group, users);
  const socket = opts.transport === 'socket' ? await startFakeSocketMode() : undefined;
  if (socket) api.setSocketUrl(socket.url);
  const protocol = opts.protocol ?? testProtocol();
  const log = opts.log ?? createLogger({ level: process.env.SLACK_TEST_LOG ?? 'silent' });
  const chat = createSlackChatPort({
    token: BOT_TOKEN,
    apiUrl: api.url,
    log,
    timeZone: protocol.force.timeZone,
  });
  const engine = await opts.engine(chat, protocol);
  const desk = createDesk({
    protocol,
    bedRequests: engine.client,
    store: engine.store,
    log,
    ...(opts.digests ? { digests: opts.digests } : {}),
  });
  const bot = createSlackBot({
    protocol,
    desk,
    env: {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: api.url,
      SLACK_HOST: '127.0.0.1',
      ...(socket ? { SLACK_APP_TOKEN: APP_TOKEN } : {}),
    },
    log,
  });
  const port = await bot.start(0);
  if (socket) await socket.connected();
  const eventsUrl = `http://127.0.0.1:${port}/slack/events`;
  const driver = socket ? socketDriver(socket) : httpDriver(eventsUrl, SIGNING_SECRET);
  return {
    api,
    socket,
    bot,
    driver,
    protocol,
    chat,
    engine,
    eventsUrl,
    async close() {
      await bot.stop();
      await engine.close?.();
      await socket?.close();
      await api.close();
    },
  };
}

export function fakeEngine(chat: ChatPort, protocol: Protocol) {
  const engine = new FakeEngine(protocol, chat);
  return { engine, client: engine, store: engine.store(), close: () => engine.settled() };
}

const hour = 3600;

/** A valid request form, as Slack submits it; override any field by block ID. */
export function requestForm(
  overrides: Record<string, ElementState> = {},
  nowSec = Math.floor(Date.now() / 1000),
) {
  return {
    custodyRecordNumber: el.text(`NC-${nowSec}-${Math.floor(Math.random() * 1e6)}`),
    custodySuiteId: el.select('northampton-cjc'),
    'child.pncId': el.text('13/123456A'),
    'child.givenName': el.text('Jamie'),
    'child.familyName': el.text('Testchild'),
    'child.dateOfBirth': el.date(null),
    age: el.number('15'),
    homeLocalAuthorityId: el.select('west-northamptonshire'),
    chargedAt: el.dateTime(nowSec - hour),
    bailRefusalGround: el.select('fail_to_appear'),
    nextCourtSitting: el.dateTime(nowSec + 12 * hour),
    accommodation: el.radio('non_secure'),
    seriousHarmJustification: el.text(null),
    needsAndRisks: el.text('Asthma inhaler'),
    ...overrides,
  };
}

/** Finds a button's action ID list in a stored message's blocks. */
export function buttonIds(blocks: unknown[]): string[] {
  const out: string[] = [];
  for (const b of blocks as Array<{
    type?: string;
    elements?: Array<{ type?: string; action_id?: string }>;
  }>) {
    if (b.type === 'actions')
      for (const e of b.elements ?? []) if (e.type === 'button' && e.action_id) out.push(e.action_id);
  }
  return out;
}
