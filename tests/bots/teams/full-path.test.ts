// The whole Teams path, end to end over real HTTP: the Teams bot in emulator mode, a real Temporal
// worker (time-skipping test server) running the bed-request workflow with the real activities,
// the PGlite records store, and the Teams chat port posting to the fake Bot Connector.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  makeTelemetryFilterString,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities/index.js';
import { createTeamsBot, createTeamsChatPort, type TeamsBot } from '../../../bots/teams/index.js';
import { createDesk } from '../../../desk/index.js';
import { bedRequestWorkflowId } from '../../../domain/bed-request.js';
import type { Protocol } from '../../../domain/protocol.js';
import { createBedRequestClient } from '../../../runtime/bed-request-client.js';
import { WORKFLOWS_PATH } from '../../../runtime/worker.js';
import type { Store } from '../../../store/open-store.js';
import { FakeBotConnector, type StoredMessage } from '../../fakes/teams/fake-bot-connector.js';
import { createTestEnv } from '../../support/temporal.js';
import { captureLogger, memoryStore, type LogLine } from './support/bot-harness.js';
import {
  PEOPLE,
  botAdded,
  buttonTitles,
  cardText,
  execute,
  installationUpdate,
  invokeCard,
  message,
  post,
  validForm,
  type Person,
  type Where,
} from './support/teams-activities.js';
import { AAD, CHANNELS, teamsProtocol } from './support/teams-protocol.js';

const TASK_QUEUE = 'teams-full-path';

let env: TestWorkflowEnvironment;
let store: Store;
let fake: FakeBotConnector;
let bot: TeamsBot;
let worker: Worker;
let running: Promise<void>;
let url: string;
let protocol: Protocol;
let logs: LogLine[];

const sergeantChat: Where = { kind: 'personal', person: PEOPLE.sergeant };
const edt: Where = { kind: 'channel', channelId: CHANNELS.edt };
const custody: Where = { kind: 'channel', channelId: CHANNELS.custody };
const SERGEANT_CHAT = `a:personal-${AAD.sergeant}`;

/**
 * The worker's WARN logs, minus the activity failures these tests provoke on purpose (Teams 429s
 * and the missing conversation reference), so a real warning still stands out.
 */
function quietRuntime(): void {
  const fallback = new DefaultLogger('WARN');
  const expected = /Teams rate limit|No Teams conversation reference|activity_failure_include_heartbeat/;
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry) => {
        const error: unknown = entry.meta?.error;
        const cause: unknown = entry.meta?.cause;
        if (
          expected.test(entry.message) ||
          (error instanceof Error && expected.test(error.message)) ||
          (typeof cause === 'string' && expected.test(cause))
        )
          return;
        fallback.log(entry.level, entry.message, entry.meta);
      }),
      telemetryOptions: {
        logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }), forward: {} },
      },
    });
  } catch {
    // Already installed in this process.
  }
}

beforeAll(async () => {
  quietRuntime();
  protocol = teamsProtocol();
  const captured = captureLogger();
  logs = captured.lines;
  const log = captured.log;
  let bundle: WorkflowBundleWithSourceMap;
  [env, store, fake, bundle] = await Promise.all([
    createTestEnv(),
    memoryStore(),
    new FakeBotConnector().start(),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundler }),
  ]);
  const bedRequests = createBedRequestClient(env.client, {
    taskQueue: TASK_QUEUE,
    actionClock: () => env.currentTimeMs(),
  });
  const desk = createDesk({ protocol, bedRequests, store, log });
  bot = createTeamsBot({ protocol, desk, conversations: store, env: { TEAMS_HOST: '127.0.0.1' }, log });
  const chat = createTeamsChatPort({ adapter: bot.adapter, store, log, zone: protocol.force.timeZone });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: bundle,
    activities: createActivities({ chat, store, protocol: () => protocol, log }),
    maxConcurrentActivityTaskExecutions: 20,
  });
  running = worker.run();
  const { port } = await bot.start(0);
  url = `http://127.0.0.1:${port}`;

  // Install: the bot is added to the custody, EDT and leads channels, and the sergeant's and the
  // lead's personal scope. Each stores the conversation reference the chat port needs later.
  const s = fake.serviceUrl;
  for (const channelId of [CHANNELS.custody, CHANNELS.edt, CHANNELS.leads]) {
    expect(
      (await post(url, botAdded(s, PEOPLE.lead, { kind: 'channel', channelId, teamId: CHANNELS.team })))
        .status,
    ).toBe(200);
  }
  await post(url, installationUpdate(s, PEOPLE.sergeant, sergeantChat));
  await post(url, installationUpdate(s, PEOPLE.lead, { kind: 'personal', person: PEOPLE.lead }));
}, 180_000);

