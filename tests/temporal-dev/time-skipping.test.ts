// A workflow that sleeps for two days completes in seconds on the time-skipping test server.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv } from '../support/temporal.js';
import * as activities from './fixtures/activities.js';
import { greetingWorkflow, sleepyWorkflow } from './fixtures/workflows.js';

const workflowsPath = fileURLToPath(new URL('./fixtures/workflows.ts', import.meta.url));
const DAY_MS = 24 * 60 * 60 * 1000;

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment | undefined;

  beforeAll(async () => {
    env = await createTestEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  test('supports time skipping', () => {
    expect(env!.supportsTimeSkipping).toBe(true);
  });

  test('a workflow sleeping for 2 days completes in seconds', async () => {
    const taskQueue = `time-skipping-test-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env!.nativeConnection,
      taskQueue,
      workflowsPath,
      activities,
    });
    const wallStart = performance.now();
    const { result, wallMs, greeting } = await worker.runUntil(async () => {
      const result = await env!.client.workflow.execute(sleepyWorkflow, {
        taskQueue,
        workflowId: `sleepy-${randomUUID()}`,
        args: [2 * DAY_MS],
      });
      const wallMs = performance.now() - wallStart;
      // Activities run too, on the same environment.
      const greeting = await env!.client.workflow.execute(greetingWorkflow, {
        taskQueue,
        workflowId: `greeting-${randomUUID()}`,
        args: ['test server'],
      });
      return { result, wallMs, greeting };
    });

    expect(result.finishedAt - result.startedAt).toBeGreaterThanOrEqual(2 * DAY_MS);
    expect(wallMs).toBeLessThan(15_000);
    expect(greeting).toContain('Hello, test server!');
  });

  test('env.sleep() skips server time', async () => {
    const before = await env!.currentTimeMs();
    const wallStart = performance.now();
    await env!.sleep('3 days');
    expect((await env!.currentTimeMs()) - before).toBeGreaterThanOrEqual(3 * DAY_MS);
    expect(performance.now() - wallStart).toBeLessThan(5_000);
  });
});
