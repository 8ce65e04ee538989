/**
 * Benchmark, not a test:
 *   npx tsx bench/submit-to-card.ts [samples=40] [open=1000] [updates=100] [burst=1000]
 *   BENCH_TUNINGS='default;cache=200;cache=200,wfPolls=4,actPolls=4' npx tsx bench/submit-to-card.ts 30 0 0 0
 *
 * On a Temporal dev server (real time, its own SQLite in memory) and PGlite, with the production
 * worker (runtime/worker.ts: createWorker, the payload codec, the real activities) posting to a
 * fake Slack Web API on loopback through the real Slack chat port:
 *
 * 1. submit → responder card: the bed-request client's start to the responder card's
 *    chat.postMessage arriving at the fake Slack, one request at a time, interleaved with the
 *    floor: a bare workflow whose first activity makes one HTTP POST to the same fake, on the same
 *    server and worker settings. Printed side by side, with the ratio (goal: p99 within 1.5×).
 *    With BENCH_TUNINGS, once per worker setting, each with its own floor, in one run.
 * 2. with `open` requests open: the process's RSS (worker, PGlite, client and fake together) and
 *    the p99 from an Acknowledge signal to the responder card's chat.update, `updates` of them.
 * 3. burst: `burst` requests submitted at once; the time until every responder card is posted.
 *
 * Each figure is printed with `uptime`'s load beside it, and the table is appended to
 * docs/benchmarks.md. The machine is shared: compare the figures within one run.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createSlackChatPort } from '../bots/slack/chat-port.js';
import { bedRequestWorkflowId } from '../domain/bed-request.js';
import type { Protocol } from '../domain/protocol.js';
import { createBedRequestClient, type BedRequestClient } from '../runtime/bed-request-client.js';
import { createLogger } from '../runtime/logger.js';
import { EncryptionCodec } from '../runtime/payload-codec.js';
import { dataConverterFor } from '../runtime/temporal-connection.js';
import {
  createWorker,
  PERFORMANCE_SETTINGS,
  RECOVERY_SETTINGS,
  type WorkerTuning,
} from '../runtime/worker.js';
import { openStore, type Store } from '../store/open-store.js';
import { parseTunings } from './support/tunings.js';
import { startFakeSlackWebApi, type FakeSlackWebApi } from '../tests/fakes/slack/web-api-server.js';
import { testProtocol, USERS } from '../tests/bots/slack/support/protocol.js';
import { createLocalTestEnv } from '../tests/support/temporal.js';
import { bedRequest } from '../tests/support/workflow-harness.js';
import type { FloorActivities } from './floor/floor-workflow.js';

const [samples = 40, open = 1000, updates = 100, burst = 1000] = process.argv.slice(2).map(Number);
const FLOOR_WORKFLOWS = fileURLToPath(new URL('./floor/floor-workflow.ts', import.meta.url));
const TABLE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const load = () => {
  try {
    return /load average: (.*)$/.exec(execFileSync('uptime', { encoding: 'utf8' }).trim())?.[1] ?? '?';
  } catch {
    return '?';
  }
};

/** When each responder card (by custody record) and each update (by channel/ts) reached the fake. */
function watchCards(api: FakeSlackWebApi) {
  const posted = new Map<string, { at: number; channel: string; ts: string }>();
  const updated = new Map<string, number>();
  const floor = new Map<string, number>();
  api.onCall((c) => {
    const now = Date.now();
    if (c.method === 'chat.postMessage' && c.ok && c.args.floor) {
      floor.set(typeof c.args.floor === 'string' ? c.args.floor : '', now);
      return;
    }
    if (c.method === 'chat.postMessage' && c.ok && !c.args.thread_ts) {
      const text = String(c.args.text);
      if (!/^Bed request .* for .+: /.test(text)) return;
      const record = /BN[0-9A-F]{12}/.exec(JSON.stringify(c.args.blocks ?? c.args.text))?.[0];
      const ts = typeof c.response?.ts === 'string' ? c.response.ts : '';
      if (record && !posted.has(record)) posted.set(record, { at: now, channel: String(c.args.channel), ts });
    }
    if (c.method === 'chat.update' && c.ok)
      updated.set(`${String(c.args.channel)}/${String(c.args.ts)}`, now);
  });
  return { posted, updated, floor };
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

interface Rig {
  env: TestWorkflowEnvironment;
  api: FakeSlackWebApi;
  cards: ReturnType<typeof watchCards>;
  store: Store;
  protocol: Protocol;
  requests: BedRequestClient;
  client: Client;
  codec: EncryptionCodec;
}

/** A custody record number found nowhere else on the cards (uppercase, as the schema stores it). */
const newRecord = () => `BN${randomBytes(6).toString('hex').toUpperCase()}`;

function request(record: string) {
  const now = Date.now();
  const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
  return bedRequest({ custodyRecordNumber: record, chargedAt: at(-5), nextCourtSitting: at(12 * 60) });
}

/**
 * BENCH_BEFORE=<dir>: a tree of an older commit (`git archive <commit> | tar -x -C <dir>`, with
 * node_modules linked in). Its production worker runs beside this one, on its own task queue, and
 * is sampled in the same lanes: before and after in one run, on one machine at one load.
 */
const BEFORE = process.env.BENCH_BEFORE;
type CreateWorker = typeof createWorker;
async function beforeCreateWorker(): Promise<CreateWorker | null> {
  if (!BEFORE) return null;
  const mod = (await import(`${BEFORE}/runtime/worker.ts`)) as { createWorker: CreateWorker };
  return mod.createWorker;
}

async function startWorkers(rig: Rig, tuning: Partial<WorkerTuning>) {
  const log = createLogger({ level: 'silent' });
  const chat = createSlackChatPort({
    token: 'xoxb-bench',
    apiUrl: rig.api.url,
    log,
    timeZone: rig.protocol.force.timeZone,
  });
  const queue = `bench-${randomUUID()}`;
  // The production worker's options; the older tree's worker (BENCH_BEFORE) gets the same.
  const production = (taskQueue: string) => ({
    connection: rig.env.nativeConnection,
    namespace: rig.env.namespace ?? 'default',
    taskQueue,
    protocol: rig.protocol,
    store: rig.store,
    chat,
    codec: rig.codec,
    log,
    tuning,
  });
  const concordat = await createWorker(production(queue));
  const floorQueue = `${queue}-floor`;
  const activities: FloorActivities = {
    async postCard(url, record) {
      const res = await fetch(`${url}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-bench' },
        body: JSON.stringify({ channel: 'C0FLOOR', text: 'floor', floor: record }),
      });
      await res.text();
    },
  };
  const floor = await Worker.create({
    connection: rig.env.nativeConnection,
    namespace: rig.env.namespace ?? 'default',
    taskQueue: floorQueue,
    workflowsPath: FLOOR_WORKFLOWS,
    activities,
    dataConverter: dataConverterFor(rig.codec),
    ...RECOVERY_SETTINGS,
    ...PERFORMANCE_SETTINGS,
    ...tuning,
  });
  const createBefore = await beforeCreateWorker();
  const beforeQueue = `${queue}-before`;
  const before = createBefore ? await createBefore(production(beforeQueue)) : null;
  const running = [concordat.run(), floor.run(), ...(before ? [before.run()] : [])];
  return {
    queue,
    floorQueue,
    beforeQueue: before ? beforeQueue : null,
    async stop() {
      concordat.shutdown();
      floor.shutdown();
      before?.shutdown();
      await Promise.allSettled(running);
    },
  };
}

async function submitToCard(rig: Rig, name: string, tuning: Partial<WorkerTuning>) {
  const w = await startWorkers(rig, tuning);
  const requests = createBedRequestClient(rig.client, { taskQueue: w.queue });
  const beforeRequests = w.beforeQueue
    ? createBedRequestClient(rig.client, { taskQueue: w.beforeQueue })
    : null;
  const concordat: number[] = [];
  const floor: number[] = [];
  const beforeTimes: number[] = [];
  let lastRecord = '';
  try {
    for (let i = -3; i < samples; i++) {
      // The older commit's worker, in the same lane (BENCH_BEFORE).
      if (beforeRequests) {
        const old = newRecord();
        const b0 = Date.now();
        await beforeRequests.start(request(old), new Date(b0).toISOString());
        await waitFor(() => rig.cards.posted.has(old), 30_000, `the before card for ${old}`);
        if (i >= 0) beforeTimes.push((rig.cards.posted.get(old)?.at ?? NaN) - b0);
      }
      // Concordat: the client's start to the responder card at the fake Slack.
      const record = newRecord();
      const t0 = Date.now();
      await requests.start(request(record), new Date(t0).toISOString());
      await waitFor(() => rig.cards.posted.has(record), 30_000, `the card for ${record}`);
      // The floor: the same server, a workflow whose one activity POSTs to the same fake.
      const f = `floor-${randomUUID()}`;
      const f0 = Date.now();
      await rig.client.workflow.start('floorWorkflow', {
        taskQueue: w.floorQueue,
        workflowId: f,
        args: [rig.api.url, f],
      });
      await waitFor(() => rig.cards.floor.has(f), 30_000, `the floor post ${f}`);
      lastRecord = record;
      if (i < 0) continue; // warm-up
      concordat.push((rig.cards.posted.get(record)?.at ?? NaN) - t0);
      floor.push((rig.cards.floor.get(f) ?? NaN) - f0);
    }
    if (process.env.BENCH_HISTORY)
      await printHistory(rig, bedRequestWorkflowId('northampton-cjc', lastRecord));
  } finally {
    await w.stop();
  }
  const row = {
    name,
    p50: pct(concordat, 50),
    p99: pct(concordat, 99),
    floorP50: pct(floor, 50),
    floorP99: pct(floor, 99),
    beforeP50: pct(beforeTimes, 50),
    beforeP99: pct(beforeTimes, 99),
    load: load(),
  };
  if (beforeTimes.length > 0)
    console.log(
      `[${name}] before (${BEFORE}) p50 ${ms(row.beforeP50)}, p99 ${ms(row.beforeP99)}; ratio to the floor p50 ${(row.beforeP50 / row.floorP50).toFixed(1)}×, p99 ${(row.beforeP99 / row.floorP99).toFixed(1)}×`,
    );
  console.log(
    `[${name}] submit → card p50 ${ms(row.p50)}, p99 ${ms(row.p99)}; floor p50 ${ms(row.floorP50)}, p99 ${ms(row.floorP99)}; ` +
      `ratio p50 ${(row.p50 / row.floorP50).toFixed(1)}×, p99 ${(row.p99 / row.floorP99).toFixed(1)}× (load ${row.load})`,
  );
  return row;
}

/** BENCH_HISTORY=1: the last request's history, each event's time from the start, to see the waits. */
async function printHistory(rig: Rig, workflowId: string): Promise<void> {
  const history = await rig.client.workflow.getHandle(workflowId).fetchHistory();
  type HistoryEvent = NonNullable<typeof history.events>[number];
  const t = (e: HistoryEvent | undefined) =>
    Number(e?.eventTime?.seconds ?? 0) * 1000 + Math.floor((e?.eventTime?.nanos ?? 0) / 1e6);
  const t0 = t(history.events?.[0]);
  for (const e of (history.events ?? []).slice(0, 40)) {
    const type = String(e.eventType).replace('EVENT_TYPE_', '');
    const name = e.activityTaskScheduledEventAttributes?.activityType?.name ?? '';
    console.log(`  ${String(t(e) - t0).padStart(5)} ms  #${String(e.eventId)} ${type} ${name}`);
  }
}

async function openMany(
  rig: Rig,
  requests: BedRequestClient,
  n: number,
  concurrency: number,
): Promise<string[]> {
  const records: string[] = [];
  for (let i = 0; i < n; i += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, n - i) }, () => newRecord());
    await Promise.all(batch.map((r) => requests.start(request(r), new Date().toISOString())));
    records.push(...batch);
  }
  await waitFor(() => records.every((r) => rig.cards.posted.has(r)), 30 * 60_000, 'every card');
  return records;
}

