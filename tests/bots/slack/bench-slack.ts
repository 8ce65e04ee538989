/**
 * Benchmark, not a test: `npx tsx tests/bots/slack/bench-slack.ts [clicks=200] [open=500] [concurrency=20]`.
 *
 * Opens `open` requests through the real bot (signed form submissions over HTTP), then sends
 * `clicks` signed Acknowledge clicks on distinct requests, `concurrency` at a time, and prints the
 * p50/p99 time to the ack (HTTP response) and to the card update reaching the fake Slack
 * (chat.update for that card). The engine is the in-process fake, so this measures the Slack edge:
 * signature guard, Bolt, zod, the pre-check, the signal call and the ChatPort.
 */
import { ACTION_IDS, VIEW_IDS } from '../../../bots/slack/ids.js';
import { bedRequestWorkflowId } from '../../../domain/bed-request.js';
import { blockAction, viewSubmission } from '../../fakes/slack/payloads.js';
import { fakeEngine, requestForm, startSlackHarness } from './support/harness.js';
import { USERS } from './support/protocol.js';

const [clicks = 200, open = 500, concurrency = 20] = process.argv.slice(2).map(Number);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function main() {
  const h = await startSlackHarness({ transport: 'http', engine: fakeEngine });
  const engine = h.engine.engine;
  const ids: string[] = [];
  const t0 = Date.now();
  for (let i = 0; i < open; i += concurrency) {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, open - i) }, async () => {
        const fields = requestForm();
        await h.driver.interact(
          viewSubmission({ user: USERS.sergeant, callbackId: VIEW_IDS.bedRequest, fields }),
        );
        ids.push(
          bedRequestWorkflowId('northampton-cjc', (fields.custodyRecordNumber as { value: string }).value),
        );
      }),
    );
  }
  await engine.settled();
  console.log(`${open} requests open in ${Date.now() - t0} ms (${h.api.messages.length} cards)`);

  const updatedAt = new Map<string, number>();
  h.api.onCall((c) => {
    if (c.method === 'chat.update' && c.ok && c.args.channel === 'C0EDT')
      updatedAt.set(String(c.args.ts), performance.now());
  });
  const acks: number[] = [];
  const toCard: number[] = [];
  const targets = ids.slice(0, clicks);
  for (let i = 0; i < targets.length; i += concurrency) {
    await Promise.all(
      targets.slice(i, i + concurrency).map(async (workflowId) => {
        const card = engine.cardsOf(workflowId).responder;
        const start = performance.now();
        const reply = await h.driver.interact(
          blockAction({ user: USERS.responder, actionId: ACTION_IDS.acknowledge, value: workflowId }),
        );
        acks.push(performance.now() - start);
        if (reply.status !== 200) throw new Error(`ack status ${reply.status}`);
        const ts = card?.messageId ?? '';
        await h.api.waitFor(() => updatedAt.has(ts), 30_000, 'card update');
        toCard.push((updatedAt.get(ts) ?? start) - start);
      }),
    );
  }
  const fmt = (n: number) => `${n.toFixed(1)} ms`;
  console.log(`${targets.length} clicks, ${concurrency} at a time, ${open} requests open`);
  console.log(`time to ack:          p50 ${fmt(pct(acks, 50))}  p99 ${fmt(pct(acks, 99))}`);
  console.log(`time to card update:  p50 ${fmt(pct(toCard, 50))}  p99 ${fmt(pct(toCard, 99))}`);
  await h.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
