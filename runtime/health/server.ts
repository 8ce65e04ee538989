/**
 * The health server: /healthz, /readyz and /metrics on a port of their own (node:http, no
 * framework), one per process. A separate port, not a route on the bots' servers: the bots may
 * not import runtime/ (docs/architecture.md, the walls), and probes and scrapes should not share a
 * listener, or a body limit, with Slack's and Teams' traffic. Loopback by default, because
 * /readyz names dependencies and /metrics counts requests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../domain/logger.js';
import { metrics as processMetrics, PROMETHEUS_CONTENT_TYPE, type MetricsRegistry } from '../metrics.js';
import { checkReadiness, DEFAULT_CHECK_TIMEOUT_MS, type ReadinessCheck } from './readiness.js';

export interface HealthHandlerOptions {
  /** Which process this is (`worker`, `bots`, `all`), echoed in the bodies. */
  role: string;
  checks: readonly ReadinessCheck[];
  /** Defaults to the process registry (runtime/metrics.ts). */
  registry?: MetricsRegistry;
  checkTimeoutMs?: number;
  log?: Logger;
}

/** Handles the three routes; returns false for any other path, so a caller may mount it. */
export type HealthHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    // A probe's answer is about now: never cached by a proxy.
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : body);
}

const sendJson = (res: ServerResponse, status: number, body: unknown, head: boolean) =>
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`, head);

export function createHealthHandler(options: HealthHandlerOptions): HealthHandler {
  const registry = options.registry ?? processMetrics;
  const timeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const startedAt = Date.now();
  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://health.invalid').pathname;
    if (path !== '/healthz' && path !== '/readyz' && path !== '/metrics') return false;
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      sendJson(res, 405, { error: 'method not allowed' }, false);
      return true;
    }
    if (path === '/healthz') {
      // Alive means the event loop answers: no dependency is asked, so a database outage never
      // makes an orchestrator restart processes that would recover by themselves.
      sendJson(
        res,
        200,
        { status: 'ok', role: options.role, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) },
        head,
      );
      return true;
    }
    if (path === '/readyz') {
      const report = await checkReadiness(options.checks, timeoutMs);
      if (!report.ready) options.log?.warn({ notReady: report.notReady, role: options.role }, 'not ready');
      sendJson(
        res,
        report.ready ? 200 : 503,
        {
          status: report.ready ? 'ready' : 'not ready',
          role: options.role,
          ...(report.ready ? {} : { notReady: report.notReady }),
          checks: report.checks,
        },
        head,
      );
      return true;
    }
    send(res, 200, PROMETHEUS_CONTENT_TYPE, await registry.scrape(), head);
    return true;
  };
}

export interface HealthServer {
  /** The port bound (useful when 0 asked for any free one). */
  port: number;
  url: string;
  close(): Promise<void>;
}

export interface HealthServerOptions extends HealthHandlerOptions {
  port: number;
  host: string;
}

/** Starts the health server; resolves once it listens (rejects if the port is taken). */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const handle = createHealthHandler(options);
  const server: Server = createServer((req, res) => {
    handle(req, res)
      .then((handled) => {
        if (!handled)
          sendJson(res, 404, { error: 'not found', paths: ['/healthz', '/readyz', '/metrics'] }, false);
      })
      .catch((error: unknown) => {
        options.log?.error({ err: (error as Error).message }, 'health endpoint failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' }, false);
        else res.destroy();
      });
  });
  // Probes and scrapes are short; do not let an idle keep-alive connection hold a shutdown.
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    port,
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
