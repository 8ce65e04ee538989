// `concordat replay`: an operator checks a production history, exported with the Temporal CLI,
// against this code before deploying (docs/durability.md, "Checking a production history").
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBedRequestClient } from '../../runtime/bed-request-client.js';
import { runCli, type CliIo } from '../../runtime/cli.js';
import { EncryptionCodec } from '../../runtime/payload-codec.js';
import { findOrBuildTemporalCli } from '../../temporal-dev/temporal-cli.js';
import { stubActivities } from '../support/stub-activities.js';
import { startTestDevServer, type TestDevServer } from '../support/temporal.js';
import { bedRequest, eventually, testProtocol, workflowBundle } from '../support/workflow-harness.js';

const run = promisify(execFile);
const TASK_QUEUE = 'replay-cli';
let server: TestDevServer;
let dir: string;

function io(): CliIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    stdout,
    stderr,
    env: {},
    payloadCodec: () => new EncryptionCodec(Buffer.alloc(32, 7)),
    out: () => out,
    err: () => err,
  };
}

beforeAll(async () => {
  server = await startTestDevServer();
  dir = mkdtempSync(join(tmpdir(), 'concordat-replay-'));
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('concordat replay', () => {
  it('loads a history exported by `temporal workflow show --output json` and replays it', async () => {
    const connection = await NativeConnection.connect({ address: server.address });
    const worker = await Worker.create({
      connection,
      taskQueue: TASK_QUEUE,
      workflowBundle: await workflowBundle(),
      activities: stubActivities(testProtocol(), () => undefined),
    });
    const client = new Client({ connection: await Connection.connect({ address: server.address }) });
    const requests = createBedRequestClient(client, { taskQueue: TASK_QUEUE });
    const now = Date.now();
    const workflowId = await worker.runUntil(async () => {
      const { workflowId } = await requests.start(
        bedRequest({
          custodyRecordNumber: `REPLAY-${now}`,
          chargedAt: new Date(now - 3_600_000).toISOString(),
          nextCourtSitting: new Date(now + 86_400_000).toISOString(),
        }),
        new Date(now).toISOString(),
      );
      await eventually(async () => {
        const view = await requests.view(workflowId);
        return view?.caseRef !== undefined;
      });
      await requests.act(workflowId, {
        actionId: 'replay-ack',
        actor: { platform: 'slack', userId: 'U0RESPONDER', displayName: 'Duty social worker' },
        action: { kind: 'acknowledge' },
      });
      await eventually(async () => (await requests.view(workflowId))?.acknowledged !== undefined);
      return workflowId;
    });
    await connection.close();

    const cli = await findOrBuildTemporalCli({ log: () => undefined });
    const { stdout } = await run(cli, [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      '--address',
      server.address,
      '--output',
      'json',
    ]);
    const file = join(dir, 'exported.json');
    writeFileSync(file, stdout);

    const ok = io();
    expect(await runCli(['replay', file], ok)).toBe(0);
    expect(ok.out()).toContain('bedRequestWorkflow');
    expect(ok.out()).toContain('replays with this code');

    // The same history as if an older build had scheduled another activity first: it no longer fits.
    const json = JSON.parse(stdout) as {
      events: {
        eventType: string;
        activityTaskScheduledEventAttributes?: { activityType: { name: string } };
      }[];
    };
    const scheduled = json.events.find((e) => e.activityTaskScheduledEventAttributes);
    if (!scheduled?.activityTaskScheduledEventAttributes) throw new Error('no activity in the history');
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'somethingElse';
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify(json));
    const bad = io();
    expect(await runCli(['replay', broken], bad)).toBe(1);
    expect(bad.out()).toContain('does NOT replay with this code');
  }, 120_000);

  it('names a missing file and a file that is not a history', async () => {
    const missing = io();
    expect(await runCli(['replay', join(dir, 'nope.json')], missing)).toBe(1);
    expect(missing.err()).toContain('No such file');
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, 'hello');
    const garbage = io();
    expect(await runCli(['replay', notJson], garbage)).toBe(1);
    expect(garbage.err()).toContain('is not JSON');
    const usage = io();
    expect(await runCli(['replay'], usage)).toBe(2);
  });
});
