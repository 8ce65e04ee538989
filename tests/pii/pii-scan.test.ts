// A PII scan: distinctive identities (a name, a date of birth and a PNC ID found nowhere else) go
// through real journeys on both platforms (the bots over real HTTP, the bed-request workflow on
// the Temporal test server with the production payload codec and the real activities, PGlite on
// disk, the chat ports against the fake Slack and the fake Bot Connector). Then every place the
// identity could leak is scanned:
//   - every call the bots and the worker made to the fake platforms, and every invoke response;
//   - every log line (the app's pino logs at debug, and the Temporal runtime's and workflows' logs);
//   - every workflow history, fetched raw from the server (a client without the codec);
//   - the raw database files (the PGlite data directories on disk), and every row read back as text.
// The only place an identity may appear is the View details reply to an authorised person. The
// test fails naming each place a hit was found. Each journey also records an ethnicity and a sex
// code (docs/demographics.md): they may appear as data only in their own columns of the requests
// table, never as a field beside a value (`"ethnicity":"B9"`) in a call, a log line or a history.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, type LogEntry } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { ACTION_IDS } from '../../bots/slack/ids.js';
import { createTeamsBot, createTeamsChatPort, type TeamsBot } from '../../bots/teams/index.js';
import { createDesk } from '../../desk/index.js';
import { bedRequestWorkflowId } from '../../domain/bed-request.js';
import type { ChatPort } from '../../domain/chat-port.js';
import type { Protocol } from '../../domain/protocol.js';
import { createBedRequestClient } from '../../runtime/bed-request-client.js';
import { createLogger, type Logger } from '../../runtime/logger.js';
import { EncryptionCodec } from '../../runtime/payload-codec.js';
import { dataConverterFor } from '../../runtime/temporal-connection.js';
import { openStore } from '../../store/open-store.js';
import { blockAction, el } from '../fakes/slack/payloads.js';
import type { FakeSlackWebApi } from '../fakes/slack/web-api-server.js';
import { FakeBotConnector, type StoredMessage } from '../fakes/teams/fake-bot-connector.js';
import { cardsFor, sergeantStartsRequest, type FlowContext } from '../bots/slack/support/flows.js';
import { startSlackHarness } from '../bots/slack/support/harness.js';
import { testProtocol, USERS } from '../bots/slack/support/protocol.js';
import {
  PEOPLE,
  botAdded,
  cardText,
  execute,
  installationUpdate,
  invokeCard,
  message,
  post,
  validForm,
  type Person,
  type Where,
} from '../bots/teams/support/teams-activities.js';
import { AAD, CHANNELS, teamsProtocol } from '../bots/teams/support/teams-protocol.js';
import { createTestEnv } from '../support/temporal.js';
import { workflowBundle } from '../support/workflow-harness.js';

const { temporal } = proto;

const yearsAgo = (years: number) =>
  DateTime.utc()
    .minus({ days: Math.round(years * 365.25) })
    .toISODate() ?? '';

/** One identity per platform, each found nowhere else (so a hit is a leak, and says from where). */
const IDENTITIES = {
  slack: {
    givenName: 'Oswaldine',
    familyName: 'Trevethick',
    pncId: '19/406118Q',
    dateOfBirth: yearsAgo(15.3),
    ethnicity: 'B9',
    sex: '2',
  },
  teams: {
    givenName: 'Peregrina',
    familyName: 'Vellacott-Stroud',
    pncId: '07/3318824K',
    dateOfBirth: yearsAgo(15.7),
    ethnicity: 'M9',
    sex: '9',
  },
} as const;

/**
 * Each identity as it could be written: the fields, and the date of birth in the usual formats;
 * and the ethnicity and sex codes as a field with its value (a code alone is two characters, found
 * by chance anywhere), allowed only in the requests table's own columns.
 */
