import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackBot, type SlackBot } from '../../../bots/slack/index.js';
import { createDesk, NO_REQUEST } from '../../../desk/index.js';
import { createLogger } from '../../../runtime/logger.js';
import { startFakeSocketMode, type FakeSocketMode } from '../../fakes/slack/socket-mode-server.js';
import { socketDriver } from './support/driver.js';
import {
  questionPath,
  cardsFor,
  clickAndOpen,
  submit,
  declinePath,
  exactlyOneCardEach,
  fullPath,
  sergeantStartsRequest,
  type FlowContext,
} from './support/flows.js';
import { APP_TOKEN, BOT_TOKEN, startSlackHarness } from './support/harness.js';
import { testProtocol, USERS } from './support/protocol.js';
import { temporalEngine } from './support/temporal-engine.js';
import { ACTION_IDS, VIEW_IDS } from '../../../bots/slack/ids.js';
import { eventually } from '../../support/workflow-harness.js';
import { appHomeOpened, blockAction, el } from '../../fakes/slack/payloads.js';

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
    // The desk's refusal is a row in the append-only audit log: actor, action, code, request.
    const refusedRows = async () =>
      (await h.engine.store.listEvents(workflowId)).filter((e) => e.type === 'action_refused');
    const deskRow = await eventually(async () =>
      (await refusedRows()).find((e) => e.actor?.userId === USERS.mkResponder.id),
    );
    expect(deskRow).toMatchObject({
      workflowId,
      actor: { platform: 'slack', userId: USERS.mkResponder.id },
      data: { kind: 'acknowledge', code: 'NOT_RESPONDER_FOR_AUTHORITY', source: 'desk' },
    });
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
    // The loser of the race is refused and audited, by the desk or (if both passed its pre-check)
    // by the workflow.
    // (The workflow writes its row and tells the person at the same time: wait for the row.)
    const loser = await eventually(async () => {
      const rows = (await refusedRows()).filter((e) =>
        ([USERS.responder.id, USERS.edtManager.id] as string[]).includes(e.actor?.userId ?? ''),
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(loser).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ code: 'ALREADY_ACKNOWLEDGED' }) as unknown }),
    ]);
    // A stale action that reaches the workflow (its pre-check saw an older state) is refused and
    // audited there: the workflow's own row, keyed by the action's ID.
    await h.engine.client.act(workflowId, {
      actionId: 'stale-ack',
      actor: { platform: 'slack', userId: USERS.edtManager.id, displayName: USERS.edtManager.name },
      action: { kind: 'acknowledge' },
    });
    const stale = await eventually(async () =>
      (await refusedRows()).find((e) => e.eventId === `${workflowId}:refused:stale-ack`),
    );
    expect(stale).toMatchObject({
      actor: { userId: USERS.edtManager.id },
      data: { kind: 'acknowledge', code: 'ALREADY_ACKNOWLEDGED' },
    });

    // A refused View details: the refusal row and a `denied` row in the access log.
    await h.driver.interact(
      blockAction({
        user: USERS.stranger,
        actionId: ACTION_IDS.viewDetails,
        value: workflowId,
        channel: responder.channel,
      }),
    );
    const denied = await eventually(async () =>
      (await refusedRows()).find((e) => e.actor?.userId === USERS.stranger.id),
    );
    expect(denied).toMatchObject({ data: { kind: 'view_details', source: 'desk' } });
    expect(await h.engine.store.listAccess(workflowId)).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ userId: USERS.stranger.id }) as unknown,
        purpose: 'denied',
      }),
    ]);
    expect(
      JSON.stringify(h.api.okCallsTo('chat.postEphemeral').filter((c) => c.args.user === USERS.stranger.id)),
    ).not.toContain('13/123456A');

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
      expect.objectContaining({ purpose: 'denied' }),
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

  it('refuses a forged "no secure bed" decline on a non-secure request privately, audits it, and changes nothing; a bad form is audited too', async () => {
    const ctx = http();
    const { responder } = await sergeantStartsRequest(ctx);
    const workflowId = (responder.blocks as Array<{ elements?: Array<{ value?: string }> }>)
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.value)?.value as string;
    const decline = await clickAndOpen(ctx, USERS.responder, responder, ACTION_IDS.decline, VIEW_IDS.decline);
    // The form for a non-secure request does not offer the reason; a forged payload sends it anyway.
    expect(JSON.stringify(decline.blocks)).not.toContain('"no_secure_bed"');
    const forged = await submit(ctx, USERS.responder, decline, {
      reason: el.select('no_secure_bed'),
      notes: el.text('Nothing secure in the region'),
    });
    expect(forged.status).toBe(200);
    // A payload no form can produce gets no inline error to fix: the modal closes, the refusal is told privately.
    expect(forged.body).toBe('');
    const row = await eventually(async () =>
      (await h.engine.store.listEvents(workflowId)).find(
        (e) => e.type === 'action_refused' && e.actor?.userId === USERS.responder.id,
      ),
    );
    expect(row).toMatchObject({
      data: { kind: 'decline', code: 'DECLINE_NO_SECURE_BED_NOT_SECURE_REQUEST' },
    });
    await h.api.waitFor(() =>
      h.api
        .okCallsTo('chat.postEphemeral')
        .find((c) => c.args.user === USERS.responder.id && /secure/i.test(String(c.args.text))),
    );
    expect(await h.engine.client.view(workflowId)).toMatchObject({ status: 'awaiting_acknowledgement' });
    expect((await h.engine.store.listEvents(workflowId)).map((e) => e.type)).not.toContain('decline');

    // A form the bot cannot accept ("Other" with nothing explained) gets its inline error and a
    // malformed-payload row naming the field, on the request it was about.
    const bare = await submit(ctx, USERS.responder, decline, {
      reason: el.select('other'),
      notes: el.text(null),
    });
    expect(bare.body).toMatchObject({
      response_action: 'errors',
      errors: { notes: expect.any(String) as unknown },
    });
    const malformed = await eventually(async () =>
      (await h.engine.store.listEvents(workflowId)).find(
        (e) => e.type === 'action_refused' && e.data.source === 'malformed',
      ),
    );
    expect(malformed).toMatchObject({
      actor: { userId: USERS.responder.id },
      data: { kind: 'decline', code: 'INVALID_INPUT', fields: ['notes'] },
    });
  });

  it('audits a click on an unknown request as a refusal in the database, without the value it named', async () => {
    const reply = await h.driver.interact(
      blockAction({
        user: USERS.stranger,
        actionId: ACTION_IDS.acknowledge,
        value: 'Robert Smith 13/000001Z',
        channel: 'C0DUTYWEST',
        actionTs: '1700000123.000001',
      }),
    );
    expect(reply.status).toBe(200);
    const row = await eventually(async () =>
      (await h.engine.store.listEvents(NO_REQUEST)).find((e) => e.actor?.userId === USERS.stranger.id),
    );
    expect(row).toMatchObject({
      type: 'action_refused',
      data: { kind: 'acknowledge', code: 'REQUEST_NOT_FOUND', source: 'desk', fields: ['workflowId'] },
    });
    expect(JSON.stringify(row)).not.toContain('13/000001Z');
  });

  it('a 429 and a 500 burst still end with exactly one card per step (Temporal is the only retry layer)', async () => {
    const ctx = http();
    h.api.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, { status: 500 });
    const started = Date.now();
    const { record, responder } = await sergeantStartsRequest(ctx);
    const posts = () => h.api.callsTo('chat.postMessage').filter((c) => c.at >= started);
    const limited = posts().find((c) => c.status === 429);
    expect(limited).toBeDefined();
    // The 429 may have hit a post other than the cards (a thread note): wait for its retry.
    const after = await h.api.waitFor(
      () =>
        posts().find(
          (c) => limited && c.at > limited.at && c.status === 200 && c.args.channel === limited.args.channel,
        ),
      30_000,
      'the post retried after the 429',
    );
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
