// createLocalTestEnv(): a TestWorkflowEnvironment on a throwaway dev server, for what the
// time-skipping server cannot do (Schedules, and Updates, which do not advance skipped time).
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createLocalTestEnv } from '../support/temporal.js';
import * as activities from './fixtures/activities.js';
import { approvalWorkflow, approve } from './fixtures/workflows.js';

const workflowsPath = fileURLToPath(new URL('./fixtures/workflows.ts', import.meta.url));

let env: TestWorkflowEnvironment | undefined;

beforeAll(async () => {
  env = await createLocalTestEnv();
});

afterAll(async () => {
  await env?.teardown();
});

test('a workflow completes after an Update, on the dev server', async () => {
  expect(env!.supportsTimeSkipping).toBe(false);
  const taskQueue = `local-env-test-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env!.nativeConnection,
    taskQueue,
    workflowsPath,
    activities,
  });
  const { updateResult, result } = await worker.runUntil(async () => {
    const handle = await env!.client.workflow.start(approvalWorkflow, {
      taskQueue,
      workflowId: `approval-${randomUUID()}`,
    });
    const updateResult = await handle.executeUpdate(approve, { args: ['duty officer'] });
    return { updateResult, result: await handle.result() };
  });
  expect(updateResult).toBe('approved by duty officer');
  expect(result).toBe('done: duty officer');
});
