/**
 * Benchmark, not a test:
 *   npx tsx bench/worker-rss.ts [open=1000] [startConcurrency=20] [ackConcurrency=20]
 *   BENCH_TUNINGS='default;cache=200;cache=500' (the default) BENCH_BUDGET_S=600
 *
 * The worker's RSS with `open` requests open, the worker's process alone. For each worker setting
 * in BENCH_TUNINGS (the bench's own options, passed to createWorker as `tuning`; `default` is the
 * production settings), one after another on the same Temporal dev server and Postgres:
 *
 * 1. spawns bench/worker-rss-child.ts: the production worker, its real activities and the payload
 *    codec, in a process of its own on its own task queue and schema, posting to a fake Slack Web
 *    API served by this process;
 * 2. samples the child's VmRSS (/proc/<pid>/status, after a full GC in the child) when it is ready;
 * 3. opens `open` requests (the bed-request client's start, `startConcurrency` at a time and at
 *    most 100 without their responder card yet), printing progress every 100; the ladder's first
 *    step is 30 min away, so they stay open;
 * 4. once the fake Slack has been quiet for 3 s, samples the RSS again (idle);
 * 5. sends an Acknowledge to each open request (`ackConcurrency` at a time) and times each from
 *    the signal to the responder card's chat.update at the fake: p50 and p99;
 * 6. samples the RSS once more (after a signal to each), and the peak (VmHWM).
 *
 * Postgres: DATABASE_URL_TEST or DATABASE_URL, else Debian's server started for the run
 * (bench/support/postgres.ts). Each phase stops at BENCH_BUDGET_S seconds and the table says how
 * far it got. The table, with `uptime`'s load, is printed and appended to docs/benchmarks.md
 * (BENCH_APPEND=0: printed only, for a trial run).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bedRequestWorkflowId } from '../domain/bed-request.js';
import { createBedRequestClient } from '../runtime/bed-request-client.js';
import { EncryptionCodec } from '../runtime/payload-codec.js';
import { dataConverterFor } from '../runtime/temporal-connection.js';
import { WORKFLOWS_PATH } from '../runtime/worker.js';
import { cachedWorkflowBundle } from '../runtime/workflow-bundle.js';
import { findFreePort, startDevServer } from '../temporal-dev/dev-server.js';
import { startFakeSlackWebApi } from '../tests/fakes/slack/web-api-server.js';
import { USERS } from '../tests/bots/slack/support/protocol.js';
import { bedRequest } from '../tests/support/workflow-harness.js';
import { benchPostgres } from './support/postgres.js';
import { parseTunings, type NamedTuning } from './support/tunings.js';

const [open = 1000, startConcurrency = 20, ackConcurrency = 20] = process.argv.slice(2).map(Number);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_S ?? 600) * 1000;
const STALL_MS = 120_000;
const WINDOW = 100; // requests started whose responder card has not been posted yet, at most
const TABLE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const CHILD = fileURLToPath(new URL('./worker-rss-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : '–');
const mib = (kib: number) => (Number.isFinite(kib) ? `${(kib / 1024).toFixed(0)} MiB` : '–');
const load = () => {
  try {
    return /load average: (.*)$/.exec(execFileSync('uptime', { encoding: 'utf8' }).trim())?.[1] ?? '?';
  } catch {
    return '?';
  }
};
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const say = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

/** VmRSS and VmHWM of a process, in KiB, from /proc/<pid>/status. */
function procMemory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/** A custody record number found nowhere else on the cards (uppercase, as the schema stores it). */
const newRecord = () => `BN${randomBytes(6).toString('hex').toUpperCase()}`;
function request(record: string) {
  const now = Date.now();
  const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
  return bedRequest({ custodyRecordNumber: record, chargedAt: at(-5), nextCourtSitting: at(12 * 60) });
}

interface Row {
  name: string;
  opened: number;
  cards: number;
  openSeconds: number;
  rssReady: number;
  rssIdle: number;
  rssAfter: number;
  hwm: number;
  acks: number;
  ackP50: number;
  ackP99: number;
  loads: { ready: string; idle: string; after: string };
  note: string;
}

