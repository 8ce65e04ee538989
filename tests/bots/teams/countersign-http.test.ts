// An inspector's countersignature of the s.38(6) certificate on Teams (docs/legal-rules.md,
// "Countersignature by an inspector": a protocol option), over real HTTP in emulator mode, with the
// real bed-request workflow on the Temporal test server behind the desk and the fake Bot Connector:
// the stay's certificate goes to the inspector's personal chat with a Countersign button; a
// responder and the certifying sergeant are refused on the card (coded failures, audited); the
// inspector presses it and the cards update in place to say who countersigned and when.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { createActivities } from '../../../activities/index.js';
import { createTeamsBot, createTeamsChatPort, type TeamsBot } from '../../../bots/teams/index.js';
import { createDesk } from '../../../desk/index.js';
import { bedRequestWorkflowId } from '../../../domain/bed-request.js';
import { FailureCode } from '../../../domain/failures.js';
import type { Protocol, ProtocolFile } from '../../../domain/protocol.js';
import { parseProtocol } from '../../../runtime/config.js';
import { createBedRequestClient, type BedRequestClient } from '../../../runtime/bed-request-client.js';
import type { Store } from '../../../store/open-store.js';
import { FakeBotConnector, type StoredMessage } from '../../fakes/teams/fake-bot-connector.js';
import { createTestEnv } from '../../support/temporal.js';
import { eventually, workflowBundle } from '../../support/workflow-harness.js';
import { captureLogger, memoryStore } from './support/bot-harness.js';
import {
  PEOPLE,
  botAdded,
  buttonTitles,
  cardText,
  execute,
  installationUpdate,
  invokeCard,
  post,
  validForm,
  type Where,
} from './support/teams-activities.js';
import { AAD, CHANNELS, TEAMS_PROTOCOL_YAML } from './support/teams-protocol.js';

const TASK_QUEUE = 'teams-countersign';
const INSPECTOR = { aadObjectId: '00000000-0000-0000-0000-0000000000e1', name: 'Insp. Grey' };

/** The Teams test protocol with countersignature on, an inspector, and the sergeant acting up. */
function countersignProtocol(): Protocol {
  const file = parseYaml(TEAMS_PROTOCOL_YAML) as ProtocolFile;
  file.certificate = { countersignature: { required: true, pageAfter: '2h' } };
  file.people = [
    ...(file.people ?? []).map((p) =>
      p.teams === AAD.sergeant ? { ...p, roles: [...p.roles, 'inspector' as const] } : p,
    ),
    { name: INSPECTOR.name, teams: INSPECTOR.aadObjectId, roles: ['inspector'] },
  ];
  return parseProtocol(toYaml(file), 'teams countersign protocol');
}

let env: TestWorkflowEnvironment;
let store: Store;
let fake: FakeBotConnector;
let bot: TeamsBot;
let worker: Worker;
let running: Promise<void>;
let url: string;
let protocol: Protocol;
let client: BedRequestClient;

const sergeantChat: Where = { kind: 'personal', person: PEOPLE.sergeant };
const inspectorChat: Where = { kind: 'personal', person: INSPECTOR };

beforeAll(async () => {
  try {
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      telemetryOptions: {
        logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }), forward: {} },
      },
    });
  } catch {
    // Already installed in this process.
  }
  protocol = countersignProtocol();
  const { log } = captureLogger();
  [env, store, fake] = await Promise.all([createTestEnv(), memoryStore(), new FakeBotConnector().start()]);
  client = createBedRequestClient(env.client, {
    taskQueue: TASK_QUEUE,
    actionClock: () => env.currentTimeMs(),
  });
  const desk = createDesk({ protocol, bedRequests: client, store, log });
  bot = createTeamsBot({ protocol, desk, conversations: store, env: { TEAMS_HOST: '127.0.0.1' }, log });
  const chat = createTeamsChatPort({
    adapter: bot.adapter,
    store,
    log,
    zone: protocol.force.timeZone,
    people: protocol.people,
  });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: createActivities({ chat, store, protocol: () => protocol, log }),
    maxConcurrentActivityTaskExecutions: 20,
  });
  running = worker.run();
  const { port } = await bot.start(0);
  url = `http://127.0.0.1:${port}`;
  const s = fake.serviceUrl;
  for (const channelId of [CHANNELS.custody, CHANNELS.edt, CHANNELS.leads]) {
    await post(url, botAdded(s, PEOPLE.lead, { kind: 'channel', channelId, teamId: CHANNELS.team }));
  }
  await post(url, installationUpdate(s, PEOPLE.sergeant, sergeantChat));
  await post(url, installationUpdate(s, INSPECTOR, inspectorChat));
}, 180_000);

afterAll(async () => {
  await bot?.stop();
  worker?.shutdown();
  await running?.catch(() => undefined);
  await env?.teardown();
  await fake?.stop();
  await store?.close();
});

const press = async (person: { aadObjectId: string; name: string }, workflowId: string) =>
  invokeCard(
    await post(
      url,
      execute(fake.serviceUrl, person, { kind: 'personal', person }, 'countersign', {
        workflowId,
        audience: 'inspector',
      }),
    ),
  );