afterAll(async () => {
  await bot?.stop();
  worker?.shutdown();
  await running?.catch(() => undefined);
  await env?.teardown();
  await fake?.stop();
  await store?.close();
});

const quietBundler = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (m: string) => console.error(m),
};

/** Top-level posts (cards) in a conversation. */
function cardsIn(conversationId: string): StoredMessage[] {
  return fake.posts().filter((m) => m.conversationId === conversationId && FakeBotConnector.cardOf(m));
}

function cardFor(conversationId: string, caseRef: string): StoredMessage | undefined {
  return cardsIn(conversationId).find((m) => cardText(FakeBotConnector.cardOf(m)).includes(caseRef));
}

function notesUnder(conversationId: string, root: StoredMessage): StoredMessage[] {
  return fake.posts().filter((m) => m.conversationId === `${conversationId};messageid=${root.id}`);
}

async function until<T>(
  what: string,
  check: () => T | undefined | null | false,
  timeoutMs = 30_000,
): Promise<T> {
  return fake.waitFor(check, timeoutMs, what);
}

async function act(
  person: Person,
  where: Where,
  card: StoredMessage,
  verb: string,
  inputs: Record<string, string> = {},
) {
  const data = (FakeBotConnector.cardOf(card)?.refresh as { action: { data: Record<string, string> } }).action
    .data;
  const r = await post(url, execute(fake.serviceUrl, person, where, verb, { ...data, ...inputs }, card.id));
  expect(r.ms).toBeLessThan(5_000);
  return invokeCard(r);
}

/** The sergeant types the command, gets the form, and submits it. Returns the request's identifiers. */
async function startRequest(over: Record<string, string> = {}) {
  const form = validForm(over);
  await post(url, message(fake.serviceUrl, PEOPLE.sergeant, sergeantChat, 'bedrequest'));
  const formCard = await until('the form', () =>
    fake
      .posts()
      .filter((m) => m.conversationId === SERGEANT_CHAT)
      .find((m) => cardText(FakeBotConnector.cardOf(m)).includes('child charged and refused bail')),
  );
  const r = await post(
    url,
    execute(fake.serviceUrl, PEOPLE.sergeant, sergeantChat, 'bedrequest.submit', form, formCard.id),
  );
  expect(cardText(invokeCard(r))).toContain('Request sent');
  const workflowId = bedRequestWorkflowId(form.custodySuiteId ?? '', form.custodyRecordNumber ?? '');
  const request = await untilAsync('the request in the store', () => store.getRequest(workflowId));
  return { form, workflowId, caseRef: request.caseRef };
}

