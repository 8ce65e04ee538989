// The Teams bot over real HTTP in emulator mode, with the real bed-request workflow on the Temporal
// test server behind the desk and the fake Bot Connector: the set-up the Teams HTTP tests share.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import { createActivities } from '../../../../activities/index.js';
import { createTeamsBot, createTeamsChatPort, type TeamsBot } from '../../../../bots/teams/index.js';
import { createDesk } from '../../../../desk/index.js';
import type { Protocol } from '../../../../domain/protocol.js';
import { createBedRequestClient, type BedRequestClient } from '../../../../runtime/bed-request-client.js';
import type { Store } from '../../../../store/open-store.js';
import { FakeBotConnector } from '../../../fakes/teams/fake-bot-connector.js';
import { createTestEnv } from '../../../support/temporal.js';
import { workflowBundle } from '../../../support/workflow-harness.js';
import { captureLogger, memoryStore } from './bot-harness.js';
import { PEOPLE, botAdded, installationUpdate, post, type Where } from './teams-activities.js';
import { CHANNELS } from './teams-protocol.js';

export interface TeamsWorkflowStack {
  env: TestWorkflowEnvironment;
  store: Store;
  fake: FakeBotConnector;
  bot: TeamsBot;
  url: string;
  client: BedRequestClient;
  /** Every line the bot, desk and activities logged so far. */
  logs: () => string;
  close: () => Promise<void>;
}

export const sergeantChat: Where = { kind: 'personal', person: PEOPLE.sergeant };

/**
 * Starts the stack, installs the bot in the custody, EDT and leads channels and the sergeant's
 * personal chat, and then in each of `installs` (an inspector's chat, say).
 */
export async function startTeamsWorkflowStack(opts: {
  protocol: Protocol;
  taskQueue: string;
  /** Give the chat port the protocol's people, so cards name who may act (`refresh.userIds`). */
  withPeople?: boolean;
  installs?: { person: Parameters<typeof installationUpdate>[1]; where: Where }[];
}): Promise<TeamsWorkflowStack> {
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
  const { protocol, taskQueue } = opts;
  const captured = captureLogger();
  const { log } = captured;
  const [env, store, fake] = await Promise.all([
    createTestEnv(),
    memoryStore(),
    new FakeBotConnector().start(),
  ]);
  const client = createBedRequestClient(env.client, { taskQueue, actionClock: () => env.currentTimeMs() });
  const desk = createDesk({ protocol, bedRequests: client, store, log });
  const bot = createTeamsBot({ protocol, desk, conversations: store, env: { TEAMS_HOST: '127.0.0.1' }, log });
  const chat = createTeamsChatPort({
    adapter: bot.adapter,
    store,
    log,
    zone: protocol.force.timeZone,
    ...(opts.withPeople ? { people: protocol.people } : {}),
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities({ chat, store, protocol: () => protocol, log }),
    maxConcurrentActivityTaskExecutions: 20,
  });
  const running = worker.run();
  const { port } = await bot.start(0);
  const url = `http://127.0.0.1:${port}`;
  const s = fake.serviceUrl;
  for (const channelId of [CHANNELS.custody, CHANNELS.edt, CHANNELS.leads]) {
    await post(url, botAdded(s, PEOPLE.lead, { kind: 'channel', channelId, teamId: CHANNELS.team }));
  }
  await post(url, installationUpdate(s, PEOPLE.sergeant, sergeantChat));
  for (const i of opts.installs ?? []) await post(url, installationUpdate(s, i.person, i.where));
  return {
    env,
    store,
    fake,
    bot,
    url,
    client,
    logs: () => captured.raw.join(''),
    close: async () => {
      await bot.stop();
      worker.shutdown();
      await running.catch(() => undefined);
      await env.teardown();
      await fake.stop();
      await store.close();
    },
  };
}
