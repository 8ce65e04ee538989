/**
 * Benchmark, not a test:
 *   npx tsx bench/slack-click-latency.ts [clicks=200] [open=500] [concurrency=20]
 *   BENCH_ENGINE=temporal npx tsx bench/slack-click-latency.ts 100 200 10
 *
 * Opens `open` requests through the real bot (signed form submissions over HTTP), then sends
 * `clicks` signed Acknowledge clicks on distinct requests, `concurrency` at a time, and prints the
 * p50/p99 time to the ack (HTTP response) and to the responder card's update reaching the fake
 * Slack (chat.update). The default engine is the in-process fake (measures the Slack edge alone);
 * BENCH_ENGINE=temporal runs the real workflow and activities on the time-skipping test server
 * with PGlite, so the second figure includes the signal, the workflow task and the activity.
 *
 * The floor, in the same run: a bare Bolt app on the same HTTP receiver and signing secret whose
 * Acknowledge handler only calls ack(), clicked right after each Concordat click. The figures are
 * printed side by side with `uptime`'s load, and the table is appended to docs/benchmarks.md.
 *
 * Before and after in the same run: BENCH_BEFORE=<dir> holding an older tree's bots/, desk/ and
 * domain/ (e.g. `git archive <commit> bots desk domain package.json | tar -x -C <dir>` and a
 * node_modules symlink) adds a second Concordat bot built from that tree, behind the same desk
 * and fake Slack, clicked in the same lanes on requests of its own (so `open` ≥ 2 × `clicks`);
 * the order of the three clicks in a lane is shuffled each time.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App } from '@slack/bolt';
import { createDesk } from '../desk/index.js';
import { createLogger } from '../runtime/logger.js';
import { ACTION_IDS, VIEW_IDS } from '../bots/slack/ids.js';
import type { createSlackBot } from '../bots/slack/index.js';
import { findFreePort } from '../temporal-dev/dev-server.js';
import { httpDriver } from '../tests/bots/slack/support/driver.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../tests/bots/slack/support/harness.js';
import { bedRequestWorkflowId } from '../domain/bed-request.js';
import { blockAction, viewSubmission } from '../tests/fakes/slack/payloads.js';
import { fakeEngine, requestForm, startSlackHarness } from '../tests/bots/slack/support/harness.js';
import { testProtocol, USERS } from '../tests/bots/slack/support/protocol.js';

const [clicks = 200, open = 500, concurrency = 20] = process.argv.slice(2).map(Number);
const useTemporal = process.env.BENCH_ENGINE === 'temporal';
const beforeDir = process.env.BENCH_BEFORE;
const beforeLabel = process.env.BENCH_BEFORE_LABEL ?? beforeDir ?? '';

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

const load = () => {
  try {
    return /load average: (.*)$/.exec(execFileSync('uptime', { encoding: 'utf8' }).trim())?.[1] ?? '?';
  } catch {
    return '?';
  }
};

/** The floor: Bolt's own HTTP receiver, the same signature check, a handler that only acks. */
async function floorApp(apiUrl: string) {
  const app = new App({
    signingSecret: SIGNING_SECRET,
    token: BOT_TOKEN,
    tokenVerificationEnabled: false,
    // Bolt asks auth.test once for its bot user: the same fake Slack answers it.
    clientOptions: { slackApiUrl: apiUrl },
  });
  app.action(ACTION_IDS.acknowledge, async ({ ack }) => {
    await ack();
  });
  const port = await findFreePort();
  await app.start(port);
  return {
    driver: httpDriver(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET),
    stop: () => app.stop(),
  };
}

/** The same bot from an older tree (BENCH_BEFORE), behind a desk on the same engine. */
async function beforeBot(h: Awaited<ReturnType<typeof harness>>) {
  if (!beforeDir) return undefined;
  const mod = (await import(`${beforeDir}/bots/slack/index.ts`)) as {
    createSlackBot: typeof createSlackBot;
  };
  const log = createLogger({ level: 'silent' });
  const desk = createDesk({ protocol: h.protocol, bedRequests: h.engine.client, store: h.engine.store, log });
  const bot = mod.createSlackBot({
    protocol: h.protocol,
    desk,
    env: {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: h.api.url,
      SLACK_HOST: '127.0.0.1',
    },
    log,
  });
  const port = await bot.start(0);
  return {
    driver: httpDriver(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET),
    stop: () => bot.stop(),
  };
}