function needles(): Array<{ label: string; text: string; allowedIn?: RegExp }> {
  const out: Array<{ label: string; text: string; allowedIn?: RegExp }> = [];
  for (const [platform, id] of Object.entries(IDENTITIES)) {
    const dob = DateTime.fromISO(id.dateOfBirth, { zone: 'utc' });
    out.push(
      { label: `${platform} given name`, text: id.givenName },
      { label: `${platform} family name`, text: id.familyName },
      { label: `${platform} PNC ID`, text: id.pncId },
      { label: `${platform} date of birth (ISO)`, text: id.dateOfBirth },
      { label: `${platform} date of birth (d MMMM yyyy)`, text: dob.toFormat('d MMMM yyyy') },
      { label: `${platform} date of birth (d MMM yyyy)`, text: dob.toFormat('d MMM yyyy') },
      { label: `${platform} date of birth (dd/MM/yyyy)`, text: dob.toFormat('dd/MM/yyyy') },
      ...(['ethnicity', 'sex'] as const).flatMap((field) =>
        [`"${field}":"${id[field]}"`, `${field}=${id[field]}`, `"${field}": "${id[field]}"`].map((text) => ({
          label: `${platform} ${field} code`,
          text,
          allowedIn: / table public\.requests$/,
        })),
      ),
    );
  }
  return out;
}

interface Source {
  where: string;
  text: string;
}

