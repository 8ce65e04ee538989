// Minimal reproduction of the stale workflow clock (docs/durability.md, "The stale clock").
//
//   npx tsx docs/repro/stale-clock.ts
//
// Starts a dev server, and a worker in a child process. A workflow waits on a 4 s timer. The
// worker is killed with SIGKILL, a query is sent while no worker runs, and a new worker starts
// after the timer has fired. After the timer, the workflow's Date.now() should be at least 4 s
// past its start. With @temporalio/* 1.24.0 it is 0 ms: the activation carried the previous
// workflow task's time. Without the query it is right.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { findFreePort, startDevServer } from '../../temporal-dev/dev-server.js';
import { elapsedQuery, staleClockProbe } from './stale-clock-workflow.js';

const TIMER_MS = 4000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runWorker(address: string): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue: 'stale-clock',
    workflowsPath: fileURLToPath(new URL('./stale-clock-workflow.ts', import.meta.url)),
  });
  process.stdout.write('worker ready\n');
  await worker.run();
}

function startWorker(address: string): Promise<ChildProcess> {
  return new Promise((resolve) => {
    const script = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, ['--import', 'tsx', script, '--worker', address], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('worker ready')) resolve(child);
    });
  });
}

async function trial(client: Client, address: string, withQuery: boolean): Promise<number> {
  const first = await startWorker(address);
  const handle = await client.workflow.start(staleClockProbe, {
    taskQueue: 'stale-clock',
    workflowId: `stale-clock-${withQuery ? 'query' : 'plain'}-${Date.now()}`,
    args: [TIMER_MS],
  });
  await sleep(1500); // the timer is running
  first.kill('SIGKILL');
  const query = withQuery ? handle.query(elapsedQuery) : Promise.resolve([]);
  await sleep(TIMER_MS - 1000); // the timer fires while the next worker starts up
  const second = await startWorker(address);
  const [elapsed] = await handle.result();
  await query;
  second.kill('SIGKILL');
  return elapsed ?? -1;
}

async function main(): Promise<void> {
  const server = await startDevServer({
    dbFile: null,
    port: await findFreePort(),
    headless: true,
    reuseExisting: false,
    log: () => undefined,
  });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  try {
    const queried = await trial(client, server.address, true);
    const plain = await trial(client, server.address, false);
    console.log(`after a ${TIMER_MS} ms timer, the workflow clock had moved:`);
    console.log(`  worker restarted, no query pending:   ${plain} ms`);
    console.log(
      `  worker restarted, a query pending:    ${queried} ms${queried < TIMER_MS ? '  <- stale' : ''}`,
    );
  } finally {
    await server.stop();
  }
}

if (process.argv[2] === '--worker') await runWorker(process.argv[3] ?? '');
else await main();
