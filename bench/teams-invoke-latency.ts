/**
 * Benchmark, not a test: how long an `adaptiveCard/action` invoke takes to return (Teams allows
 * 5 seconds) while many bed requests are open.
 *
 *   npx tsx bench/teams-invoke-latency.ts [open=200] [concurrency=10]
 *
 * Runs the real stack in one process: the Teams bot (emulator mode) on loopback, a Temporal
 * time-skipping test server with a worker running the bed-request workflow and the real
 * activities, the PGlite records store in memory, and the Teams chat port posting to a sink that
 * answers like the Bot Connector. It opens `open` requests through the bot (form submissions),
 * waits until every workflow has registered, then times, per request, a Refresh invoke (a query)
 * and an Acknowledge invoke (query, role × state pre-check, signal, card), `concurrency` at a time.
 *
 * The floor, in the same run: the same adapter and HTTP server (bots/teams/http-server.ts) in
 * emulator mode with a turn that answers the invoke at once with a fixed card, invoked right after
 * each Acknowledge. Figures print with `uptime`'s load; the table is appended to docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TurnContext } from 'botbuilder';
import { createTeamsAdapter } from '../bots/teams/adapter.js';
import { createMessagesServer } from '../bots/teams/http-server.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { bedRequestWorkflowId } from '../domain/bed-request.js';
import { createBedRequestClient } from '../runtime/bed-request-client.js';
import { loadProtocol } from '../runtime/config.js';
import { createLogger } from '../runtime/logger.js';
import { WORKFLOWS_PATH } from '../runtime/worker.js';
import { openStore } from '../store/open-store.js';
import { findOrInstallTestServer } from '../temporal-dev/test-server.js';
import { createDesk } from '../desk/index.js';
import { createTeamsBot, createTeamsChatPort } from '../bots/teams/index.js';

const [open = 200, concurrency = 10] = process.argv.slice(2).map(Number);
const TASK_QUEUE = 'teams-bench';
const SERGEANT = {
  id: '29:sergeant',
  aadObjectId: '00000000-0000-0000-0000-00000000000a',
  name: 'Sgt Example',
};
const RESPONDER = {
  id: '29:responder',
  aadObjectId: '00000000-0000-0000-0000-00000000000b',
  name: 'Duty social worker',
};
const TENANT = 'bench-tenant';

/** Answers every Bot Connector call with 201 and a fresh ID, counting them. */
function startSink(): Promise<{ server: Server; url: string; calls: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n += 1;
      res.writeHead(req.method === 'PUT' ? 200 : 201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `m${n}` }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, calls: () => n }),
    ),
  );
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
}

const load = () => {
  try {
    return /load average: (.*)$/.exec(execFileSync('uptime', { encoding: 'utf8' }).trim())?.[1] ?? '?';
  } catch {
    return '?';
  }
};