/** Every hit, as "<needle> in <where>: …context…". */
function scan(sources: Source[]): string[] {
  const hits: string[] = [];
  const list = needles();
  for (const s of sources) {
    const haystack = s.text.toLowerCase();
    for (const n of list) {
      if (n.allowedIn?.test(s.where)) continue;
      const at = haystack.indexOf(n.text.toLowerCase());
      if (at === -1) continue;
      const context = s.text.slice(Math.max(0, at - 60), at + n.text.length + 60).replace(/\s+/g, ' ');
      hits.push(`${n.label} in ${s.where}: …${context}…`);
    }
  }
  return hits;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Every file of a PGlite data directory, as bytes read in latin1 (so ASCII shows as itself). */
async function rawDatabaseFiles(dir: string, label: string): Promise<Source[]> {
  const out: Source[] = [];
  for (const path of await filesUnder(dir)) {
    out.push({
      where: `${label} file ${path.slice(dir.length + 1)}`,
      text: (await readFile(path)).toString('latin1'),
    });
  }
  return out;
}

/**
 * Every row of every table, read back as text by a fresh PGlite on the closed data directory:
 * catches values Postgres keeps compressed in the files (TOAST), which a byte scan would miss.
 */
async function everyRow(dir: string, label: string): Promise<Source[]> {
  const db = new PGlite(dir);
  try {
    const tables = await db.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    const out: Source[] = [];
    for (const t of tables.rows) {
      const rows = await db.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM "${t.schema}"."${t.name}" t`,
      );
      out.push({
        where: `${label} table ${t.schema}.${t.name}`,
        text: rows.rows.map((r) => r.row).join('\n'),
      });
    }
    return out;
  } finally {
    await db.close();
  }
}

// ---- what the scan reads ----------------------------------------------------------------

const appLogLines: string[] = [];
const runtimeLogLines: string[] = [];
/** Invoke responses the Teams bot gave, with who asked what; the View details reply is marked. */
const invokeResponses: Array<{ who: string; verb: string; body: unknown; viewDetailsToAuthorised: boolean }> =
  [];

function captureAppLogs(): Logger {
  return createLogger(
    { level: 'debug', name: 'pii-scan' },
    { write: (s: string) => void appLogLines.push(s) },
  );
}

function captureRuntimeLogs(): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('TRACE', (entry: LogEntry) => {
        runtimeLogLines.push(`${entry.level} ${entry.message} ${safeJson(entry.meta)}`);
      }),
    });
  } catch {
    // Already installed in this process: the scan says so below by finding no runtime lines.
  }
}

function safeJson(v: unknown): string {
  try {
    return (
      JSON.stringify(v, (_k, x: unknown) =>
        x instanceof Error ? { message: x.message, stack: x.stack } : x,
      ) ?? ''
    );
  } catch {
    return String(v);
  }
}

// ---- the system under test ------------------------------------------------------------

let env: TestWorkflowEnvironment;
const closers: Array<() => Promise<void>> = [];
/** `close`, run at most once, and registered to run after a failed test too. */
function closer(close: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  const once = () => (done ??= close());
  closers.push(once);
  return once;
}
let root: string;
const codec = new EncryptionCodec(randomBytes(32));
const log = captureAppLogs();

/**
 * A request engine as production runs it: the payload codec on the worker and the client, the
 * real activities, and its own PGlite on disk. The worker starts once the chat port exists.
 */
async function openEngine(dataDir: string, taskQueue: string) {
  const store = await openStore({
    dataDir,
    secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) },
  });
  const client = new Client({
    connection: env.connection,
    namespace: env.namespace ?? 'default',
    dataConverter: dataConverterFor(codec),
  });
  let stopWorker = (): Promise<void> => Promise.resolve();
  let closed = false;
  const engine = {
    client: createBedRequestClient(client, { taskQueue, actionClock: () => env.currentTimeMs() }),
    store,
    async startWorker(chat: ChatPort, protocol: Protocol): Promise<void> {
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: await workflowBundle(),
        activities: createActivities({ chat, store, protocol: () => protocol, log }),
        dataConverter: dataConverterFor(codec),
        maxConcurrentActivityTaskExecutions: 10,
      });
      const running = worker.run();
      stopWorker = async () => {
        worker.shutdown();
        await running.catch(() => undefined);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await stopWorker();
      await store.close();
    },
  };
  closers.push(() => engine.close());
  return engine;
}

beforeAll(async () => {
  captureRuntimeLogs();
  root = await mkdtemp(join(tmpdir(), 'concordat-pii-'));
  env = await createTestEnv();
}, 120_000);

afterAll(async () => {
  // Whatever a failed journey left running, newest first.
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await env?.teardown();
  if (root) await rm(root, { recursive: true, force: true });
});

async function until<T>(
  what: string,
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  describe?: () => string,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}${describe ? `: ${describe()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---- the Slack journey ----------------------------------------------------------------

async function slackJourney(): Promise<{
  api: FakeSlackWebApi;
  workflowId: string;
  dataDir: string;
  close: () => Promise<void>;
}> {
  const dataDir = join(root, 'slack-pglite');
  const h = await startSlackHarness({
    transport: 'http',
    protocol: testProtocol({ slackOnly: true }),
    log,
    engine: async (chat, protocol) => {
      const engine = await openEngine(dataDir, `pii-slack-${randomUUID()}`);
      await engine.startWorker(chat, protocol);
      return engine;
    },
  });
  const close = closer(() => h.close());
  const id = IDENTITIES.slack;
  const ctx: FlowContext = { api: h.api, driver: h.driver, timeoutMs: 30_000 };
  // Submit → both cards → Acknowledge (cards updated, a note in the thread).
  const { record, responder } = await sergeantStartsRequest(ctx, {
    'child.pncId': el.text(id.pncId),
    'child.givenName': el.text(id.givenName),
    'child.familyName': el.text(id.familyName),
    'child.dateOfBirth': el.date(id.dateOfBirth),
    ethnicity: el.select(id.ethnicity),
    sex: el.select(id.sex),
    age: el.number('15'),
  });
  await h.driver.interact(
    blockAction({
      user: USERS.responder,
      actionId: ACTION_IDS.acknowledge,
      value: bedRequestWorkflowId('northampton-cjc', record),
      channel: responder.channel,
      messageTs: responder.ts,
    }),
  );
  await h.api.waitFor(
    () => cardsFor(h.api, record).responder.some((m) => m.text.includes('Acknowledged')) || undefined,
    30_000,
    'the responder card acknowledged',
  );
  const workflowId = bedRequestWorkflowId('northampton-cjc', record);
  // View details: refused to a stranger, shown to the responder (the one allowed place).
  for (const user of [USERS.stranger, USERS.responder]) {
    await h.driver.interact(
      blockAction({
        user,
        actionId: ACTION_IDS.viewDetails,
        value: workflowId,
        channel: responder.channel,
      }),
    );
  }
  await h.api.waitFor(
    () => detailsShownOnSlack(h.api).length > 0 || undefined,
    30_000,
    'the details shown to the responder',
  );
  return { api: h.api, workflowId, dataDir, close };
}

/** Slack's View details reply to the authorised responder: an ephemeral for them alone. */
function detailsShownOnSlack(api: FakeSlackWebApi) {
  return api
    .okCallsTo('chat.postEphemeral')
    .filter((c) => c.args.user === USERS.responder.id && String(c.args.text).startsWith('Details for'));
}

// ---- the Teams journey ----------------------------------------------------------------

async function teamsJourney(): Promise<{
  fake: FakeBotConnector;
  workflowId: string;
  dataDir: string;
  close: () => Promise<void>;
}> {
  const dataDir = join(root, 'teams-pglite');
  const protocol = teamsProtocol();
  const fake = await new FakeBotConnector().start();
  const engine = await openEngine(dataDir, `pii-teams-${randomUUID()}`);
  const desk = createDesk({ protocol, bedRequests: engine.client, store: engine.store, log });
  const bot: TeamsBot = createTeamsBot({
    protocol,
    desk,
    conversations: engine.store,
    env: { TEAMS_HOST: '127.0.0.1' },
    log,
  });
  const chat = createTeamsChatPort({
    adapter: bot.adapter,
    store: engine.store,
    log,
    zone: protocol.force.timeZone,
  });
  await engine.startWorker(chat, protocol);
  const close = closer(async () => {
    await bot.stop();
    await engine.close();
    await fake.stop();
  });
  const { port } = await bot.start(0);
  const url = `http://127.0.0.1:${port}`;
  const s = fake.serviceUrl;
  const sergeantChat: Where = { kind: 'personal', person: PEOPLE.sergeant };
  const edt: Where = { kind: 'channel', channelId: CHANNELS.edt };
  const custody: Where = { kind: 'channel', channelId: CHANNELS.custody };
  for (const channelId of [CHANNELS.custody, CHANNELS.edt, CHANNELS.leads]) {
    await post(url, botAdded(s, PEOPLE.lead, { kind: 'channel', channelId, teamId: CHANNELS.team }));
  }
  await post(url, installationUpdate(s, PEOPLE.sergeant, sergeantChat));
  await post(url, installationUpdate(s, PEOPLE.lead, { kind: 'personal', person: PEOPLE.lead }));

  const cardIn = (conversationId: string, caseRef: string) =>
    fake
      .posts()
      .find(
        (m) => m.conversationId === conversationId && cardText(FakeBotConnector.cardOf(m)).includes(caseRef),
      );
  const act = async (
    person: Person,
    where: Where,
    card: StoredMessage,
    verb: string,
    inputs: Record<string, string> = {},
    allowed = false,
  ) => {
    const data = (FakeBotConnector.cardOf(card)?.refresh as { action: { data: Record<string, string> } })
      .action.data;
    const r = await post(url, execute(s, person, where, verb, { ...data, ...inputs }, card.id));
    invokeResponses.push({ who: person.name, verb, body: r.body, viewDetailsToAuthorised: allowed });
    return invokeCard(r);
  };

  const id = IDENTITIES.teams;
  const form = validForm({
    pncId: id.pncId,
    givenName: id.givenName,
    familyName: id.familyName,
    dateOfBirth: id.dateOfBirth,
    ethnicity: id.ethnicity,
    sex: id.sex,
    age: '15',
  });
  await post(url, message(s, PEOPLE.sergeant, sergeantChat, 'bedrequest'));
  const sergeantConversation = `a:personal-${AAD.sergeant}`;
  const formCard = await fake.waitFor(
    () =>
      fake
        .posts()
        .find(
          (m) =>
            m.conversationId === sergeantConversation &&
            cardText(FakeBotConnector.cardOf(m)).includes('child charged and refused bail'),
        ),
    15_000,
    'the form',
  );
  const submitted = await post(
    url,
    execute(s, PEOPLE.sergeant, sergeantChat, 'bedrequest.submit', form, formCard.id),
  );
  invokeResponses.push({
    who: PEOPLE.sergeant.name,
    verb: 'bedrequest.submit',
    body: submitted.body,
    viewDetailsToAuthorised: false,
  });
  expect(cardText(invokeCard(submitted))).toContain('Request sent');
  const workflowId = bedRequestWorkflowId(form.custodySuiteId ?? '', form.custodyRecordNumber ?? '');
  const request = await until('the request in the store', () => engine.store.getRequest(workflowId));
  const edtCard = await until('the EDT card', () => cardIn(CHANNELS.edt, request.caseRef));
  const custodyCard = await until('the custody card', () => cardIn(CHANNELS.custody, request.caseRef));

  // View details: refused to a stranger, shown to the responder (the one allowed place).
  await act(PEOPLE.stranger, edt, edtCard, 'view_details');
  const shown = await act(PEOPLE.responder, edt, edtCard, 'view_details', {}, true);
  expect(cardText(shown)).toContain(id.pncId);

  // Decline → Child stays, closing with the s.38(6) certificate on the custody card.
  await act(PEOPLE.responder, edt, edtCard, 'decline', { decline_reason: 'no_non_secure_placement' });
  const stayed = await act(PEOPLE.sergeant, custody, custodyCard, 'record_stay', {
    stay_reason: 'no_accommodation_provided',
    stay_explanation: 'EDT had no non-secure placement and none was found by 02:00',
  });
  expect(cardText(stayed)).toMatch(/Stay|Stayed/);
  // The workflow's own updates of the cards (the certificate's wording and where it shows are
  // the law's business, checked elsewhere; here only that the workflow has caught up).
  await until(
    'the stay on the custody card',
    () => cardText(FakeBotConnector.cardOf(custodyCard)).includes('Stay recorded'),
    30_000,
    () => cardText(FakeBotConnector.cardOf(custodyCard)),
  );
  return { fake, workflowId, dataDir, close };
}

// ---- the scan -------------------------------------------------------------------------

async function rawHistories(workflowIds: string[]): Promise<Source[]> {
  // No codec: what the Temporal UI, tctl or an operator with server access would see.
  const raw = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
  const ids = new Set(workflowIds);
  try {
    for await (const w of raw.workflow.list()) ids.add(w.workflowId);
  } catch {
    // The time-skipping test server may not list; the requests' own IDs are scanned regardless.
  }
  const out: Source[] = [];
  for (const workflowId of ids) {
    const history = await raw.workflow.getHandle(workflowId).fetchHistory();
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    out.push({
      where: `workflow history ${workflowId} (raw, ${history.events?.length ?? 0} events)`,
      text: bytes,
    });
    // The same history as JSON too: failure messages, memo and search attributes in plain text.
    out.push({ where: `workflow history ${workflowId} (raw, as JSON)`, text: JSON.stringify(history) });
  }
  return out;
}

describe('PII scan', () => {
  it('finds the seeded identities nowhere but the View details reply to an authorised person', async () => {
    const teams = await teamsJourney();
    const slack = await slackJourney();
    // Let the last deliveries and their logs finish before reading anything.
    await new Promise((r) => setTimeout(r, 1_000));

    const sources: Source[] = [];
    // Fake-platform calls. Slack: every Web API call but the one allowed ephemeral.
    const allowedSlack = new Set(detailsShownOnSlack(slack.api));
    expect(allowedSlack.size, 'Slack showed the details to the responder').toBeGreaterThan(0);
    for (const [i, c] of slack.api.calls.entries()) {
      if (allowedSlack.has(c)) continue;
      sources.push({
        where: `Slack call #${i} ${c.method} (to ${safeJson(c.args.channel ?? c.args.user ?? '')})`,
        text: safeJson({ args: c.args, response: c.response }),
      });
    }
    // Teams: every Bot Connector call, and every invoke response but View details to the responder.
    for (const [i, c] of teams.fake.calls.entries()) {
      sources.push({ where: `Bot Connector call #${i} ${c.method} ${c.path}`, text: safeJson(c.body) });
    }
    expect(invokeResponses.filter((r) => r.viewDetailsToAuthorised)).toHaveLength(1);
    for (const [i, r] of invokeResponses.entries()) {
      if (r.viewDetailsToAuthorised) continue;
      sources.push({ where: `Teams invoke response #${i} (${r.verb} by ${r.who})`, text: safeJson(r.body) });
    }
    // Every log line.
    expect(appLogLines.length).toBeGreaterThan(10);
    for (const [i, line] of appLogLines.entries()) sources.push({ where: `app log line #${i}`, text: line });
    expect(runtimeLogLines.length, 'the Temporal runtime logger was installed by this test').toBeGreaterThan(
      0,
    );
    for (const [i, line] of runtimeLogLines.entries())
      sources.push({ where: `Temporal log line #${i}`, text: line });
    // Workflow histories, raw.
    const histories = await rawHistories([slack.workflowId, teams.workflowId]);
    expect(histories.length).toBeGreaterThanOrEqual(4);
    expect(
      histories.some((h) => h.text.includes('binary/encrypted')),
      'histories hold encrypted payloads',
    ).toBe(true);
    sources.push(...histories);

    // The databases, once closed so everything is on disk.
    await slack.close();
    await teams.close();
    for (const [label, dir] of [
      ['Slack PGlite', slack.dataDir],
      ['Teams PGlite', teams.dataDir],
    ] as const) {
      const files = await rawDatabaseFiles(dir, label);
      expect(files.length).toBeGreaterThan(10);
      sources.push(...files);
      const rows = await everyRow(dir, label);
      // Positive control: the scan reads real rows (the request's workflow ID is stored in clear).
      const workflowId = label.startsWith('Slack') ? slack.workflowId : teams.workflowId;
      expect(rows.map((r) => r.text).join('\n')).toContain(workflowId);
      // And the codes were taken: in their own columns, the one place they may be.
      const id = label.startsWith('Slack') ? IDENTITIES.slack : IDENTITIES.teams;
      expect(rows.find((r) => / table public\.requests$/.test(r.where))?.text).toContain(
        `"ethnicity":"${id.ethnicity}","sex":"${id.sex}"`,
      );
      sources.push(...rows);
    }

    // Positive controls: the needles match the identity as each bot renders it, in the one
    // allowed place, so a miss elsewhere is not a miss of the format.
    expect(
      scan([...allowedSlack].map((c) => ({ where: 'Slack View details', text: safeJson(c.args) }))),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^slack PNC ID/),
        expect.stringMatching(/^slack family name/),
      ]),
    );
    const teamsShown = invokeResponses.filter((r) => r.viewDetailsToAuthorised);
    expect(scan(teamsShown.map((r) => ({ where: 'Teams View details', text: safeJson(r.body) })))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^teams PNC ID/),
        expect.stringMatching(/^teams family name/),
      ]),
    );

    const hits = scan(sources);
    expect(hits, `identity found outside View details:\n${hits.join('\n')}`).toEqual([]);
  }, 240_000);
});