/** The cards in a conversation naming this case, with their latest text. */
const cardsIn = (conversationId: string, caseRef: string): StoredMessage[] =>
  fake.postsIn(conversationId).filter((m) => cardText(FakeBotConnector.cardOf(m)).includes(caseRef));

describe('inspector countersignature on Teams', () => {
  it('the inspector gets the certificate with a Countersign button; others are refused; pressing it updates the cards', async () => {
    const form = validForm();
    const sent = invokeCard(
      await post(url, execute(fake.serviceUrl, PEOPLE.sergeant, sergeantChat, 'bedrequest.submit', form)),
    );
    expect(cardText(sent)).toContain('Request sent');
    const workflowId = bedRequestWorkflowId('northampton-cjc', form.custodyRecordNumber ?? '');
    const opened = await eventually(() => client.view(workflowId), 30_000);
    const stayCard = invokeCard(
      await post(
        url,
        execute(fake.serviceUrl, PEOPLE.sergeant, sergeantChat, 'record_stay', {
          workflowId,
          audience: 'custody',
          stay_reason: 'impracticable_medical',
          stay_explanation: 'Taken to A&E at 22:10 with a head injury; still being treated',
        }),
      ),
    );
    expect(cardText(stayCard)).toMatch(/awaiting an inspector’s countersignature/);

    // The page: the inspector's personal chat, naming the case, with the certificate and the button.
    const inspectorConversation = `a:personal-${INSPECTOR.aadObjectId}`;
    const page = await fake.waitFor(
      () =>
        cardsIn(inspectorConversation, opened.caseRef).find((m) =>
          buttonTitles(FakeBotConnector.cardOf(m)).includes('Countersign'),
        ),
      30_000,
      'the inspector’s card',
    );
    const pageCard = FakeBotConnector.cardOf(page);
    expect(cardText(pageCard)).toContain('SECTION 38(6)');
    expect(cardText(pageCard)).toMatch(/awaiting an inspector’s countersignature/);
    expect(buttonTitles(pageCard)).toEqual(['Countersign']);
    // Teams refreshes it for the inspector only, never the certifying sergeant (who holds the role).
    expect((pageCard as { refresh?: { userIds?: string[] } }).refresh?.userIds).toEqual([
      INSPECTOR.aadObjectId,
    ]);
    // The sergeant's own chat has the request's card, but no Countersign on it.
    const sergeantCards = cardsIn(`a:personal-${AAD.sergeant}`, opened.caseRef);
    expect(sergeantCards.length).toBeGreaterThan(0);
    for (const m of sergeantCards)
      expect(buttonTitles(FakeBotConnector.cardOf(m))).not.toContain('Countersign');

    // A responder presses it, then the certifying sergeant: each refused on the card, audited.
    expect(cardText(await press(PEOPLE.responder, workflowId))).toMatch(/needs the inspector role/);
    expect(cardText(await press(PEOPLE.sergeant, workflowId))).toMatch(
      /cannot countersign your own certificate/,
    );
    const refused = (await store.listEvents(workflowId)).filter((e) => e.type === 'action_refused');
    expect(refused.map((e) => e.data)).toEqual([
      { kind: 'countersign', code: FailureCode.RoleNotPermitted, source: 'desk' },
      { kind: 'countersign', code: FailureCode.CountersignOwnCertificate, source: 'desk' },
    ]);
    expect((await client.view(workflowId))?.stay?.countersignature?.status).toBe('awaiting');

    // The inspector presses it: the answer is the card as it now is, and the posted cards update.
    const answered = await press(INSPECTOR, workflowId);
    expect(cardText(answered)).toMatch(/Countersign: done\./);
    expect(cardText(answered)).toMatch(/Certificate countersigned by Insp\. Grey at \d\d:\d\d/);
    expect(buttonTitles(answered)).toEqual([]);
    const updated = await fake.waitFor(
      () => {
        const now = fake.messages.get(page.id);
        return now && /Certificate countersigned by Insp\. Grey/.test(cardText(FakeBotConnector.cardOf(now)))
          ? now
          : undefined;
      },
      30_000,
      'the inspector’s card, countersigned',
    );
    expect(updated.versions.length).toBeGreaterThan(1);
    expect(buttonTitles(FakeBotConnector.cardOf(updated))).toEqual([]);
    expect(cardText(FakeBotConnector.cardOf(updated))).toContain('Countersigned by inspector Insp. Grey');
    // The sergeant's card in the suite's channel says so too.
    await fake.waitFor(
      () =>
        cardsIn(CHANNELS.custody, opened.caseRef).find((m) =>
          /Certificate countersigned by Insp\. Grey/.test(cardText(FakeBotConnector.cardOf(m))),
        ),
      30_000,
      'the custody card, countersigned',
    );
    const row = await eventually(
      async () => (await store.listEvents(workflowId)).find((e) => e.type === 'countersign'),
      30_000,
    );
    expect(row.actor?.userId).toBe(INSPECTOR.aadObjectId);
    expect(row.data).toMatchObject({ certifiedBy: AAD.sergeant, stayReason: 'impracticable_medical' });
  });
});
