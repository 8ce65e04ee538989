import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackBot, type SlackBot } from '../../../bots/slack/index.js';
import { createDesk } from '../../../desk/index.js';
import { createLogger } from '../../../runtime/logger.js';
import { startFakeSocketMode, type FakeSocketMode } from '../../fakes/slack/socket-mode-server.js';
import { socketDriver } from './support/driver.js';
import {
  questionPath,
  cardsFor,
  declinePath,
  exactlyOneCardEach,
  fullPath,
  sergeantStartsRequest,
  type FlowContext,
} from './support/flows.js';
import { APP_TOKEN, BOT_TOKEN, startSlackHarness } from './support/harness.js';
import { testProtocol, USERS } from './support/protocol.js';
import { temporalEngine } from './support/temporal-engine.js';
import { ACTION_IDS } from '../../../bots/slack/ids.js';
import { appHomeOpened, blockAction } from '../../fakes/slack/payloads.js';

/**
 * The whole path: signed Slack traffic → the bot → the bed-request workflow on Temporal (real
 * activities, PGlite) → the Slack ChatPort → the fake Slack. One Temporal server and worker for
 * the file; one bot over HTTP and a second over Socket Mode, both against the same fake Slack.
 */
type Harness = Awaited<ReturnType<typeof startSlackHarness<Awaited<ReturnType<typeof temporalEngine>>>>>;
let h: Harness;
let socket: FakeSocketMode;
let socketBot: SlackBot;

beforeAll(async () => {
  h = await startSlackHarness({
    transport: 'http',
    engine: temporalEngine,
    protocol: testProtocol({ slackOnly: true }),
  });
  socket = await startFakeSocketMode();
  h.api.setSocketUrl(socket.url);
  socketBot = createSlackBot({
    protocol: h.protocol,
    desk: createDesk({
      protocol: h.protocol,
      bedRequests: h.engine.client,
      store: h.engine.store,
      log: createLogger({ level: 'silent' }),
    }),
    env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: h.api.url },
    log: createLogger({ level: 'silent' }),
  });
  await socketBot.start();
  await socket.connected();
}, 180_000);
afterAll(async () => {
  await socketBot?.stop();
  await socket?.close();
  await h?.close();
});

const http = (): FlowContext => ({ api: h.api, driver: h.driver, timeoutMs: 30_000 });
const overSocket = (): FlowContext => ({ api: h.api, driver: socketDriver(socket), timeoutMs: 30_000 });