/** The floor: botbuilder's adapter and the bot's HTTP server, with a turn that only answers. */
async function floorServer(
  log: ReturnType<typeof createLogger>,
): Promise<{ url: string; close: () => void }> {
  const adapter = createTeamsAdapter({ auth: { mode: 'emulator' } }, {}, log);
  const server = createMessagesServer({
    adapter,
    log,
    run: async (context: TurnContext) => {
      await context.sendActivity({
        type: 'invokeResponse',
        value: {
          status: 200,
          body: {
            statusCode: 200,
            type: 'application/vnd.microsoft.card.adaptive',
            value: { type: 'AdaptiveCard' },
          },
        },
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/messages`, close: () => server.close() };
}

function summary(name: string, xs: number[]): string {
  const f = (v: number) => `${v.toFixed(1)} ms`.padStart(10);
  return `${name.padEnd(24)} n=${String(xs.length).padEnd(5)} p50 ${f(pct(xs, 50))}  p95 ${f(pct(xs, 95))}  p99 ${f(pct(xs, 99))}  max ${f(Math.max(...xs))}`;
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function main(): Promise<void> {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
  });
  const log = createLogger({ level: 'error', name: 'teams-bench' });
  const protocol = loadProtocol({});
  const sink = await startSink();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: await findOrInstallTestServer() } },
  });
  const store = await openStore({
    dataDir: 'memory://',
    secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) },
  });
  const bedRequests = createBedRequestClient(env.client, {
    taskQueue: TASK_QUEUE,
    actionClock: () => env.currentTimeMs(),
  });
  const desk = createDesk({ protocol, bedRequests, store, log });
  const bot = createTeamsBot({ protocol, desk, conversations: store, env: { TEAMS_HOST: '127.0.0.1' }, log });
  const chat = createTeamsChatPort({ adapter: bot.adapter, store, log, zone: protocol.force.timeZone });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities({ chat, store, protocol: () => protocol, log }),
    maxConcurrentActivityTaskExecutions: 50,
  });
  const running = worker.run();
  const { port } = await bot.start(0);
  const url = `http://127.0.0.1:${port}/api/messages`;

  let seq = 0;
  const activity = (
    from: typeof SERGEANT,
    conversation: Record<string, unknown>,
    extra: Record<string, unknown>,
  ) => ({
    id: `bench:${++seq}`,
    channelId: 'msteams',
    serviceUrl: sink.url,
    from,
    recipient: { id: '28:concordat', name: 'Concordat' },
    conversation: { tenantId: TENANT, ...conversation },
    channelData: { tenant: { id: TENANT } },
    ...extra,
  });
  const send = async (body: unknown, to = url): Promise<{ ms: number; status: number; text: string }> => {
    const t = performance.now();
    const res = await fetch(to, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { ms: performance.now() - t, status: res.status, text };
  };
  const invoke = (
    from: typeof SERGEANT,
    conversation: Record<string, unknown>,
    verb: string,
    data: Record<string, unknown>,
  ) =>
    send(
      activity(from, conversation, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb, data } },
      }),
    );

  // Install where the example protocol's Teams destinations point, and the sergeant's 1:1.
  for (const channel of [
    '19:custody-northampton@thread.tacv2',
    '19:duty-west@thread.tacv2',
    '19:edt@thread.tacv2',
  ]) {
    await send(
      activity(
        RESPONDER,
        { id: channel, conversationType: 'channel', isGroup: true },
        {
          type: 'conversationUpdate',
          membersAdded: [{ id: '28:concordat' }],
          channelData: { tenant: { id: TENANT }, team: { id: channel }, channel: { id: channel } },
        },
      ),
    );
  }
  const sergeantChat = { id: 'a:personal-sergeant', conversationType: 'personal' };
  await send(activity(SERGEANT, sergeantChat, { type: 'installationUpdate', action: 'add' }));

  // Open the requests.
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const records = Array.from({ length: open }, (_, i) =>
    `BENCH-${Date.now().toString(36)}-${i}`.toUpperCase(),
  );
  const t0 = performance.now();
  const submits: number[] = [];
  await inBatches(records, concurrency, async (record) => {
    const r = await invoke(SERGEANT, sergeantChat, 'bedrequest.submit', {
      custodyRecordNumber: record,
      custodySuiteId: 'northampton-cjc',
      pncId: '13/123456A',
      age: '15',
      homeLocalAuthorityId: 'west-northamptonshire',
      chargedDate: day(-1),
      chargedTime: '21:40',
      bailRefusalGround: 'commit_offence',
      courtDate: day(1),
      courtTime: '10:00',
      accommodation: 'non_secure',
    });
    if (!r.text.includes('Request sent'))
      throw new Error(`submit failed: ${r.status} ${r.text.slice(0, 200)}`);
    submits.push(r.ms);
  });
  const ids = records.map((r) => bedRequestWorkflowId('northampton-cjc', r));
  for (;;) {
    const views = await Promise.all(ids.map((id) => bedRequests.view(id)));
    if (views.every((v) => v !== null)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`${open} requests open and registered in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const channel = { id: '19:edt@thread.tacv2', conversationType: 'channel', isGroup: true };
  await inBatches(ids.slice(0, 10), 5, async (workflowId) => {
    await invoke(RESPONDER, channel, 'refresh', { workflowId, audience: 'responder' }); // warm-up
  });
  const refreshes: number[] = [];
  await inBatches(ids, concurrency, async (workflowId) => {
    const r = await invoke(RESPONDER, channel, 'refresh', { workflowId, audience: 'responder' });
    if (r.status !== 200) throw new Error(`refresh failed: ${r.status}`);
    refreshes.push(r.ms);
  });
  const acks: number[] = [];
  const floorAcks: number[] = [];
  const floor = await floorServer(log);
  await inBatches(ids, concurrency, async (workflowId) => {
    const r = await invoke(RESPONDER, channel, 'acknowledge', { workflowId, audience: 'responder' });
    if (!r.text.includes('Acknowledge: done.'))
      throw new Error(`acknowledge failed: ${r.status} ${r.text.slice(0, 200)}`);
    acks.push(r.ms);
    const f = await send(
      activity(RESPONDER, channel, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'acknowledge', data: { workflowId } } },
      }),
      floor.url,
    );
    if (f.status !== 200) throw new Error(`floor invoke failed: ${f.status}`);
    floorAcks.push(f.ms);
  });
  floor.close();

  console.log(
    `invoke round trip over HTTP, ${concurrency} at a time, ${open} requests open (Teams allows 5000 ms):`,
  );
  console.log(summary('bedrequest.submit', submits));
  console.log(summary('refresh (query)', refreshes));
  console.log(summary('acknowledge (signal)', acks));
  console.log(`${summary('floor (bare adapter, answers at once)', floorAcks)} (load ${load()})`);
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  appendFileSync(
    fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url)),
    [
      '',
      `### teams-invoke-latency, ${new Date().toISOString()} (\`npx tsx bench/teams-invoke-latency.ts ${open} ${concurrency}\`, time-skipping test server)`,
      '',
      '| invoke, ' + `${open} open, ${concurrency} at a time | p50 | p99 | load (1, 5, 15 min) |`,
      '|---|---|---|---|',
      `| bedrequest.submit | ${ms(pct(submits, 50))} | ${ms(pct(submits, 99))} | ${load()} |`,
      `| refresh (query) | ${ms(pct(refreshes, 50))} | ${ms(pct(refreshes, 99))} | ${load()} |`,
      `| acknowledge (signal; Teams allows 5 s) | ${ms(pct(acks, 50))} | ${ms(pct(acks, 99))} | ${load()} |`,
      `| floor: bare adapter, same HTTP server, answers at once | ${ms(pct(floorAcks, 50))} | ${ms(pct(floorAcks, 99))} | ${load()} |`,
      '',
    ].join('\n'),
  );
  console.log(`Bot Connector calls made by the workflows: ${sink.calls()}`);

  await bot.stop();
  worker.shutdown();
  await running;
  await env.teardown();
  await store.close();
  sink.server.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