async function main() {
  const protocol = testProtocol({ slackOnly: true });
  const codec = new EncryptionCodec(randomBytes(32));
  const [env, api, store] = await Promise.all([
    createLocalTestEnv(),
    startFakeSlackWebApi(),
    openStore({ dataDir: 'memory://', secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) } }),
  ]);
  const client = new Client({
    connection: env.connection,
    namespace: env.namespace ?? 'default',
    dataConverter: dataConverterFor(codec),
  });
  const rig: Rig = {
    env,
    api,
    cards: watchCards(api),
    store,
    protocol,
    requests: createBedRequestClient(client, { taskQueue: 'unused' }),
    client,
    codec,
  };
  const lines: string[] = [];
  const started = new Date().toISOString();
  try {
    const tunings = parseTunings(process.env.BENCH_TUNINGS);
    lines.push(
      '',
      `### submit-to-card, ${started} (\`npx tsx bench/submit-to-card.ts ${samples} ${open} ${updates} ${burst}\`${process.env.BENCH_TUNINGS ? `, BENCH_TUNINGS='${process.env.BENCH_TUNINGS}'` : ''}${BEFORE ? `, BENCH_BEFORE=${BEFORE}` : ''})`,
    );
    // The submit → card table only when it has samples (a burst-only run has none).
    if (samples > 0)
      lines.push(
        '',
        `| worker setting | submit → card p50 | p99 | floor p50 | floor p99 | ratio p50 | ratio p99 (goal ≤ 1.5×) |${BEFORE ? ' before p50 / p99 | before ratio p50 / p99 |' : ''} load (1, 5, 15 min) |`,
        `|---|---|---|---|---|---|---|${BEFORE ? '---|---|' : ''}---|`,
      );
    for (const t of tunings) {
      if (samples <= 0) break;
      const r = await submitToCard(rig, t.name, t.tuning);
      lines.push(
        `| ${t.name} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.floorP50)} | ${ms(r.floorP99)} | ${(r.p50 / r.floorP50).toFixed(1)}× | ${(r.p99 / r.floorP99).toFixed(1)}× |${BEFORE ? ` ${ms(r.beforeP50)} / ${ms(r.beforeP99)} | ${(r.beforeP50 / r.floorP50).toFixed(1)}× / ${(r.beforeP99 / r.floorP99).toFixed(1)}× |` : ''} ${r.load} |`,
      );
    }

    if (open > 0 || burst > 0) {
      const first = tunings[tunings.length - 1] ?? { name: 'production', tuning: {} };
      const w = await startWorkers(rig, first.tuning);
      const requests = createBedRequestClient(client, { taskQueue: w.queue });
      try {
        lines.push('', `| with ${first.name} | figure | load |`, '|---|---|---|');
        const rssBefore = process.memoryUsage().rss;
        lines.push(`| RSS with none open | ${mib(rssBefore)} | ${load()} |`);
        if (open > 0) {
          const t0 = Date.now();
          const records = await openMany(rig, requests, open, 20);
          global.gc?.();
          const rssOpen = process.memoryUsage().rss;
          console.log(`${open} open in ${Date.now() - t0} ms; RSS ${mib(rssOpen)} (load ${load()})`);
          lines.push(
            `| RSS with ${open} open (worker, PGlite, client and fake Slack in one process) | ${mib(rssOpen)} | ${load()} |`,
          );
          // Acknowledge `updates` of them, 10 at a time: signal → the responder card's chat.update.
          const latencies: number[] = [];
          const targets = records.slice(0, updates);
          for (let i = 0; i < targets.length; i += 10) {
            await Promise.all(
              targets.slice(i, i + 10).map(async (record) => {
                const card = rig.cards.posted.get(record);
                if (!card) throw new Error(`no card for ${record}`);
                const key = `${card.channel}/${card.ts}`;
                const before = rig.cards.updated.get(key);
                const t = Date.now();
                await requests.act(bedRequestWorkflowId('northampton-cjc', record), {
                  actionId: randomUUID(),
                  actor: { platform: 'slack', userId: USERS.responder.id, displayName: USERS.responder.name },
                  action: { kind: 'acknowledge' },
                });
                await waitFor(() => rig.cards.updated.get(key) !== before, 60_000, `the update of ${record}`);
                latencies.push((rig.cards.updated.get(key) ?? NaN) - t);
              }),
            );
          }
          const rssAfter = process.memoryUsage().rss;
          console.log(
            `card update after Acknowledge, ${open} open: p50 ${ms(pct(latencies, 50))}, p99 ${ms(pct(latencies, 99))}; RSS ${mib(rssAfter)} (load ${load()})`,
          );
          if (latencies.length) {
            lines.push(
              `| Acknowledge → card updated, ${open} open, 10 at a time: p50 / p99 | ${ms(pct(latencies, 50))} / ${ms(pct(latencies, 99))} | ${load()} |`,
            );
            lines.push(`| RSS after ${latencies.length} acknowledgements | ${mib(rssAfter)} | ${load()} |`);
          }
        }
        if (burst > 0) {
          const records = Array.from({ length: burst }, () => newRecord());
          const t0 = Date.now();
          await Promise.all(records.map((r) => requests.start(request(r), new Date(t0).toISOString())));
          const submitted = Date.now() - t0;
          await waitFor(() => records.every((r) => rig.cards.posted.has(r)), 30 * 60_000, 'every burst card');
          const all = Math.max(...records.map((r) => rig.cards.posted.get(r)?.at ?? NaN)) - t0;
          console.log(
            `burst of ${burst}: all started in ${ms(submitted)}, every card posted after ${ms(all)} = ${(burst / (all / 1000)).toFixed(1)} requests/s (load ${load()})`,
          );
          lines.push(
            `| burst of ${burst} submitted at once: every responder card posted after | ${(all / 1000).toFixed(1)} s = ${(burst / (all / 1000)).toFixed(1)} requests/s | ${load()} |`,
          );
        }
      } finally {
        await w.stop();
      }
    }
  } finally {
    if (!existsSync(TABLE))
      writeFileSync(TABLE, '# Benchmarks\n\nTables appended by the programs in bench/; newest last.\n');
    appendFileSync(TABLE, `${lines.join('\n')}\n`);
    console.log(lines.join('\n'));
    await store.close();
    await api.close();
    await env.teardown();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
