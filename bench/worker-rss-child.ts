/**
 * The worker process for bench/worker-rss.ts: the production worker (`createWorker` from
 * runtime/worker.ts with the real activities, the payload codec, the recovery settings and a
 * Temporal client for the watchdog, as `runtime/main.ts --worker` builds it) in a process of its
 * own, so its RSS is the worker's alone. Not started by hand: the bench spawns it with
 * `node --expose-gc --import tsx` and an IPC channel, and passes everything in the environment:
 *
 *   BENCH_TEMPORAL_ADDRESS, BENCH_TASK_QUEUE, BENCH_DATABASE_URL, BENCH_DB_SCHEMA,
 *   BENCH_SLACK_API_URL, BENCH_PAYLOAD_KEY, BENCH_DATA_KEY, BENCH_PSEUDONYM_KEY (hex),
 *   BENCH_TUNING (JSON: the bench's own worker settings, `tuning` of createWorker; {} = the
 *   production settings).
 *
 * The protocol is the shipped example (Slack only), whose ladder's first step is 30 min away, with
 * the shift handover and the overnight step off, so no timer fires during a run and every request
 * opened stays open. Messages from the bench: 'gc' (collect garbage, answer with the process's
 * memory). It says { ready: true } once the worker is polling.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createSlackChatPort } from '../bots/slack/chat-port.js';
import type { Protocol } from '../domain/protocol.js';
import { ChatRouter } from '../runtime/chat-router.js';
import { createLogger, temporalLoggerFor } from '../runtime/logger.js';
import { EncryptionCodec } from '../runtime/payload-codec.js';
import { dataConverterFor } from '../runtime/temporal-connection.js';
import { createWorker, type WorkerTuning } from '../runtime/worker.js';
import { openStore } from '../store/open-store.js';
import { testProtocol } from '../tests/bots/slack/support/protocol.js';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (this process is started by bench/worker-rss.ts)`);
  return v;
}

/** The example protocol with nothing due within a run: the requests stay open and quiet. */
export function quietProtocol(): Protocol {
  const p = testProtocol({ slackOnly: true });
  return {
    ...p,
    shiftHandover: { ...p.shiftHandover, enabled: false },
    ladder: {
      ...p.ladder,
      ...(p.ladder.overnight ? { overnight: { ...p.ladder.overnight, enabled: false } } : {}),
    },
  };
}

async function main(): Promise<void> {
  const log = createLogger({ name: 'bench-worker', level: 'warn', format: 'json' });
  Runtime.install({ logger: temporalLoggerFor(log) });
  const address = env('BENCH_TEMPORAL_ADDRESS');
  const codec = new EncryptionCodec(Buffer.from(env('BENCH_PAYLOAD_KEY'), 'hex'));
  const protocol = quietProtocol();
  const store = await openStore({
    databaseUrl: env('BENCH_DATABASE_URL'),
    schema: env('BENCH_DB_SCHEMA'),
    secrets: {
      dataKey: Buffer.from(env('BENCH_DATA_KEY'), 'hex'),
      pseudonymKey: Buffer.from(env('BENCH_PSEUDONYM_KEY'), 'hex'),
    },
  });
  const client = new Client({
    connection: await Connection.connect({ address }),
    namespace: 'default',
    dataConverter: dataConverterFor(codec),
  });
  const chat = new ChatRouter({
    slack: createSlackChatPort({
      token: 'xoxb-bench',
      apiUrl: env('BENCH_SLACK_API_URL'),
      log,
      timeZone: protocol.force.timeZone,
    }),
  });
  const tuning = JSON.parse(process.env.BENCH_TUNING ?? '{}') as Partial<WorkerTuning>;
  const connection = await NativeConnection.connect({ address });
  const worker = await createWorker({
    connection,
    namespace: 'default',
    taskQueue: env('BENCH_TASK_QUEUE'),
    protocol,
    store,
    chat,
    codec,
    log,
    client,
    tuning,
  });
  process.on('message', (m: unknown) => {
    if (m !== 'gc') return;
    global.gc?.();
    process.send?.({ memory: process.memoryUsage() });
  });
  const stop = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  const running = worker.run();
  // The worker is polling once its state says so.
  while (worker.getState() !== 'RUNNING') await new Promise((r) => setTimeout(r, 20));
  process.send?.({ ready: true });
  await running;
  await connection.close();
  await client.connection.close();
  await store.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
