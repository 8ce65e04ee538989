import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../../../activities/index.js';
import type { ChatPort } from '../../../../domain/chat-port.js';
import type { Protocol } from '../../../../domain/protocol.js';
import { createBedRequestClient } from '../../../../runtime/bed-request-client.js';
import { openStore } from '../../../../store/open-store.js';
import { createTestEnv } from '../../../support/temporal.js';
import { workflowBundle } from '../../../support/workflow-harness.js';

/**
 * The real thing behind the bot: the time-skipping Temporal test server, a worker running the
 * bed-request workflow with the real activities, PGlite in memory, and the Slack ChatPort the
 * harness built (pointed at the fake Slack). The clock is left locked (real time), so the bot's
 * clock and the workflow's agree.
 */
export async function temporalEngine(chat: ChatPort, protocol: Protocol) {
  const [env, store, bundle] = await Promise.all([
    createTestEnv(),
    openStore({ dataDir: 'memory://', secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) } }),
    workflowBundle(),
  ]);
  const taskQueue = `slack-e2e-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({ chat, store, protocol: () => protocol }),
    maxConcurrentActivityTaskExecutions: 10,
  });
  const running = worker.run();
  const temporal = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
  return {
    client: createBedRequestClient(temporal, { taskQueue, actionClock: () => env.currentTimeMs() }),
    store,
    env,
    async close() {
      worker.shutdown();
      await running.catch(() => undefined);
      await env.teardown();
      await store.close();
    },
  };
}
