/**
 * Records the digest and retention workflow histories that replay.test.ts replays.
 *
 *   npx tsx tests/workflows/digest/histories/record-digest-histories.ts
 *
 * Runs each workflow once on the time-skipping test server with the real activities against a
 * seeded in-memory PGlite and a recording chat port, and writes its history as JSON beside this
 * file. Re-record after an intended, patched() change to either workflow.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { format } from 'prettier';
import { createDigestActivities } from '../../../../activities/digest/digest-activities.js';
import { createRetentionActivities } from '../../../../activities/retention/retention-activities.js';
import { openStore } from '../../../../store/open-store.js';
import { digestWorkflow } from '../../../../workflows/digest/index.js';
import { retentionPurgeWorkflow } from '../../../../workflows/retention/index.js';
import { recordingChat } from '../../../activities/digest/recording-chat.js';
import { buildSeed, seedStore, testProtocol } from '../../../activities/digest/seed.js';
import { createTestEnv } from '../../../support/temporal.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const { temporal } = proto;

async function save(handle: WorkflowHandle, file: string): Promise<void> {
  const history = await handle.fetchHistory();
  // protobufjs' own object form, as tests/histories does (see its recorder for why).
  const json = temporal.api.history.v1.History.toObject(history as proto.temporal.api.history.v1.History, {
    longs: String,
    enums: String,
    bytes: String,
  });
  // Formatted as the repository's prettier would, so `npm run format:check` passes.
  const text = await format(JSON.stringify(json), { parser: 'json', printWidth: 110 });
  await writeFile(join(HERE, file), text);
  console.log(`${file}: ${history.events?.length ?? 0} events`);
}

async function main(): Promise<void> {
  const env = await createTestEnv();
  const store = await openStore({
    dataDir: 'memory://',
    secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) },
  });
  try {
    await seedStore(store, buildSeed(80, 42));
    const protocol = testProtocol();
    const chat = recordingChat();
    const clock = () => new Date('2026-12-01T08:00:00Z');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'record-digest',
      workflowsPath: fileURLToPath(new URL('../workflows.ts', import.meta.url)),
      activities: {
        ...createDigestActivities({ store, chat: chat.port, protocol, clock }),
        ...createRetentionActivities({ store, protocol, clock }),
      },
    });
    await worker.runUntil(async () => {
      const weekly = await env.client.workflow.start(digestWorkflow, {
        taskQueue: 'record-digest',
        workflowId: 'record-digest-weekly',
        args: [{ kind: 'weekly', asOf: '2026-03-30T07:00:00Z' }],
      });
      await weekly.result();
      await save(weekly, 'digest-weekly.json');
      const purge = await env.client.workflow.start(retentionPurgeWorkflow, {
        taskQueue: 'record-digest',
        workflowId: 'record-retention-purge',
      });
      await purge.result();
      await save(purge, 'retention-purge.json');
    });
  } finally {
    await store.close();
    await env.teardown();
  }
}

await main();
