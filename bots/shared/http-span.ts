import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

/** The tracer the bots' inbound HTTP spans come from (runtime/tracing.ts registers the provider). */
export const HTTP_TRACER_NAME = 'concordat.http';

/**
 * Runs the handling of one inbound chat request inside an OpenTelemetry SERVER span named
 * `<method> <route>` (`POST /slack/events`, `POST /api/messages`), so that a bed request's trace
 * begins at the platform's HTTP request: everything the handler starts (the desk's submit span,
 * the client's StartWorkflow, the workflow and its activities) is a child of it, through the
 * API's active context. The span ends when the response is sent: for Slack that is the ack, so
 * its duration is the ack path; the work after the ack stays in the trace, as its children.
 *
 * Attributes are the route, the method, the platform and the response status, never the path's
 * query, a header, the body or anything a person typed. A `traceparent` header is not followed:
 * the request comes from outside, so the trace starts here. While no tracer provider is
 * registered (tracing off) the API hands out a no-op span and this costs next to nothing.
 */
export function inInboundSpan<T>(
  req: IncomingMessage,
  res: ServerResponse,
  o: { route: string; platform: 'slack' | 'teams' },
  handle: () => T,
): T {
  const method = req.method ?? 'GET';
  const attributes: Attributes = {
    'http.request.method': method,
    'http.route': o.route,
    'url.scheme': 'http',
    'concordat.platform': o.platform,
  };
  // A root span: the request's own context, never a remote parent's.
  const span = trace
    .getTracer(HTTP_TRACER_NAME)
    .startSpan(`${method} ${o.route}`, { kind: SpanKind.SERVER, attributes, root: true });
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    const status = res.headersSent ? res.statusCode : 0;
    if (status) span.setAttribute('http.response.status_code', status);
    // Server spans: a 4xx is the caller's fault, not ours (OpenTelemetry's HTTP conventions).
    if (status >= 500 || status === 0)
      span.setStatus({ code: SpanStatusCode.ERROR, ...(status ? {} : { message: 'no response' }) });
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  return context.with(trace.setSpan(context.active(), span), handle);
}