describe('on the real workflow', () => {
  it('slash command → Offer bed → Confirm transfer, over HTTP', async () => {
    const { cards } = await fullPath(http());
    expect(cards.responder.updates).toBeGreaterThan(0);
  });

  it('slash command → Offer bed → Confirm transfer, over Socket Mode', async () => {
    await fullPath(overSocket());
  });

  it('Decline → Child stays, with the certificate on the custody card', async () => {
    await declinePath(http());
  });

  it('Need info → the sergeant answers from the thread, over Socket Mode', async () => {
    await questionPath(overSocket());
  });

  it('refuses a wrong-role click before signalling, and the workflow refuses a stale one privately', async () => {
    const ctx = http();
    const { record, responder } = await sergeantStartsRequest(ctx);
    const workflowId = (responder.blocks as Array<{ elements?: Array<{ value?: string }> }>)
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.value)?.value as string;
    const ephemerals = () =>
      h.api.okCallsTo('chat.postEphemeral').map((c) => `${String(c.args.user)}: ${String(c.args.text)}`);
    await h.driver.interact(
      blockAction({
        user: USERS.mkResponder,
        actionId: ACTION_IDS.acknowledge,
        value: workflowId,
        channel: responder.channel,
      }),
    );
    await h.api.waitFor(() =>
      ephemerals().find((e) =>
        e.startsWith(`${USERS.mkResponder.id}: You answer for a different local authority`),
      ),
    );
    // Two people acknowledge at once: one wins; the other is told privately; nothing changes twice.
    await Promise.all([
      h.driver.interact(
        blockAction({
          user: USERS.responder,
          actionId: ACTION_IDS.acknowledge,
          value: workflowId,
          channel: responder.channel,
        }),
      ),
      h.driver.interact(
        blockAction({
          user: USERS.edtManager,
          actionId: ACTION_IDS.acknowledge,
          value: workflowId,
          channel: responder.channel,
        }),
      ),
    ]);
    await h.api.waitFor(() => cardsFor(h.api, record).responder[0]?.text.includes('Acknowledged'), 30_000);
    await h.api.waitFor(
      () =>
        ephemerals().find((e) => /^U0(RESPONDER|EDTMGR): This request was already acknowledged by/.test(e)),
      30_000,
      'the second acknowledgement refused privately',
    );
    const cards = exactlyOneCardEach(ctx, record);
    expect(cards.responder.text).toContain('Acknowledged');

    // View details against the real store: identity shown privately, access logged in Postgres.
    await h.driver.interact(
      blockAction({
        user: USERS.responder,
        actionId: ACTION_IDS.viewDetails,
        value: workflowId,
        channel: responder.channel,
      }),
    );
    const shown = await h.api.waitFor(() =>
      h.api
        .okCallsTo('chat.postEphemeral')
        .find((c) => c.args.user === USERS.responder.id && String(c.args.text).startsWith('Details for')),
    );
    expect(JSON.stringify(shown.args.blocks)).toContain('13/123456A');
    // The needs and risks from the form travel encrypted through the workflow and the store.
    expect(JSON.stringify(shown.args.blocks)).toContain('Asthma inhaler');
    const access = await h.engine.store.listAccess(workflowId);
    expect(access).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ userId: USERS.responder.id }) as unknown,
        purpose: 'view_details',
      }),
    ]);

    // App Home from the real store and the live view.
    await h.driver.event(appHomeOpened(USERS.responder.id));
    const home = await h.api.waitFor(() =>
      h.api
        .callsTo('views.publish')
        .find((c) => c.args.user_id === USERS.responder.id && JSON.stringify(c.args.view).includes(record)),
    );
    expect(JSON.stringify(home.args.view)).toMatch(/Acknowledged, no bed offered yet · open for \d+m/);
  });

  it('a 429 and a 500 burst still end with exactly one card per step (Temporal is the only retry layer)', async () => {
    const ctx = http();
    h.api.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, { status: 500 });
    const started = Date.now();
    const { record, responder } = await sergeantStartsRequest(ctx);
    const posts = h.api.callsTo('chat.postMessage').filter((c) => c.at >= started);
    const limited = posts.find((c) => c.status === 429);
    const after = posts.find(
      (c) => limited && c.at > limited.at && c.status === 200 && c.args.channel === limited.args.channel,
    );
    expect(limited).toBeDefined();
    expect((after?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(900);
    // Every update of the Acknowledge fails twice with 500 before it lands.
    h.api.failNext('chat.update', { status: 500 }, { status: 503 });
    await h.driver.interact(
      blockAction({
        user: USERS.responder,
        actionId: ACTION_IDS.acknowledge,
        value:
          (responder.blocks as Array<{ elements?: Array<{ value?: string }> }>)
            .flatMap((b) => b.elements ?? [])
            .find((e) => e.value)?.value ?? '',
        channel: responder.channel,
      }),
    );
    await h.api.waitFor(
      () => cardsFor(h.api, record).custody[0]?.text.includes('Acknowledged'),
      30_000,
      'custody card acknowledged',
    );
    await h.api.waitFor(
      () => cardsFor(h.api, record).responder[0]?.text.includes('Acknowledged'),
      30_000,
      'responder card acknowledged',
    );
    const cards = exactlyOneCardEach(ctx, record);
    const notes = h.api.messages.filter((m) => m.threadTs === cards.custody.ts).map((m) => m.text);
    expect(new Set(notes).size).toBe(notes.length);
    expect(h.api.callsTo('chat.update').filter((c) => c.status >= 500).length).toBeGreaterThanOrEqual(2);
  });
});
