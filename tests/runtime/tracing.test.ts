// One bed request is one trace: the bot's call into the client (concordat.submit), the client's
// StartWorkflow, the workflow run, each activity it schedules and runs, and the chat delivery,
// all under one trace ID, parent to child. An in-memory exporter takes the place of OTLP. Tracing
// is wired as `npm start` wires it (runtime/tracing.ts): the SDK's OpenTelemetry plugin on the
// client and worker, the traced bed-request client and chat port.
import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { createBedRequestClient } from '../../runtime/bed-request-client.js';
import { EncryptionCodec } from '../../runtime/payload-codec.js';
import { dataConverterFor } from '../../runtime/temporal-connection.js';
import { startTracing, tracedBedRequests, tracedChatPort, type Tracing } from '../../runtime/tracing.js';
import { WORKFLOWS_PATH } from '../../runtime/worker.js';
import { openStore, type Store } from '../../store/index.js';
import { RecordingChatPort } from '../support/recording-chat-port.js';
import { createTestEnv } from '../support/temporal.js';
import { bedRequest, eventually, PEOPLE, testProtocol } from '../support/workflow-harness.js';

const TASK_QUEUE = 'tracing';

describe('tracing: one request, one trace', () => {
  let env: TestWorkflowEnvironment;
  let store: Store;
  let worker: Worker;
  let running: Promise<void>;
  let tracing: Tracing;
  const exporter = new InMemorySpanExporter();
  const chat = new RecordingChatPort();
  const codec = new EncryptionCodec(randomBytes(32));

  beforeAll(async () => {
    const started = startTracing({
      serviceName: 'concordat-test',
      spanProcessor: new SimpleSpanProcessor(exporter),
    });
    if (!started) throw new Error('tracing did not start');
    tracing = started;
    [env, store] = await Promise.all([
      createTestEnv(),
      openStore({
        dataDir: 'memory://',
        secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) },
      }),
    ]);
    const protocol = testProtocol();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowsPath: WORKFLOWS_PATH,
      activities: createActivities({ chat: tracedChatPort(chat), store, protocol: () => protocol }),
      dataConverter: dataConverterFor(codec),
      plugins: [tracing.plugin],
    });
    running = worker.run();
  }, 180_000);

  afterAll(async () => {
    worker?.shutdown();
    await running?.catch(() => undefined);
    await env?.teardown();
    await store?.close();
    await tracing?.shutdown();
  });

  it('from the submit through the workflow and its activities to the chat delivery', async () => {
    const client = new Client({
      connection: env.connection,
      dataConverter: dataConverterFor(codec),
      plugins: [tracing.plugin],
    });
    const requests = tracedBedRequests(createBedRequestClient(client, { taskQueue: TASK_QUEUE }));
    const now = Date.now();
    const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
    const { workflowId, status } = await requests.start(
      bedRequest({ custodyRecordNumber: 'TRACE-0001', chargedAt: at(-5), nextCourtSitting: at(12 * 60) }),
      at(0),
    );
    expect(status).toBe('started');
    await eventually(() => chat.sends.length >= 2 || undefined, 30_000);
    await eventually(
      () => exporter.getFinishedSpans().filter((x) => x.name === 'chat.send').length >= 2 || undefined,
      30_000,
    );

    // A person's action is a span of its own; the cancel also closes the request, which ends the
    // workflow's run span (workflow spans reach the exporter through the worker's sink).
    await requests.act(workflowId, {
      actionId: 'trace-cancel',
      actor: PEOPLE.sergeant,
      action: { kind: 'cancel', reason: 'entered_in_error', notes: '' },
    });
    await eventually(
      async () =>
        (await client.workflow.getHandle(workflowId).describe()).status.name !== 'RUNNING' || undefined,
      30_000,
    );
    const spans = await eventually(() => {
      const all = exporter.getFinishedSpans();
      return all.some((x) => x.name === 'RunWorkflow:bedRequestWorkflow') ? all : undefined;
    }, 30_000).catch(() => {
      throw new Error(
        `no RunWorkflow span; spans: ${exporter
          .getFinishedSpans()
          .map((x) => x.name)
          .join(', ')}`,
      );
    });

    const submit = one(spans, 'concordat.submit');
    expect(submit.parentSpanId).toBeUndefined();
    expect(submit.attributes).toMatchObject({
      'concordat.workflow_id': workflowId,
      'concordat.start_status': 'started',
    });
    const traceId = submit.spanContext().traceId;
    const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);

    const startWorkflow = one(inTrace, 'StartWorkflow:bedRequestWorkflow');
    expect(startWorkflow.parentSpanId).toBe(submit.spanContext().spanId);
    const run = one(inTrace, 'RunWorkflow:bedRequestWorkflow');
    expect(run.parentSpanId).toBe(startWorkflow.spanContext().spanId);

    // Every activity the workflow scheduled is in the trace: StartActivity under the run (or a
    // span of it), RunActivity under its StartActivity.
    const runActivities = inTrace.filter((s) => s.name.startsWith('RunActivity:'));
    expect(runActivities.length).toBeGreaterThanOrEqual(2);
    const byId = new Map(inTrace.map((s) => [s.spanContext().spanId, s]));
    for (const ra of runActivities) {
      const parent = byId.get(ra.parentSpanId ?? '');
      expect(parent?.name, ra.name).toBe(ra.name.replace('RunActivity:', 'StartActivity:'));
      expect(ancestors(parent, byId)).toContain(run);
    }

    // The chat deliveries: chat.send under a RunActivity, in the same trace as the submit.
    const sends = inTrace.filter((s) => s.name === 'chat.send');
    expect(sends.length).toBeGreaterThanOrEqual(2);
    for (const send of sends) {
      expect(byId.get(send.parentSpanId ?? '')?.name).toMatch(/^RunActivity:/);
    }
    expect(new Set(sends.map((x) => x.attributes['concordat.platform']))).toEqual(
      new Set(chat.sends.map((x) => x.destination.platform)),
    );

    // IDs only: no attribute of any span carries the child's identity or the form's free text.
    const attributes = JSON.stringify(inTrace.map((s) => s.attributes));
    expect(attributes).not.toContain('13/123456A');

    const act = one(spans, 'concordat.act');
    expect(act.attributes).toMatchObject({
      'concordat.workflow_id': workflowId,
      'concordat.action': 'cancel',
    });
    expect(
      spans.some((x) => x.name === 'SignalWorkflow:action' && x.parentSpanId === act.spanContext().spanId),
    ).toBe(true);
  }, 120_000);
});

function one(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((s) => s.name === name);
  expect(
    found.map((s) => s.name),
    `exactly one ${name} span`,
  ).toEqual([name]);
  return found[0] as ReadableSpan;
}

function ancestors(span: ReadableSpan | undefined, byId: Map<string, ReadableSpan>): ReadableSpan[] {
  const out: ReadableSpan[] = [];
  for (let s = span; s; s = byId.get(s.parentSpanId ?? '')) out.push(s);
  return out;
}
