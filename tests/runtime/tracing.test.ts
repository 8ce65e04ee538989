// One bed request is one trace, and it begins at the chat platform's HTTP request: the Slack
// bot's server span for the form's view_submission (POST /slack/events), then the bot's call into
// the client (concordat.submit), the client's StartWorkflow, the workflow run, each activity it
// schedules and runs, and the chat delivery, all under one trace ID, parent to child. A click is
// its own trace, rooted the same way. An in-memory exporter takes the place of OTLP. Tracing is
// wired as `npm start` wires it (runtime/tracing.ts): the SDK's OpenTelemetry plugin on the client
// and worker, the traced bed-request client and chat port, and the real Slack bot over real HTTP
// against the fake Slack Web API.
import { randomBytes, randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { ACTION_IDS } from '../../bots/slack/ids.js';
import { bedRequestWorkflowId } from '../../domain/bed-request.js';
import { createBedRequestClient, type BedRequestClient } from '../../runtime/bed-request-client.js';
import { EncryptionCodec } from '../../runtime/payload-codec.js';
import { dataConverterFor } from '../../runtime/temporal-connection.js';
import { startTracing, tracedBedRequests, tracedChatPort, type Tracing } from '../../runtime/tracing.js';
import { WORKFLOWS_PATH } from '../../runtime/worker.js';
import { openStore, type Store } from '../../store/index.js';
import { blockAction } from '../fakes/slack/payloads.js';
import { sergeantStartsRequest, type FlowContext } from '../bots/slack/support/flows.js';
import { startSlackHarness } from '../bots/slack/support/harness.js';
import { testProtocol, USERS } from '../bots/slack/support/protocol.js';
import { createTestEnv } from '../support/temporal.js';
import { eventually, PEOPLE } from '../support/workflow-harness.js';

const TASK_QUEUE = `tracing-${randomUUID()}`;
const HTTP_SPAN = 'POST /slack/events';
type Harness = Awaited<ReturnType<typeof startSlackHarness<{ client: BedRequestClient; store: Store }>>>;

describe('tracing: one request, one trace, from the inbound HTTP request', () => {
  let env: TestWorkflowEnvironment;
  let store: Store;
  let worker: Worker;
  let running: Promise<void>;
  let tracing: Tracing;
  let client: Client;
  let h: Harness;
  const exporter = new InMemorySpanExporter();
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
    client = new Client({
      connection: env.connection,
      dataConverter: dataConverterFor(codec),
      plugins: [tracing.plugin],
    });
    // The real bot; behind its desk, the traced client, and a worker posting through the traced
    // Slack chat port to the same fake Slack.
    h = await startSlackHarness({
      transport: 'http',
      protocol: testProtocol({ slackOnly: true }),
      engine: async (chat, protocol) => {
        worker = await Worker.create({
          connection: env.nativeConnection,
          taskQueue: TASK_QUEUE,
          workflowsPath: WORKFLOWS_PATH,
          activities: createActivities({ chat: tracedChatPort(chat), store, protocol: () => protocol }),
          dataConverter: dataConverterFor(codec),
          plugins: [tracing.plugin],
        });
        running = worker.run();
        return {
          client: tracedBedRequests(createBedRequestClient(client, { taskQueue: TASK_QUEUE })),
          store,
        };
      },
    });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
    worker?.shutdown();
    await running?.catch(() => undefined);
    await env?.teardown();
    await store?.close();
    await tracing?.shutdown();
  });

  it('from the form’s HTTP request through the submit, the workflow and its activities to the chat delivery', async () => {
    const ctx: FlowContext = { api: h.api, driver: h.driver, timeoutMs: 30_000 };
    const { record, responder } = await sergeantStartsRequest(ctx);
    const workflowId = bedRequestWorkflowId('northampton-cjc', record);
    await eventually(
      () => exporter.getFinishedSpans().filter((x) => x.name === 'chat.send').length >= 2 || undefined,
      30_000,
    );

    // A person's click over HTTP: its own trace, rooted at its own HTTP span.
    const click = await h.driver.interact(
      blockAction({
        user: USERS.responder,
        actionId: ACTION_IDS.acknowledge,
        value: workflowId,
        channel: responder.channel,
        messageTs: responder.ts,
      }),
    );
    expect(click.status).toBe(200);
    await eventually(() => exporter.getFinishedSpans().some((x) => x.name === 'concordat.act') || undefined);

    // The cancel closes the request, which ends the workflow's run span (workflow spans reach the
    // exporter through the worker's sink).
    await h.engine.client.act(workflowId, {
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
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));

    // The submit's parent is the view_submission's HTTP span, the root of the trace.
    const submit = one(spans, 'concordat.submit');
    expect(submit.attributes).toMatchObject({
      'concordat.workflow_id': workflowId,
      'concordat.start_status': 'started',
    });
    const http = byId.get(submit.parentSpanId ?? '');
    expect(http?.name).toBe(HTTP_SPAN);
    if (!http) throw new Error('no HTTP span');
    expect(http.parentSpanId).toBeUndefined();
    expect(http.kind).toBe(SpanKind.SERVER);
    expect(http.attributes).toEqual({
      'http.request.method': 'POST',
      'http.route': '/slack/events',
      'url.scheme': 'http',
      'concordat.platform': 'slack',
      'http.response.status_code': 200,
    });
    const traceId = http.spanContext().traceId;
    expect(submit.spanContext().traceId).toBe(traceId);
    const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
    // The slash command that opened the form was a request, and a trace, of its own.
    const httpSpans = spans.filter((s) => s.name === HTTP_SPAN);
    expect(httpSpans.length).toBeGreaterThanOrEqual(3);
    expect(new Set(httpSpans.map((s) => s.spanContext().traceId)).size).toBe(httpSpans.length);
    for (const s of httpSpans) expect(s.parentSpanId).toBeUndefined();

    const startWorkflow = one(inTrace, 'StartWorkflow:bedRequestWorkflow');
    expect(startWorkflow.parentSpanId).toBe(submit.spanContext().spanId);
    const run = one(inTrace, 'RunWorkflow:bedRequestWorkflow');
    expect(run.parentSpanId).toBe(startWorkflow.spanContext().spanId);

    // Every activity the workflow scheduled is in the trace: StartActivity under the run (or a
    // span of it), RunActivity under its StartActivity; each of them descends from the HTTP span.
    const runActivities = inTrace.filter((s) => s.name.startsWith('RunActivity:'));
    expect(runActivities.length).toBeGreaterThanOrEqual(2);
    for (const ra of runActivities) {
      const parent = byId.get(ra.parentSpanId ?? '');
      expect(parent?.name, ra.name).toBe(ra.name.replace('RunActivity:', 'StartActivity:'));
      expect(ancestors(parent, byId)).toContain(run);
      expect(ancestors(parent, byId).at(-1)).toBe(http);
    }

    // The chat deliveries: chat.send under a RunActivity, in the same trace as the HTTP request.
    const sends = inTrace.filter((s) => s.name === 'chat.send');
    expect(sends.length).toBeGreaterThanOrEqual(2);
    for (const send of sends) {
      expect(byId.get(send.parentSpanId ?? '')?.name).toMatch(/^RunActivity:/);
      expect(send.attributes['concordat.platform']).toBe('slack');
    }

    // IDs only: no attribute of any span carries the child's identity or the form's free text.
    const attributes = JSON.stringify(spans.map((s) => s.attributes));
    for (const personal of ['13/123456A', 'Jamie', 'Testchild', 'Asthma']) {
      expect(attributes).not.toContain(personal);
    }

    // The click: concordat.act under its own HTTP span, and the signal under the act.
    const acks = spans.filter(
      (x) => x.name === 'concordat.act' && x.attributes['concordat.action'] === 'acknowledge',
    );
    expect(acks).toHaveLength(1);
    const ack = acks[0] as ReadableSpan;
    expect(ack.attributes['concordat.workflow_id']).toBe(workflowId);
    const clickSpan = byId.get(ack.parentSpanId ?? '');
    expect(clickSpan?.name).toBe(HTTP_SPAN);
    expect(clickSpan?.parentSpanId).toBeUndefined();
    expect(clickSpan?.spanContext().traceId).not.toBe(traceId);
    expect(
      spans.some((x) => x.name === 'SignalWorkflow:action' && x.parentSpanId === ack.spanContext().spanId),
    ).toBe(true);
  }, 120_000);

  it('a refused request is a server span with its status, and nothing after it', async () => {
    exporter.reset();
    const res = await fetch(h.eventsUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-slack-signature': 'v0=forged',
        // A remote parent is not followed: the trace starts at Concordat's edge.
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
      body: 'payload=%7B%7D',
    });
    expect(res.status).toBe(401);
    const span = await eventually(() => exporter.getFinishedSpans().find((s) => s.name === HTTP_SPAN));
    expect(span.parentSpanId).toBeUndefined();
    expect(span.spanContext().traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span.attributes['http.response.status_code']).toBe(401);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([HTTP_SPAN]);
  });
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
