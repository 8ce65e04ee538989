/**
 * The digest workflow on the time-skipping test server, with the real activities against a seeded
 * PGlite store and a recording chat port.
 */
import { fileURLToPath } from 'node:url';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDigestActivities, DIGEST_STEP } from '../../../activities/digest/digest-activities.js';
import type { DigestMessageView } from '../../../domain/chat-port.js';
import type { Protocol } from '../../../domain/protocol.js';
import type { Store } from '../../../store/open-store.js';
import { digestWorkflow, type DigestWorkflowInput } from '../../../workflows/digest/index.js';
import { recordingChat } from '../../activities/digest/recording-chat.js';
import { buildSeed, plainIdentities, seedStore, testProtocol } from '../../activities/digest/seed.js';
import { pgliteBackend } from '../../store/helpers.js';
import { createTestEnv } from '../../support/temporal.js';

const workflowsPath = fileURLToPath(new URL('./workflows.ts', import.meta.url));
const seed = buildSeed();

let env: TestWorkflowEnvironment;
let store: Store;
let cleanup: () => Promise<void>;
let protocol: Protocol;
const chat = recordingChat();
let taskQueue = '';
let counter = 0;

beforeAll(async () => {
  [env, { store, cleanup }] = await Promise.all([createTestEnv(), pgliteBackend.open()]);
  await seedStore(store, seed);
  protocol = testProtocol();
}, 300_000);

afterAll(async () => {
  await env?.teardown();
  await cleanup?.();
});

beforeEach(() => {
  chat.sends.length = 0;
  chat.failing.clear();
});

async function run(input: DigestWorkflowInput, opts: { workflowId?: string; protocol?: Protocol } = {}) {
  counter += 1;
  taskQueue = `digest-${counter}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath,
    activities: createDigestActivities({
      store,
      chat: chat.port,
      protocol: opts.protocol ?? protocol,
      clock: () => new Date('2026-12-01T08:00:00Z'),
    }),
  });
  const workflowId = opts.workflowId ?? `digest-test-${counter}`;
  return worker.runUntil(
    env.client.workflow.execute(digestWorkflow, { taskQueue, workflowId, args: [input] }),
  );
}

function digestOf(i: number): DigestMessageView {
  const m = chat.sends[i]?.message;
  if (m?.kind !== 'digest') throw new Error(`send ${i} is not a digest`);
  return m.view;
}

describe('digestWorkflow', () => {
  it('sends the weekly digest, with its chart, to every leads destination once', async () => {
    const result = await run({ kind: 'weekly', asOf: '2026-03-30T07:00:00Z' });
    expect(result.period).toMatchObject({ kind: 'weekly', firstDay: '2026-03-23', lastDay: '2026-03-29' });
    expect(result.delivered.map((d) => `${d.destination.platform}:${d.destination.address}`)).toEqual([
      'slack:C0LEADS',
      'teams:19:leads@thread.tacv2',
    ]);
    expect(result.failed).toEqual([]);
    expect(result.chart).toBe(true);
    expect(chat.sends).toHaveLength(2);
    const view = digestOf(0);
    expect(view.title).toBe('Weekly digest, Mon 23 – Sun 29 Mar 2026: Northamptonshire Police');
    const png = Buffer.from(view.chart?.pngBase64 ?? '', 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const expectedRequests = seed.filter(
      (s) =>
        s.request.chargedAt >= '2026-03-23T00:00:00.000Z' && s.request.chargedAt < '2026-03-29T23:00:00.000Z',
    ).length;
    expect(result.requests).toBe(expectedRequests);
    expect(view.sections[0]?.lines[0]).toBe(
      `Children charged and refused bail, with a bed request: ${expectedRequests}`,
    );
    const text = JSON.stringify(view);
    for (const plain of plainIdentities(seed)) expect(text).not.toContain(plain);

    // Deliveries and the audit trail are recorded per destination.
    const wf = 'digest-test-1';
    const slackRef = result.delivered.find((d) => d.destination.platform === 'slack')?.ref;
    expect(await store.getDelivery(wf, DIGEST_STEP, 'slack:C0LEADS')).toEqual(slackRef);
    const events = await store.listEvents(wf);
    expect(events.map((e) => `${e.type} ${String(e.data.platform)}`).sort()).toEqual([
      'digest_sent slack',
      'digest_sent teams',
    ]);
  });

  it('run again under the same workflow ID, it posts nothing more', async () => {
    const first = await run({ kind: 'daily', asOf: '2026-10-26T07:30:00Z' }, { workflowId: 'digest-once' });
    expect(first.delivered.every((d) => !d.alreadySent)).toBe(true);
    expect(chat.sends).toHaveLength(2);
    const second = await run({ kind: 'daily', asOf: '2026-10-26T07:30:00Z' }, { workflowId: 'digest-once' });
    expect(second.delivered.every((d) => d.alreadySent)).toBe(true);
    expect(chat.sends).toHaveLength(2);
    expect(second.period).toMatchObject({ firstDay: '2026-10-25', from: '2026-10-24T23:00:00.000Z' });
  });

  it('a range digest on demand goes where it is asked, and records who asked', async () => {
    const requestedBy = { platform: 'slack' as const, userId: 'U0LEAD', displayName: 'Force custody lead' };
    const result = await run(
      {
        kind: 'range',
        from: '2026-01-01',
        to: '2026-03-31',
        requestedBy,
        destinations: [{ platform: 'slack', address: 'D0ADMIN' }],
      },
      { workflowId: 'digest-adhoc' },
    );
    expect(result.delivered).toHaveLength(1);
    expect(chat.sends.map((s) => s.destination.address)).toEqual(['D0ADMIN']);
    expect(digestOf(0).title).toBe('Concordat digest, Thu 1 Jan – Tue 31 Mar 2026: Northamptonshire Police');
    const events = await store.listEvents('digest-adhoc');
    expect(events[0]?.actor).toEqual(requestedBy);
  });

  it('refuses an end date before the start without retrying, and sends nothing', async () => {
    const err = await run({ kind: 'range', from: '2026-03-31', to: '2026-01-01' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('INVALID_DIGEST_PERIOD');
    expect(cause?.message).toMatch(/end date 2026-01-01 is before the start date 2026-03-31/);
    expect(chat.sends).toHaveLength(0);
  });

  it('one platform refusing does not stop the other; all refusing fails the run', async () => {
    chat.failing.add('teams');
    const partial = await run({ kind: 'weekly', asOf: '2026-06-08T07:00:00Z' });
    expect(partial.delivered.map((d) => d.destination.platform)).toEqual(['slack']);
    expect(partial.failed).toEqual([
      {
        destination: { platform: 'teams', address: '19:leads@thread.tacv2' },
        error: 'teams refused the message',
      },
    ]);
    chat.failing.add('slack');
    const err = await run({ kind: 'weekly', asOf: '2026-06-08T07:00:00Z' }).catch((e: unknown) => e);
    expect((err as WorkflowFailedError).cause).toMatchObject({ type: 'DIGEST_UNDELIVERED' });
  });

  it('with suppression on, small counts show "<5" in the text and on the chart', async () => {
    const suppressed = { ...protocol, digest: { ...protocol.digest, suppressSmallCounts: true } };
    await run({ kind: 'daily', asOf: '2026-03-30T07:00:00Z' }, { protocol: suppressed });
    const view = digestOf(0);
    expect(view.sections[0]?.lines.join('\n')).toContain('<5');
    expect(view.chart?.altText).toMatch(/withheld/);
  });
});