/** Fisher–Yates, for the order of the clicks in a lane. */
function shuffled<T>(xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function harness() {
  if (!useTemporal) return startSlackHarness({ transport: 'http', engine: fakeEngine });
  const { temporalEngine } = await import('../tests/bots/slack/support/temporal-engine.js');
  return startSlackHarness({
    transport: 'http',
    engine: temporalEngine,
    protocol: testProtocol({ slackOnly: true }),
  });
}

async function main() {
  const h = await harness();
  const records: string[] = [];
  const t0 = Date.now();
  for (let i = 0; i < open; i += concurrency) {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, open - i) }, async () => {
        const fields = requestForm();
        await h.driver.interact(
          viewSubmission({ user: USERS.sergeant, callbackId: VIEW_IDS.bedRequest, fields }),
        );
        records.push((fields.custodyRecordNumber as { value: string }).value);
      }),
    );
  }
  console.log(`${open} submissions acked in ${Date.now() - t0} ms`);
  // Index responder cards by custody record, each message scanned once (the fake keeps them all).
  const cardOf = new Map<string, { channel: string; ts: string }>();
  let scanned = 0;
  await h.api.waitFor(
    () => {
      for (; scanned < h.api.messages.length; scanned++) {
        const m = h.api.messages[scanned];
        if (!m || m.threadTs || !/^Bed request .* for .+: /.test(m.text)) continue;
        const record = /NC-\d+-\d+/.exec(JSON.stringify(m.blocks))?.[0];
        if (record && !cardOf.has(record)) cardOf.set(record, { channel: m.channel, ts: m.ts });
      }
      return records.every((r) => cardOf.has(r));
    },
    600_000,
    'every responder card',
  );
  console.log(
    `${open} requests open in ${Date.now() - t0} ms (engine: ${useTemporal ? 'Temporal' : 'fake'})`,
  );

  const updatedAt = new Map<string, number>();
  h.api.onCall((c) => {
    if (c.method === 'chat.update' && c.ok)
      updatedAt.set(`${String(c.args.channel)}/${String(c.args.ts)}`, performance.now());
  });
  const acks: number[] = [];
  const floorAcks: number[] = [];
  const beforeAcks: number[] = [];
  const toCard: number[] = [];
  const floor = await floorApp(h.api.url);
  const before = await beforeBot(h);
  if (before && open < 2 * clicks) throw new Error('BENCH_BEFORE needs open ≥ 2 × clicks');
  const targets = records.slice(0, clicks);
  const beforeTargets = records.slice(clicks, 2 * clicks);
  const click = (workflowId: string, channel: string) =>
    blockAction({ user: USERS.responder, actionId: ACTION_IDS.acknowledge, value: workflowId, channel });
  for (let i = 0; i < targets.length; i += concurrency) {
    await Promise.all(
      targets.slice(i, i + concurrency).map(async (record, j) => {
        const card = cardOf.get(record);
        const key = `${card?.channel}/${card?.ts}`;
        const workflowId = bedRequestWorkflowId('northampton-cjc', record);
        let start = 0;
        const lane: Array<() => Promise<void>> = [
          async () => {
            start = performance.now();
            const reply = await h.driver.interact(click(workflowId, card?.channel ?? 'C0EDT'));
            acks.push(performance.now() - start);
            if (reply.status !== 200) throw new Error(`ack status ${reply.status}`);
          },
          async () => {
            const t = performance.now();
            const reply = await floor.driver.interact(click(workflowId, 'C0EDT'));
            floorAcks.push(performance.now() - t);
            if (reply.status !== 200) throw new Error(`floor ack status ${reply.status}`);
          },
        ];
        const other = beforeTargets[i + j];
        if (before && other) {
          const otherCard = cardOf.get(other);
          lane.push(async () => {
            const t = performance.now();
            const reply = await before.driver.interact(
              click(bedRequestWorkflowId('northampton-cjc', other), otherCard?.channel ?? 'C0EDT'),
            );
            beforeAcks.push(performance.now() - t);
            if (reply.status !== 200) throw new Error(`before ack status ${reply.status}`);
          });
        }
        for (const step of shuffled(lane)) await step();
        await h.api.waitFor(() => updatedAt.has(key), 60_000, 'card update');
        toCard.push((updatedAt.get(key) ?? start) - start);
      }),
    );
  }
  const fmt = (n: number) => `${n.toFixed(1)} ms`;
  console.log(`${targets.length} clicks, ${concurrency} at a time, ${open} requests open`);
  console.log(`time to ack:          p50 ${fmt(pct(acks, 50))}  p99 ${fmt(pct(acks, 99))}`);
  console.log(`time to card update:  p50 ${fmt(pct(toCard, 50))}  p99 ${fmt(pct(toCard, 99))}`);
  console.log(
    `floor (bare Bolt ack): p50 ${fmt(pct(floorAcks, 50))}  p99 ${fmt(pct(floorAcks, 99))}  (load ${load()})`,
  );
  if (before)
    console.log(`before (${beforeLabel}): p50 ${fmt(pct(beforeAcks, 50))}  p99 ${fmt(pct(beforeAcks, 99))}`);
  appendFileSync(
    fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url)),
    [
      '',
      `### slack-click-latency, ${new Date().toISOString()} (\`${useTemporal ? 'BENCH_ENGINE=temporal ' : ''}${before ? `BENCH_BEFORE=<${beforeLabel}> ` : ''}npx tsx bench/slack-click-latency.ts ${clicks} ${open} ${concurrency}\`)`,
      '',
      '| figure | p50 | p99 | load (1, 5, 15 min) |',
      '|---|---|---|---|',
      `| Concordat: click → ack, ${open} open, ${concurrency} at a time (goal p99 ≤ 50 ms) | ${fmt(pct(acks, 50))} | ${fmt(pct(acks, 99))} | ${load()} |`,
      ...(before
        ? [
            `| before (${beforeLabel}): click → ack, same lanes, its own requests | ${fmt(pct(beforeAcks, 50))} | ${fmt(pct(beforeAcks, 99))} | ${load()} |`,
          ]
        : []),
      `| floor: bare Bolt app (its own HTTP receiver and signature check), ack only | ${fmt(pct(floorAcks, 50))} | ${fmt(pct(floorAcks, 99))} | ${load()} |`,
      `| Concordat: click → card updated (${useTemporal ? 'real workflow' : 'fake engine'}) | ${fmt(pct(toCard, 50))} | ${fmt(pct(toCard, 99))} | ${load()} |`,
      '',
    ].join('\n'),
  );
  await floor.stop();
  await before?.stop();
  await h.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
