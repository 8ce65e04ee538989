// A workflow runs to completion on the real dev server (the Temporal CLI) through a real Worker.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { portIsFree, temporalReachable } from '../../temporal-dev/dev-server.js';
import { startTestDevServer, type TestDevServer } from '../support/temporal.js';
import * as activities from './fixtures/activities.js';
import { greetingWorkflow } from './fixtures/workflows.js';

const workflowsPath = fileURLToPath(new URL('./fixtures/workflows.ts', import.meta.url));

describe('Temporal dev server', () => {
  let server: TestDevServer | undefined;
  let connection: Connection | undefined;
  let nativeConnection: NativeConnection | undefined;

  beforeAll(async () => {
    server = await startTestDevServer();
    connection = await Connection.connect({ address: server.address });
    nativeConnection = await NativeConnection.connect({ address: server.address });
  });

  afterAll(async () => {
    await connection?.close();
    await nativeConnection?.close();
    await server?.stop();
  });

  test('runs a workflow with an activity to completion through a real Worker', async () => {
    const taskQueue = `dev-server-test-${randomUUID()}`;
    const worker = await Worker.create({
      connection: nativeConnection!,
      namespace: server!.namespace,
      taskQueue,
      workflowsPath,
      activities,
    });
    const client = new Client({ connection: connection!, namespace: server!.namespace });
    const result = await worker.runUntil(
      client.workflow.execute(greetingWorkflow, {
        taskQueue,
        workflowId: `greeting-${randomUUID()}`,
        args: ['Concordat'],
      }),
    );
    expect(result).toMatch(/^Hello, Concordat! \(from an activity on .+\)$/);
  });

  test('stop() takes the server down and frees its port', async () => {
    const other = await startTestDevServer();
    expect(await temporalReachable(other.address)).toBe(true);
    await other.stop();
    await other.stop(); // idempotent
    const port = Number(other.address.split(':').pop());
    expect(await temporalReachable(other.address, { timeoutMs: 1_000 })).toBe(false);
    expect(await portIsFree(port)).toBe(true);
  });
});
