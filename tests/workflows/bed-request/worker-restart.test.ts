// The stranded-request defect, reproduced for real (docs/durability.md, "The stale clock").
//
// A worker is killed with SIGKILL while a request waits on its first ladder timer; a query (a
// button's pre-check) arrives while no worker runs; the timer fires; a fresh worker starts. That
// worker rebuilds the request from history with the query attached, and the Temporal SDK hands
// the workflow the previous task's time as Date.now(). Before the fix the workflow decided from
// that clock that nothing was due, started the same timer again, and the history no longer
// replayed (TMPRL1100), which strands the request on the next worker that rebuilds it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBedRequestClient } from '../../../runtime/bed-request-client.js';
import { startTestDevServer, type TestDevServer } from '../../support/temporal.js';
import { bedRequest, eventually, workflowBundle } from '../../support/workflow-harness.js';
import { parse } from 'yaml';

const { EventType } = proto.temporal.api.enums.v1;
const WORKER = fileURLToPath(new URL('./fixtures/restartable-worker.ts', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../../config/concordat.example.yaml', import.meta.url));
const TASK_QUEUE = 'restart-with-query';
const FIRST_STEP_S = 6;

interface Delivery {
  pid: number;
  step: string;
  at: number;
}

let server: TestDevServer;
let dir: string;
const children: ChildProcess[] = [];

function startWorker(address: string, protocolFile: string, out: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', WORKER, address, TASK_QUEUE, protocolFile, out],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, TZ: 'UTC' },
      },
    );
    children.push(child);
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('worker ready')) resolve(child);
    });
    child.on('exit', (code, signal) => {
      if (signal === null) reject(new Error(`worker exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

function deliveries(out: string): Delivery[] {
  let text = '';
  try {
    text = readFileSync(out, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Delivery);
}

beforeAll(async () => {
  server = await startTestDevServer();
  dir = mkdtempSync(join(tmpdir(), 'concordat-restart-'));
}, 120_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a worker killed while a request waits, restarted with a query pending', () => {
  it('escalates on time from the restarted worker, and the history replays', async () => {
    const file = parse(readFileSync(EXAMPLE, 'utf8')) as {
      ladder: { steps: unknown[]; overnight?: unknown };
    };
    file.ladder = {
      steps: [
        {
          level: 1,
          name: 'Re-page',
          condition: 'not_acknowledged',
          after: `${FIRST_STEP_S}s`,
          notify: ['responders'],
        },
        {
          level: 2,
          name: 'Inspector',
          condition: 'not_resolved',
          after: '10m',
          notify: ['custody-inspector'],
        },
      ],
    };
    const protocolFile = join(dir, 'protocol.yaml');
    writeFileSync(protocolFile, stringify(file));
    const out = join(dir, 'deliveries.jsonl');

    const connection = await Connection.connect({ address: server.address });
    const temporal = new Client({ connection, namespace: server.namespace });
    const requests = createBedRequestClient(temporal, { taskQueue: TASK_QUEUE });

    const first = await startWorker(server.address, protocolFile, out);
    const requestedAtMs = Date.now();
    const now = new Date(requestedAtMs);
    const { workflowId } = await requests.start(
      bedRequest({
        custodyRecordNumber: `RESTART-${requestedAtMs}`,
        chargedAt: new Date(requestedAtMs - 3_600_000).toISOString(),
        nextCourtSitting: new Date(requestedAtMs + 86_400_000).toISOString(),
      }),
      now.toISOString(),
    );
    // The cards are out and the request waits on its first ladder timer.
    const handle = temporal.workflow.getHandle(workflowId);
    // Started with the chosen workflow task timeout (docs/durability.md, "Recovery after a crash").
    const config = (await handle.describe()).raw.executionConfig;
    expect(Number(config?.defaultWorkflowTaskTimeout?.seconds ?? 0)).toBe(10);
    await eventually(async () => {
      const { events } = await handle.fetchHistory();
      return (events ?? []).some((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED);
    }, 30_000);

    first.kill('SIGKILL');
    // A button's pre-check, asked while no worker runs: it waits for the next worker.
    const query = requests.view(workflowId);
    const dueAtMs = requestedAtMs + FIRST_STEP_S * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, dueAtMs - Date.now()) + 1_000));
    const second = await startWorker(server.address, protocolFile, out);
    const backAtMs = Date.now();

    const page = await eventually(
      () => deliveries(out).find((d) => d.step.startsWith('esc:') && d.pid === second.pid),
      30_000,
    );
    const history = await handle.fetchHistory();
    const failed = (history.events ?? []).filter(
      (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
    );
    expect(failed).toEqual([]);
    // A worker rebuilding the request from this history takes the same path.
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId);
    expect((await query)?.escalationLevel).toBeGreaterThanOrEqual(0);
    // The page goes out from the restarted worker's first task, not one ladder period later.
    expect(page.at - backAtMs).toBeLessThan(FIRST_STEP_S * 1000);

    second.kill('SIGKILL');
    await connection.close();
  }, 120_000);
});
