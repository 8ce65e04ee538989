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
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App } from '@slack/bolt';
import { ACTION_IDS, VIEW_IDS } from '../bots/slack/ids.js';
import { findFreePort } from '../temporal-dev/dev-server.js';
import { httpDriver } from '../tests/bots/slack/support/driver.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../tests/bots/slack/support/harness.js';
import { bedRequestWorkflowId } from '../domain/bed-request.js';
import { blockAction, viewSubmission } from '../tests/fakes/slack/payloads.js';
import { fakeEngine, requestForm, startSlackHarness } from '../tests/bots/slack/support/harness.js';
import { testProtocol, USERS } from '../tests/bots/slack/support/protocol.js';

const [clicks = 200, open = 500, concurrency = 20] = process.argv.slice(2).map(Number);
const useTemporal = process.env.BENCH_ENGINE === 'temporal';

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
  const toCard: number[] = [];
  const floor = await floorApp(h.api.url);
  const targets = records.slice(0, clicks);
  for (let i = 0; i < targets.length; i += concurrency) {
    await Promise.all(
      targets.slice(i, i + concurrency).map(async (record) => {
        const card = cardOf.get(record);
        const key = `${card?.channel}/${card?.ts}`;
        const workflowId = bedRequestWorkflowId('northampton-cjc', record);
        const start = performance.now();
        const reply = await h.driver.interact(
          blockAction({
            user: USERS.responder,
            actionId: ACTION_IDS.acknowledge,
            value: workflowId,
            channel: card?.channel ?? 'C0EDT',
          }),
        );
        acks.push(performance.now() - start);
        if (reply.status !== 200) throw new Error(`ack status ${reply.status}`);
        const floorStart = performance.now();
        const floorReply = await floor.driver.interact(
          blockAction({
            user: USERS.responder,
            actionId: ACTION_IDS.acknowledge,
            value: workflowId,
            channel: 'C0EDT',
          }),
        );
        floorAcks.push(performance.now() - floorStart);
        if (floorReply.status !== 200) throw new Error(`floor ack status ${floorReply.status}`);
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
  appendFileSync(
    fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url)),
    [
      '',
      `### slack-click-latency, ${new Date().toISOString()} (\`${useTemporal ? 'BENCH_ENGINE=temporal ' : ''}npx tsx bench/slack-click-latency.ts ${clicks} ${open} ${concurrency}\`)`,
      '',
      '| figure | p50 | p99 | load (1, 5, 15 min) |',
      '|---|---|---|---|',
      `| Concordat: click → ack, ${open} open, ${concurrency} at a time (goal p99 ≤ 50 ms) | ${fmt(pct(acks, 50))} | ${fmt(pct(acks, 99))} | ${load()} |`,
      `| floor: bare Bolt app, ack only, same receiver and signing | ${fmt(pct(floorAcks, 50))} | ${fmt(pct(floorAcks, 99))} | ${load()} |`,
      `| Concordat: click → card updated (${useTemporal ? 'real workflow' : 'fake engine'}) | ${fmt(pct(toCard, 50))} | ${fmt(pct(toCard, 99))} | ${load()} |`,
      '',
    ].join('\n'),
  );
  await floor.stop();
  await h.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
