// A process restarted while Temporal is down must not die with it (docs/durability.md): the bots
// start at once (submits wait in the outbox), and a worker waits for Temporal, saying so, with its
// health server already answering.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../temporal-dev/dev-server.js';
import { eventually } from '../support/workflow-harness.js';

const MAIN = fileURLToPath(new URL('../../runtime/main.ts', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function start(role: '--bots' | '--worker') {
  const dir = mkdtempSync(join(tmpdir(), 'concordat-outage-'));
  dirs.push(dir);
  const healthPort = await findFreePort();
  const deadTemporal = await findFreePort(); // nothing listens here
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, role], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      TZ: 'UTC',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
      CONCORDAT_DATA_DIR: join(dir, 'data'),
      TEMPORAL_ADDRESS: `127.0.0.1:${deadTemporal}`,
      TEAMS_PORT: String(await findFreePort()),
      CONCORDAT_WORKER_HEALTH_PORT: String(healthPort),
      CONCORDAT_BOTS_HEALTH_PORT: String(healthPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, healthPort, output: () => out };
}

describe('starting while Temporal is down', () => {
  it('the bots start, say Temporal is not answering yet, and report not ready', async () => {
    const bots = await start('--bots');
    await eventually(() => bots.output().includes('not answering yet'), 60_000);
    const ready = await eventually(async () => {
      try {
        return await fetch(`http://127.0.0.1:${bots.healthPort}/readyz`);
      } catch {
        return null;
      }
    }, 60_000);
    expect(ready.status).toBe(503);
    expect(await ready.text()).toContain('temporal');
    expect(bots.child.exitCode).toBeNull();
    bots.child.kill('SIGTERM');
  }, 90_000);

  it('a worker waits for Temporal instead of exiting, alive on /healthz and "starting" on /readyz', async () => {
    const worker = await start('--worker');
    await eventually(() => worker.output().includes('Waiting for Temporal'), 60_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(worker.child.exitCode).toBeNull();
    // Its health server is up before the worker is built, so a probe sees it alive, not absent.
    const alive = await fetch(`http://127.0.0.1:${worker.healthPort}/healthz`);
    expect(alive.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${worker.healthPort}/readyz`);
    expect(ready.status).toBe(503);
    const body = await ready.text();
    expect(body).toContain('worker is starting');
    expect(body).toContain('temporal');
    worker.child.kill('SIGTERM');
  }, 90_000);
});