async function untilAsync<T>(
  what: string,
  check: () => Promise<T | null | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Teams, end to end through the bed-request workflow', () => {
  it('install → request → question → offer → transfer: one card per place, updated in place, notes in the thread', async () => {
    const { workflowId, caseRef } = await startRequest();

    // The workflow posts the responder card to the EDT, the custody card to the suite's channel,
    // and the sergeant's own copy to their 1:1 chat, proactively through the stored references.
    const edtCard = await until('the EDT card', () => cardFor(CHANNELS.edt, caseRef));
    const custodyCard = await until('the custody card', () => cardFor(CHANNELS.custody, caseRef));
    const officerCard = await until('the officer card', () => cardFor(SERGEANT_CHAT, caseRef));
    expect(buttonTitles(FakeBotConnector.cardOf(edtCard))).toEqual([
      'Acknowledge',
      'Offer bed',
      'Decline',
      'Need info',
      'View details',
    ]);
    // Confirm transfer before any offer: a transfer arranged by phone (docs/legal-rules.md).
    const custodyButtons = ['Confirm transfer', 'Child stays', 'Amend court sitting', 'Cancel request'];
    expect(buttonTitles(FakeBotConnector.cardOf(custodyCard))).toEqual(custodyButtons);
    expect(buttonTitles(FakeBotConnector.cardOf(officerCard))).toEqual(custodyButtons);

    // The responder acknowledges: the invoke answers with the updated card at once…
    const acked = await act(PEOPLE.responder, edt, edtCard, 'acknowledge');
    expect(buttonTitles(acked)).toEqual(['Offer bed', 'Decline', 'Need info', 'View details']);
    // …and the workflow edits every copy in place and notes it in the sergeant's thread.
    await until(
      'EDT card updated',
      () =>
        /Acknowledged .+ by Duty social worker/.test(cardText(FakeBotConnector.cardOf(edtCard))) || undefined,
    );
    await until(
      'acknowledged note',
      () =>
        notesUnder(CHANNELS.custody, custodyCard).some((n) =>
          /acknowledged the request/.test(String(n.activity.text)),
        ) || undefined,
    );

    // A question, answered from the custody card.
    await act(PEOPLE.responder, edt, edtCard, 'request_info', {
      info_question: 'Does the child need medication overnight?',
    });
    await until(
      'custody card shows the question',
      () => buttonTitles(FakeBotConnector.cardOf(custodyCard)).includes('Answer question') || undefined,
    );
    await until(
      'the question in the thread',
      () =>
        notesUnder(CHANNELS.custody, custodyCard).some((n) =>
          /Question from/.test(String(n.activity.text)),
        ) || undefined,
    );
    const answered = await act(PEOPLE.sergeant, custody, custodyCard, 'answer_info', {
      questionId: 'q1',
      answer_q1: 'Yes: an inhaler, in the property bag',
    });
    expect(cardText(answered)).toContain('Answer question: done.');
    await until(
      'answer in the thread',
      () =>
        notesUnder(CHANNELS.custody, custodyCard).some((n) => /an inhaler/.test(String(n.activity.text))) ||
        undefined,
    );

    // The bed.
    const offered = await act(PEOPLE.responder, edt, edtCard, 'offer_bed', {
      offer_accommodation: 'non_secure',
      offer_provider: 'Oak House children’s home',
      offer_transport: 'la_collects',
      offer_notes: 'Bed ready now',
    });
    expect(buttonTitles(offered)).toEqual(['Need info', 'View details']);
    await until(
      'custody card offers the transfer',
      () => cardText(FakeBotConnector.cardOf(custodyCard)).includes('Bed offered') || undefined,
    );

    // The transfer, confirmed by the sergeant from their own 1:1 card.
    const left = new Date(Date.now() - 60_000);
    const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(left);
    const londonTime = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(left);
    const done = await act(PEOPLE.sergeant, sergeantChat, officerCard, 'confirm_transfer', {
      left_date: londonDate,
      left_time: londonTime,
    });
    expect(cardText(done)).toContain('Closed: Transferred to non-secure accommodation');
    expect(buttonTitles(done)).toEqual([]);

    const outcome = await untilAsync('the outcome', () => store.getOutcome(workflowId));
    expect(outcome.outcome).toBe('transferred_non_secure');
    await until(
      'every card closed',
      () =>
        [edtCard, custodyCard, officerCard].every((m) =>
          cardText(FakeBotConnector.cardOf(m)).includes('Closed: Transferred'),
        ) || undefined,
    );

    // Exactly one card per place, edited in place; the notes are replies under the custody card.
    expect(
      cardsIn(CHANNELS.edt).filter((m) => cardText(FakeBotConnector.cardOf(m)).includes(caseRef)),
    ).toHaveLength(1);
    expect(
      cardsIn(CHANNELS.custody).filter((m) => cardText(FakeBotConnector.cardOf(m)).includes(caseRef)),
    ).toHaveLength(1);
    expect(
      cardsIn(SERGEANT_CHAT).filter((m) => cardText(FakeBotConnector.cardOf(m)).includes(caseRef)),
    ).toHaveLength(1);
    expect(edtCard.versions.length).toBeGreaterThanOrEqual(4);
    expect(fake.calls.filter((c) => c.kind === 'update' && c.status !== 200)).toEqual([]);
    // acknowledged, question asked, question answered, bed offered, transferred: in that order.
    const notes = await until('all five notes', () => {
      const n = notesUnder(CHANNELS.custody, custodyCard);
      return n.length >= 5 ? n : undefined;
    });
    expect(notes.map((n) => String(n.activity.text))).toEqual([
      expect.stringMatching(/acknowledged the request/),
      expect.stringMatching(/Question from Duty social worker/),
      expect.stringMatching(/Answered by Sgt Example/),
      expect.stringMatching(/Bed offered by Duty social worker/),
      expect.stringMatching(/Transferred/),
    ]);

    // Refresh (what Teams asks when it shows the card) gives the closed card to anyone.
    const refreshed = await act(PEOPLE.responder, edt, edtCard, 'refresh');
    expect(buttonTitles(refreshed)).toEqual([]);
  });

  it('decline → the child stays: a Note 16D reason is refused, a lawful one closes it with a certificate', async () => {
    const { workflowId, caseRef } = await startRequest();
    const edtCard = await until('the EDT card', () => cardFor(CHANNELS.edt, caseRef));
    const custodyCard = await until('the custody card', () => cardFor(CHANNELS.custody, caseRef));

    const declined = await act(PEOPLE.responder, edt, edtCard, 'decline', {
      decline_reason: 'no_non_secure_placement',
    });
    expect(cardText(declined)).toContain('Declined, no bed offered');
    await until(
      'declined note',
      () =>
        notesUnder(CHANNELS.custody, custodyCard).some((n) =>
          /declined: No non-secure placement/.test(String(n.activity.text)),
        ) || undefined,
    );

    const refused = await act(PEOPLE.sergeant, custody, custodyCard, 'record_stay', {
      stay_reason: 'nature_of_offence',
      stay_explanation: 'Serious offence, charged with robbery',
    });
    expect(cardText(refused)).toMatch(/nature of the offence cannot be the reason/);

    const stayed = await act(PEOPLE.sergeant, custody, custodyCard, 'record_stay', {
      stay_reason: 'no_accommodation_provided',
      stay_explanation: 'EDT had no non-secure placement and none was found by 02:00',
    });
    // A stay is not the end (docs/legal-rules.md): held, bed still sought, the certificate produced.
    expect(cardText(stayed)).toContain('Held in custody, bed still sought');
    expect(buttonTitles(stayed)).toEqual([
      'Confirm transfer',
      'Child left the cells',
      'Amend court sitting',
      'Cancel request',
    ]);
    await until(
      'the held custody card',
      () =>
        cardText(FakeBotConnector.cardOf(custodyCard)).includes('Held in custody, bed still sought') ||
        undefined,
    );
    expect(await store.getOutcome(workflowId)).toBeNull();
    const leftAt = new Date(Date.now() - 60_000);
    const left = await act(PEOPLE.sergeant, custody, custodyCard, 'record_left_cells', {
      left_for: 'court',
      left_cells_date: new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(leftAt),
      left_cells_time: new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/London',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(leftAt),
    });
    expect(cardText(left)).toContain('Closed: Stayed in police detention: no non-secure bed provided');
    expect(cardText(left)).toContain('left for court');
    const outcome = await untilAsync('the outcome', () => store.getOutcome(workflowId));
    expect(outcome).toMatchObject({
      outcome: 'detained_no_bed_non_secure',
      stayReason: 'no_accommodation_provided',
      leftCellsFor: 'court',
      leftCellsAssumed: false,
    });
    await until(
      'the certificate on the custody card',
      () =>
        cardText(FakeBotConnector.cardOf(custodyCard)).includes('Certificate for court (s.38(6))') ||
        undefined,
    );
    await until(
      'the EDT card closed',
      () =>
        cardText(FakeBotConnector.cardOf(edtCard)).includes('Closed: Stayed in police detention') ||
        undefined,
    );
    expect(cardText(FakeBotConnector.cardOf(edtCard))).not.toContain('Certificate for court');
    expect(buttonTitles(FakeBotConnector.cardOf(edtCard))).toEqual([]);
  });

  it('a wrong-role click is refused at once and audited in the database, changing nothing; a refused View details is logged as denied', async () => {
    const { workflowId, caseRef } = await startRequest();
    const edtCard = await until('the EDT card', () => cardFor(CHANNELS.edt, caseRef));
    const refused = await act(PEOPLE.sergeant, edt, edtCard, 'acknowledge');
    expect(cardText(refused)).toMatch(/needs the responder role/);
    const other = await act(PEOPLE.mkResponder, edt, edtCard, 'offer_bed', {
      offer_accommodation: 'non_secure',
      offer_provider: 'Somewhere',
      offer_transport: 'other',
    });
    expect(cardText(other)).toMatch(/different local authority/);
    const view = await createBedRequestClient(env.client, { taskQueue: TASK_QUEUE }).view(workflowId);
    expect(view).toMatchObject({ status: 'awaiting_acknowledgement' });
    expect(view?.acknowledged).toBeUndefined();
    // Each refusal is a row in the records store's append-only audit: actor, action, code, request.
    const rows = (await store.listEvents(workflowId)).filter((e) => e.type === 'action_refused');
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: expect.objectContaining({ platform: 'teams', userId: AAD.sergeant }) as unknown,
          data: expect.objectContaining({
            kind: 'acknowledge',
            code: 'ROLE_NOT_PERMITTED',
            source: 'desk',
          }) as unknown,
        }),
        expect.objectContaining({
          actor: expect.objectContaining({ platform: 'teams', userId: AAD.mkResponder }) as unknown,
          data: expect.objectContaining({
            kind: 'offer_bed',
            code: 'NOT_RESPONDER_FOR_AUTHORITY',
            source: 'desk',
          }) as unknown,
        }),
      ]),
    );
    // An action that passed a pre-check on a stale view reaches the workflow, which refuses it,
    // audits it under the action's ID, and tells the person on Teams.
    const posts = fake.posts().length;
    await createBedRequestClient(env.client, { taskQueue: TASK_QUEUE }).act(workflowId, {
      actionId: 'teams-stale-offer',
      actor: { platform: 'teams', userId: AAD.mkResponder, displayName: PEOPLE.mkResponder.name },
      replyChannel: edtCard.conversationId,
      action: {
        kind: 'offer_bed',
        accommodation: 'non_secure',
        provider: 'Somewhere',
        transport: 'other',
        notes: '',
      },
    });
    const stale = await untilAsync('the workflow refusal row', async () =>
      (await store.listEvents(workflowId)).find(
        (e) => e.eventId === `${workflowId}:refused:teams-stale-offer`,
      ),
    );
    expect(stale).toMatchObject({
      actor: { userId: AAD.mkResponder },
      data: { kind: 'offer_bed', code: 'NOT_RESPONDER_FOR_AUTHORITY' },
    });
    await until('the refusal told on Teams', () =>
      fake
        .posts()
        .slice(posts)
        .find((m) => /different local authority/.test(JSON.stringify(m.activity))),
    );
    // A refused View details: the refusal row, and a `denied` row in the access log; no identity.
    const denied = await act(PEOPLE.stranger, edt, edtCard, 'view_details');
    expect(JSON.stringify(denied)).not.toContain('13/123456A');
    expect(await store.listAccess(workflowId)).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ userId: AAD.stranger }) as unknown,
        purpose: 'denied',
      }),
    ]);
    expect((await store.listEvents(workflowId)).filter((e) => e.type === 'action_refused')).toContainEqual(
      expect.objectContaining({
        actor: expect.objectContaining({ userId: AAD.stranger }) as unknown,
        data: expect.objectContaining({ kind: 'view_details', source: 'desk' }) as unknown,
      }),
    );
  });

  it('a 429 burst from Teams still ends with exactly one card per step, each up to date', async () => {
    const before429 = fake.calls.filter((c) => c.status === 429).length;
    fake.failNext({ status: 429, retryAfter: '1', times: 5, kinds: ['send'] });
    const { caseRef } = await startRequest();
    const edtCard = await until('the EDT card after the burst', () => cardFor(CHANNELS.edt, caseRef), 45_000);
    const custodyCard = await until(
      'the custody card after the burst',
      () => cardFor(CHANNELS.custody, caseRef),
      45_000,
    );
    await until('the officer card after the burst', () => cardFor(SERGEANT_CHAT, caseRef), 45_000);

    fake.failNext({ status: 429, retryAfter: '1', times: 4, kinds: ['update', 'send'] });
    await act(PEOPLE.responder, edt, edtCard, 'acknowledge');
    await until(
      'EDT card updated through the burst',
      () => /Acknowledged .+ by /.test(cardText(FakeBotConnector.cardOf(edtCard))) || undefined,
      45_000,
    );
    await until(
      'custody card updated through the burst',
      () => /Acknowledged .+ by /.test(cardText(FakeBotConnector.cardOf(custodyCard))) || undefined,
      45_000,
    );
    await until(
      'the note through the burst',
      () => notesUnder(CHANNELS.custody, custodyCard).length >= 1 || undefined,
      45_000,
    );

    expect(fake.calls.filter((c) => c.status === 429).length - before429).toBe(9);
    for (const place of [CHANNELS.edt, CHANNELS.custody, SERGEANT_CHAT]) {
      expect(
        cardsIn(place).filter((m) => cardText(FakeBotConnector.cardOf(m)).includes(caseRef)),
      ).toHaveLength(1);
    }
    expect(notesUnder(CHANNELS.custody, custodyCard)).toHaveLength(1);
  }, 90_000);

  it('a destination with no stored reference: a clear logged error, never a silent drop; the card arrives once the app is installed', async () => {
    const mkEdt = '19:edt-mk@thread.tacv2';
    const { caseRef, workflowId } = await startRequest({ homeLocalAuthorityId: 'milton-keynes' });
    await until('the custody card', () => cardFor(CHANNELS.custody, caseRef));
    await until('the missing-reference error', () =>
      logs.find(
        (l) => l.level === 50 && l.destination === mkEdt && l.failure === 'NO_CONVERSATION_REFERENCE',
      ),
    );
    expect(cardsIn(mkEdt)).toHaveLength(0);

    // The MK team installs Concordat in its EDT channel. No click and no timer follows: only the
    // delivery activity's own retry can post the card now.
    await post(url, botAdded(fake.serviceUrl, PEOPLE.mkResponder, { kind: 'channel', channelId: mkEdt }));
    const retried = await until('the MK card, from the retry', () => cardFor(mkEdt, caseRef), 45_000);
    expect(cardText(FakeBotConnector.cardOf(retried))).toContain('Out of area');
    const r = await post(
      url,
      execute(fake.serviceUrl, PEOPLE.mkResponder, { kind: 'channel', channelId: mkEdt }, 'acknowledge', {
        workflowId,
        audience: 'responder',
      }),
    );
    expect(cardText(invokeCard(r))).toContain('Acknowledge: done.');
    const mkCard = await until('the MK card, once installed', () => cardFor(mkEdt, caseRef));
    expect(cardText(FakeBotConnector.cardOf(mkCard))).toContain('Out of area');
    expect(cardsIn(mkEdt)).toHaveLength(1);
  }, 60_000);

  // Last but one: it moves the test server's clock forward, past the ladder's timers.
  it('escalates proactively: the EDT manager paged in their 1:1 chat, then the superintendent’s channel', async () => {
    const { caseRef } = await startRequest();
    await until('the EDT card', () => cardFor(CHANNELS.edt, caseRef));
    const leadChat = `a:personal-${AAD.lead}`;
    await env.sleep(31 * 60_000);
    const page1 = await until('the level-1 page to the EDT manager', () => cardFor(leadChat, caseRef));
    expect(cardText(FakeBotConnector.cardOf(page1))).toMatch(/Escalation level 1: EDT manager/);
    expect(FakeBotConnector.cardOf(page1)?.actions).toBeUndefined();
    await env.sleep(90 * 60_000);
    const page2 = await until('the level-2 page in the leads channel', () =>
      cardFor(CHANNELS.leads, caseRef),
    );
    expect(cardText(FakeBotConnector.cardOf(page2))).toMatch(/Escalation level 2: Superintendent/);
    expect(cardText(FakeBotConnector.cardOf(page2))).toMatch(/not resolved/);
  }, 60_000);

  it('never put the child’s identity on the wire to Teams or in a log line', () => {
    const wire = JSON.stringify(fake.calls);
    expect(wire).not.toContain('13/123456A');
    const logText = logs.map((l) => JSON.stringify(l)).join('\n');
    expect(logText).not.toContain('13/123456A');
    expect(logText).not.toContain('Asthma inhaler');
  });
});
