import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../../activities/index.js';
import { createSlackBot, createSlackChatPort } from '../../../bots/slack/index.js';
import { createTeamsBot, createTeamsChatPort } from '../../../bots/teams/index.js';
import { createDesk } from '../../../desk/index.js';
import type { Protocol } from '../../../domain/protocol.js';
import { createBedRequestClient } from '../../../runtime/bed-request-client.js';
import { ChatRouter } from '../../../runtime/chat-router.js';
import { loadProtocolFile } from '../../../runtime/config.js';
import { createLogger } from '../../../runtime/logger.js';
import {
  loadScenarios,
  startSandbox,
  TRAINING_CONFIG,
  TRAINING_SCENARIOS,
  type Sandbox,
} from '../../../sandbox/index.js';
import { openStore } from '../../../store/open-store.js';
import { createTestEnv } from '../../support/temporal.js';
import { workflowBundle } from '../../support/workflow-harness.js';

/**
 * The sandbox as `npm start` composes it, on test servers: the Temporal test server (its clock
 * left running in real time, so timers fire when they are due), a worker with the real activities,
 * PGlite in memory, the real Slack and Teams bots, and the sandbox they are pointed at.
 */
export async function startSandboxStack(opts: { edit?: (p: Protocol) => Protocol } = {}) {
  const base = loadProtocolFile(TRAINING_CONFIG);
  const protocol = opts.edit ? opts.edit(base) : base;
  const log = createLogger({ level: process.env.SANDBOX_TEST_LOG ?? 'silent' });
  const sandbox: Sandbox = await startSandbox({
    protocol,
    scenarios: loadScenarios(TRAINING_SCENARIOS),
    log,
    port: 0,
  });
  const [env, store, bundle] = await Promise.all([
    createTestEnv(),
    openStore({ dataDir: 'memory://', secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) } }),
    workflowBundle(),
  ]);
  const taskQueue = `sandbox-${randomUUID()}`;
  const temporal = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
  const bedRequests = createBedRequestClient(temporal, { taskQueue });
  const desk = createDesk({ protocol, bedRequests, store, log });
  const teamsConfig = { auth: { mode: 'emulator' as const }, port: 0, host: '127.0.0.1' };
  const teamsBot = createTeamsBot({ protocol, desk, conversations: store, config: teamsConfig, log });
  const chat = new ChatRouter({
    slack: createSlackChatPort({
      token: sandbox.slackEnv.botToken,
      apiUrl: sandbox.slackApiUrl,
      log,
      timeZone: protocol.force.timeZone,
    }),
    teams: createTeamsChatPort({
      adapter: teamsBot.adapter,
      store,
      log,
      zone: protocol.force.timeZone,
      people: protocol.people,
    }),
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({ chat, store, protocol: () => protocol }),
    maxConcurrentActivityTaskExecutions: 10,
  });
  const running = worker.run();
  const slackBot = createSlackBot({ protocol, desk, env: sandbox.slackEnv, log });
  const slackPort = await slackBot.start(0);
  const { port: teamsPort } = await teamsBot.start(0);
  await sandbox.connect({
    slackEventsUrl: `http://127.0.0.1:${slackPort}/slack/events`,
    teamsMessagesUrl: `http://127.0.0.1:${teamsPort}/api/messages`,
  });
  return {
    sandbox,
    protocol,
    store,
    async close() {
      await slackBot.stop();
      await teamsBot.stop();
      worker.shutdown();
      await running.catch(() => undefined);
      await sandbox.stop();
      await env.teardown();
      await store.close();
    },
  };
}