/** The worker child, with its IPC: ready, and memory after a GC on request. */
class WorkerChild {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  private exited = false;
  private readonly waiters: Array<() => void> = [];

  constructor(
    env: NodeJS.ProcessEnv,
    readonly logFile: string,
  ) {
    const out = createWriteStream(logFile);
    this.child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child.stdout?.pipe(out);
    this.child.stderr?.pipe(out);
    this.ready = new Promise((resolve, reject) => {
      this.child.on('message', (m: unknown) => {
        if (typeof m === 'object' && m !== null && 'ready' in m) resolve();
        if (typeof m === 'object' && m !== null && 'memory' in m) this.waiters.shift()?.();
      });
      this.child.once('exit', (code, signal) => {
        this.exited = true;
        reject(
          new Error(`the worker child exited (${signal ?? code ?? '?'}) before it was ready; see ${logFile}`),
        );
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Full GC in the child, then its VmRSS and VmHWM. */
  async memory(): Promise<{ rss: number; hwm: number }> {
    if (this.exited) return { rss: NaN, hwm: NaN };
    await new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      this.child.send('gc');
    });
    await sleep(200);
    return procMemory(this.pid);
  }

  async stop(): Promise<void> {
    if (this.exited || this.child.exitCode !== null) return;
    const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await gone;
    clearTimeout(timer);
  }
}

async function main() {
  const tunings = parseTunings(process.env.BENCH_TUNINGS ?? 'default;cache=200;cache=500', 'default');
  const dir = mkdtempSync(join(tmpdir(), 'concordat-bench-rss-'));
  const pg = await benchPostgres(say);
  // Persisted to a file, as in production and the crash suite; its output kept beside the logs.
  const devLog = createWriteStream(join(dir, 'dev-server.log'));
  const dev = await startDevServer({
    dbFile: join(dir, 'temporal.db'),
    port: await findFreePort(),
    headless: true,
    reuseExisting: false,
    log: (line) => devLog.write(`${new Date().toISOString()} ${line}\n`),
  });
  const api = await startFakeSlackWebApi();
  const keys = { payload: randomBytes(32), data: randomBytes(32), pseudonym: randomBytes(32) };
  const codec = new EncryptionCodec(keys.payload);
  const client = new Client({
    connection: await Connection.connect({ address: dev.address }),
    namespace: 'default',
    dataConverter: dataConverterFor(codec),
  });

  // Every responder card (by custody record) and every update (by channel/ts) as it reaches the fake.
  const posted = new Map<string, { channel: string; ts: string }>();
  const updated = new Map<string, number>();
  const updateWaiters = new Map<string, () => void>();
  let lastCall = Date.now();
  api.onCall((c) => {
    lastCall = Date.now();
    if (c.method === 'chat.postMessage' && c.ok && !c.args.thread_ts) {
      if (!/^Bed request .* for .+: /.test(String(c.args.text))) return;
      const record = /BN[0-9A-F]{12}/.exec(JSON.stringify(c.args.blocks ?? c.args.text))?.[0];
      const ts = typeof c.response?.ts === 'string' ? c.response.ts : '';
      if (record && !posted.has(record)) posted.set(record, { channel: String(c.args.channel), ts });
    }
    if (c.method === 'chat.update' && c.ok) {
      const key = `${String(c.args.channel)}/${String(c.args.ts)}`;
      updated.set(key, Date.now());
      updateWaiters.get(key)?.();
    }
  });
  const quiet = async (forMs: number, maxMs: number) => {
    const until = Date.now() + maxMs;
    while (Date.now() - lastCall < forMs && Date.now() < until) await sleep(200);
  };

  // The workflow bundle built here, once: a child that had to run webpack itself would carry its
  // heap in the figures (a child still does when the sources change during the run: noted).
  await cachedWorkflowBundle({ workflowsPath: WORKFLOWS_PATH });
  const rows: Row[] = [];
  const started = new Date().toISOString();
  say(
    `worker RSS bench: ${open} open, settings ${tunings.map((t) => t.name).join(' | ')}; Temporal ${dev.address}; ${pg.source}; logs in ${dir}`,
  );
  try {
    for (const t of tunings) rows.push(await oneSetting(t));
  } finally {
    const lines = table(rows, started);
    console.log(lines.join('\n'));
    if (rows.length && process.env.BENCH_APPEND !== '0') appendFileSync(TABLE, `${lines.join('\n')}\n`);
    await client.connection.close();
    await api.close();
    await dev.stop();
    await pg.stop();
  }

  async function oneSetting(t: NamedTuning): Promise<Row> {
    const queue = `bench-rss-${randomUUID()}`;
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const child = new WorkerChild(
      {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TZ: 'UTC',
        NODE_ENV: 'development',
        BENCH_TEMPORAL_ADDRESS: dev.address,
        BENCH_TASK_QUEUE: queue,
        BENCH_DATABASE_URL: pg.url,
        BENCH_DB_SCHEMA: schema,
        BENCH_SLACK_API_URL: api.url,
        BENCH_PAYLOAD_KEY: keys.payload.toString('hex'),
        BENCH_DATA_KEY: keys.data.toString('hex'),
        BENCH_PSEUDONYM_KEY: keys.pseudonym.toString('hex'),
        BENCH_TUNING: JSON.stringify(t.tuning),
      },
      join(dir, `worker-${t.name.replace(/[^a-z0-9=]+/gi, '_')}.log`),
    );
    const notes: string[] = [];
    try {
      await child.ready;
      if (/Workflow bundle created|bundle built/.test(readFileSync(child.logFile, 'utf8')))
        notes.push('the child built the workflow bundle itself (webpack in its heap): the sources changed');
      const ready = await child.memory();
      const loadReady = load();
      say(`[${t.name}] worker pid ${child.pid} ready: RSS ${mib(ready.rss)} (load ${loadReady})`);
      const requests = createBedRequestClient(client, { taskQueue: queue });

      // Open: `startConcurrency` starts at a time, never more than WINDOW ahead of the cards.
      const records: string[] = [];
      const t0 = Date.now();
      const deadline = t0 + BUDGET_MS;
      const cardsOf = () => records.filter((r) => posted.has(r)).length;
      let said = 0;
      let cards = 0;
      // No new card for STALL_MS: the worker or the server has stopped; say so and stop waiting.
      let progressAt = Date.now();
      let lastCards = 0;
      const stalled = () => {
        if (cards !== lastCards) [lastCards, progressAt] = [cards, Date.now()];
        return Date.now() - progressAt > STALL_MS;
      };
      while (records.length < open && Date.now() < deadline && !stalled()) {
        cards = cardsOf();
        if (records.length - cards >= WINDOW) {
          await sleep(50);
          continue;
        }
        const batch = Array.from({ length: Math.min(startConcurrency, open - records.length) }, newRecord);
        await Promise.all(batch.map((r) => requests.start(request(r), new Date().toISOString())));
        records.push(...batch);
        if (Math.floor(records.length / 100) > said) {
          said = Math.floor(records.length / 100);
          say(
            `[${t.name}] ${records.length} started, ${cards} cards posted (${((Date.now() - t0) / 1000).toFixed(0)} s, load ${load()})`,
          );
        }
      }
      while ((cards = cardsOf()) < records.length && Date.now() < deadline && !stalled()) await sleep(100);
      if (stalled()) notes.push(`no new card for ${STALL_MS / 1000} s: stopped waiting (see the logs)`);
      const openSeconds = (Date.now() - t0) / 1000;
      say(`[${t.name}] ${records.length} started, ${cards} cards posted in ${openSeconds.toFixed(0)} s`);
      if (cards < open)
        notes.push(`opening stopped at the ${BUDGET_MS / 1000} s budget: ${cards} of ${open} cards`);
      await quiet(3_000, 60_000);
      const idle = await child.memory();
      const loadIdle = load();
      say(`[${t.name}] idle with ${cards} open: RSS ${mib(idle.rss)} (load ${loadIdle})`);

      // Acknowledge each: signal → the responder card's chat.update at the fake.
      const latencies: number[] = [];
      const targets = records.filter((r) => posted.has(r));
      const a0 = Date.now();
      const ackDeadline = a0 + BUDGET_MS;
      let next = 0;
      let failed = 0;
      const one = async (record: string) => {
        const card = posted.get(record);
        if (!card) return;
        const key = `${card.channel}/${card.ts}`;
        const before = updated.get(key);
        const changed = new Promise<void>((resolve) => updateWaiters.set(key, resolve));
        const t1 = Date.now();
        try {
          await requests.act(bedRequestWorkflowId('northampton-cjc', record), {
            actionId: randomUUID(),
            actor: { platform: 'slack', userId: USERS.responder.id, displayName: USERS.responder.name },
            action: { kind: 'acknowledge' },
          });
        } catch {
          failed++;
          updateWaiters.delete(key);
          return;
        }
        const timeout = sleep(60_000).then(() => 'timeout' as const);
        const r = await Promise.race([changed.then(() => 'ok' as const), timeout]);
        updateWaiters.delete(key);
        if (r === 'ok' && updated.get(key) !== before) latencies.push((updated.get(key) ?? NaN) - t1);
        else failed++;
        if ((latencies.length + failed) % 100 === 0)
          say(
            `[${t.name}] ${latencies.length + failed} acknowledged (${((Date.now() - a0) / 1000).toFixed(0)} s, p99 so far ${ms(pct(latencies, 99))}, load ${load()})`,
          );
      };
      await Promise.all(
        Array.from({ length: ackConcurrency }, async () => {
          while (next < targets.length && Date.now() < ackDeadline) {
            const record = targets[next++];
            if (record) await one(record);
          }
        }),
      );
      if (latencies.length + failed < targets.length)
        notes.push(`Acknowledge stopped at the budget: ${latencies.length + failed} of ${targets.length}`);
      if (failed)
        notes.push(`${failed} Acknowledge signals failed or their card update was not seen within 60 s`);
      await quiet(3_000, 60_000);
      const after = await child.memory();
      const loadAfter = load();
      say(
        `[${t.name}] after ${latencies.length} acknowledgements: RSS ${mib(after.rss)}, peak ${mib(after.hwm)}; Acknowledge → card p50 ${ms(pct(latencies, 50))}, p99 ${ms(pct(latencies, 99))} (load ${loadAfter})`,
      );
      return {
        name: t.name,
        opened: records.length,
        cards,
        openSeconds,
        rssReady: ready.rss,
        rssIdle: idle.rss,
        rssAfter: after.rss,
        hwm: after.hwm,
        acks: latencies.length,
        ackP50: pct(latencies, 50),
        ackP99: pct(latencies, 99),
        loads: { ready: loadReady, idle: loadIdle, after: loadAfter },
        note: notes.join('; '),
      };
    } finally {
      await child.stop();
    }
  }

  function table(rs: Row[], at: string): string[] {
    return [
      '',
      `### worker-rss, ${at} (\`npx tsx bench/worker-rss.ts ${open} ${startConcurrency} ${ackConcurrency}\`, BENCH_TUNINGS='${tunings.map((t) => t.name).join(';')}'; the worker in its own process, ${pg.source}, Temporal dev server)`,
      '',
      '| worker setting | open (cards posted) | RSS ready, none open | RSS idle with them open | RSS after an Acknowledge to each | peak RSS | Acknowledge → card update p50 / p99 | load at ready / idle / after (1, 5, 15 min) | note |',
      '|---|---|---|---|---|---|---|---|---|',
      ...rs.map(
        (r) =>
          `| ${r.name} | ${r.cards} of ${open}${r.opened > r.cards ? ` (${r.opened} started)` : ''} in ${r.openSeconds.toFixed(0)} s | ${mib(r.rssReady)} | ${mib(r.rssIdle)} | ${mib(r.rssAfter)} | ${mib(r.hwm)} | ${ms(r.ackP50)} / ${ms(r.ackP99)} (${r.acks}) | ${r.loads.ready} / ${r.loads.idle} / ${r.loads.after} | ${r.note || '–'} |`,
      ),
    ];
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
