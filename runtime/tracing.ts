import { trace, SpanKind, SpanStatusCode, type Attributes, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import type { ChatPort } from '../domain/chat-port.js';
import type { BedRequestClient } from './bed-request-client.js';

/**
 * OpenTelemetry tracing, off unless asked for. With `OTEL_EXPORTER_OTLP_ENDPOINT` set, each
 * process registers a Node tracer provider exporting over OTLP/HTTP (the exporter also reads the
 * standard `OTEL_EXPORTER_OTLP_HEADERS`, `…_TIMEOUT` and `…_TRACES_ENDPOINT`), and the Temporal
 * client and worker carry the trace context (the SDK's own OpenTelemetry plugin), so one bed
 * request is one trace:
 *
 *   POST /slack/events, POST /api/messages (the platform's inbound request: bots/shared/http-span.ts)
 *     └ concordat.submit (the bot's call into the client)
 *         └ StartWorkflow:bedRequestWorkflow
 *             └ RunWorkflow:bedRequestWorkflow
 *                 └ StartActivity:<name> └ RunActivity:<name>
 *                                            └ chat.send / chat.find_delivered (the delivery)
 *
 * The inbound span is the trace's root (a `traceparent` from outside is not followed); it ends
 * when the bot answers (Slack: the ack), and the work the request started continues beneath it.
 * A person's click is a trace of its own, rooted the same way: its HTTP span, then concordat.act.
 *
 * Spans carry IDs (workflow, activity, platform, FailureCode), never a child's identity: the
 * payloads are encrypted and no span attribute is taken from one (tests/pii/ scans logs and
 * histories; tests/runtime/tracing.test.ts lists the attributes).
 */

export const TRACER_NAME = 'concordat';

export interface TracingOptions {
  /** `OTEL_SERVICE_NAME`, else concordat-worker / concordat-bots. */
  serviceName: string;
  /** The OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`), e.g. http://collector:4318. */
  otlpEndpoint?: string;
  /** Tests: an in-memory processor instead of the OTLP exporter. */
  spanProcessor?: SpanProcessor;
}

export interface Tracing {
  /** The SDK plugin for the Temporal client and worker (`plugins: [tracing.plugin]`). */
  readonly plugin: OpenTelemetryPlugin;
  readonly provider: NodeTracerProvider;
  /** Flushes and stops the exporter (on shutdown). */
  shutdown(): Promise<void>;
}

/** Starts tracing if an endpoint (or a test processor) is given; otherwise null and nothing runs. */
export function startTracing(o: TracingOptions): Tracing | null {
  const spanProcessor =
    o.spanProcessor ??
    (o.otlpEndpoint
      ? new BatchSpanProcessor(
          new OTLPTraceExporter({ url: `${o.otlpEndpoint.replace(/\/+$/, '')}/v1/traces` }),
        )
      : undefined);
  if (!spanProcessor) return null;
  const resource = new Resource({ 'service.name': o.serviceName });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // Global: the API's tracer (bed-request client, chat router) and the AsyncLocalStorage context.
  provider.register();
  const plugin = new OpenTelemetryPlugin({ resource, spanProcessor });
  return {
    plugin,
    provider,
    async shutdown() {
      await provider.forceFlush();
      await provider.shutdown();
      trace.disable();
    },
  };
}

function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/**
 * Runs `work` in a span (a no-op while no provider is registered). An error is recorded with its
 * name (a FailureCode for coded failures) and rethrown; its message is not copied, so no text a
 * person typed reaches the trace.
 */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: () => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work();
    } catch (err) {
      const code = failureType(err);
      span.setAttribute('concordat.failure', code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: code });
      throw err;
    } finally {
      span.end();
    }
  });
}

function failureType(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'UNKNOWN';
  const type: unknown = Reflect.get(err, 'type');
  if (typeof type === 'string' && type) return type;
  const name: unknown = Reflect.get(err, 'name');
  return typeof name === 'string' && name ? name : 'UNKNOWN';
}

/**
 * The bed-request client with a span around each call into Temporal: `concordat.submit` (the
 * client's StartWorkflow span and everything after are its children), `concordat.act` for each
 * person's action. Under a bot each is a child of the inbound HTTP span; on its own (the outbox
 * drainer, a script) it is the root.
 */
export function tracedBedRequests(client: BedRequestClient): BedRequestClient {
  return {
    ...client,
    start: (input, requestedAt) =>
      inSpan(
        'concordat.submit',
        { 'concordat.custody_suite': input.custodySuiteId },
        async () => {
          const result = await client.start(input, requestedAt);
          trace.getActiveSpan()?.setAttributes({
            'concordat.workflow_id': result.workflowId,
            'concordat.start_status': result.status,
          });
          return result;
        },
        SpanKind.SERVER,
      ),
    act: (workflowId, envelope) =>
      inSpan(
        'concordat.act',
        { 'concordat.workflow_id': workflowId, 'concordat.action': envelope.action.kind },
        () => client.act(workflowId, envelope),
        SpanKind.SERVER,
      ),
  };
}

/** The worker's chat port with a span (platform, destination kind) around each platform call. */
export function tracedChatPort(port: ChatPort): ChatPort {
  const traced: ChatPort = {
    send: (destination, message, options) =>
      inSpan(
        'chat.send',
        { 'concordat.platform': destination.platform },
        () => port.send(destination, message, options),
        SpanKind.CLIENT,
      ),
    notifyPerson: (person, refusal) =>
      inSpan(
        'chat.notify_person',
        { 'concordat.platform': person.platform, 'concordat.refusal': refusal.code },
        () => port.notifyPerson(person, refusal),
        SpanKind.CLIENT,
      ),
  };
  const find = port.findDelivered?.bind(port);
  if (find) {
    traced.findDelivered = (destination, deliveryId, options) =>
      inSpan(
        'chat.find_delivered',
        { 'concordat.platform': destination.platform },
        () => find(destination, deliveryId, options),
        SpanKind.CLIENT,
      );
  }
  return traced;
}

export { SpanKind };
