// The Teams bot's inbound HTTP span (bots/shared/http-span.ts): each POST /api/messages is one
// SERVER span, the root of its trace, and what the turn starts (here the desk's call into the
// bed requests) is its child. Real HTTP in emulator mode, with the fake Temporal side; the tracer
// provider is the one `npm start` registers (runtime/tracing.ts), with an in-memory exporter.
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing, type Tracing } from '../../../runtime/tracing.js';
import { eventually } from '../../support/workflow-harness.js';
import { startBotHarness, type BotHarness } from './support/bot-harness.js';
import { FakeBedRequests } from './support/fake-bed-requests.js';
import {
  PEOPLE,
  cardText,
  execute,
  invokeCard,
  post,
  validForm,
  type Where,
} from './support/teams-activities.js';

const HTTP_SPAN = 'POST /api/messages';
let h: BotHarness;
let tracing: Tracing;
const exporter = new InMemorySpanExporter();

beforeAll(async () => {
  const started = startTracing({
    serviceName: 'teams-test',
    spanProcessor: new SimpleSpanProcessor(exporter),
  });
  if (!started) throw new Error('tracing did not start');
  tracing = started;
  // The fake bed requests, with a span around each start as the traced client has in production.
  h = await startBotHarness({
    bedRequests: (store, protocol) => {
      const fake = new FakeBedRequests(protocol, store);
      const start = fake.start.bind(fake);
      fake.start = (input, requestedAt) =>
        trace.getTracer('test').startActiveSpan('test.submit', async (span) => {
          try {
            return await start(input, requestedAt);
          } finally {
            span.end();
          }
        });
      return fake;
    },
  });
});
afterAll(async () => {
  await h?.stop();
  await tracing?.shutdown();
});

describe('the Teams inbound HTTP span', () => {
  it('is the root of the submit’s trace, with the route and status and no personal data', async () => {
    const personal: Where = { kind: 'personal', person: PEOPLE.sergeant };
    const form = validForm({ givenName: 'Ysolde', familyName: 'Brackenwick' });
    const r = await post(
      h.url,
      execute(h.fake.serviceUrl, PEOPLE.sergeant, personal, 'bedrequest.submit', form),
    );
    expect(r.status).toBe(200);
    expect(cardText(invokeCard(r))).toContain('Request sent');
    const submit = await eventually(() => exporter.getFinishedSpans().find((s) => s.name === 'test.submit'));
    const http = await eventually(() =>
      exporter.getFinishedSpans().find((s) => s.spanContext().spanId === submit.parentSpanId),
    );
    expect(http.name).toBe(HTTP_SPAN);
    expect(http.kind).toBe(SpanKind.SERVER);
    expect(http.parentSpanId).toBeUndefined();
    expect(http.spanContext().traceId).toBe(submit.spanContext().traceId);
    expect(http.attributes).toEqual({
      'http.request.method': 'POST',
      'http.route': '/api/messages',
      'url.scheme': 'http',
      'concordat.platform': 'teams',
      'http.response.status_code': 200,
    });
    const attributes = JSON.stringify(exporter.getFinishedSpans().map((s) => s.attributes));
    for (const personalData of ['Ysolde', 'Brackenwick']) expect(attributes).not.toContain(personalData);
  });

  it('a body that is not an activity is a span with its 400, and starts nothing', async () => {
    exporter.reset();
    const r = await fetch(`${h.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"not":"an activity"}',
    });
    expect(r.status).toBe(400);
    const span = await eventually(() => exporter.getFinishedSpans().find((s) => s.name === HTTP_SPAN));
    expect(span.attributes['http.response.status_code']).toBe(400);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([HTTP_SPAN]);
  });
});
