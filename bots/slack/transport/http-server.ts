import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../../../domain/logger.js';
import { inInboundSpan } from '../../shared/http-span.js';
import { isSslCheck, type RequestGuard } from './request-guard.js';

export const EVENTS_PATH = '/slack/events';
const BODY_LIMIT = 1024 * 1024;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buf.length;
    if (size > BODY_LIMIT) throw new BodyTooLarge();
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function reply(res: ServerResponse, status: number, text: string) {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/**
 * The HTTP front of Bolt's HTTPReceiver, and the only way in to it: reads the body once, runs the
 * request guard (signature, timestamp both ways, replay), then hands the buffered request to Bolt,
 * which parses and dispatches (its own signature check is off: bots/slack/index.ts). Bolt's
 * `bufferIncomingMessage` reuses `rawBody` when it is already set.
 * Also serves GET /healthz for load balancers. Each POST to the events path is one SERVER span
 * (bots/shared/http-span.ts), the root of whatever the request starts; it ends at the ack.
 */
export function createHttpServer(opts: { receiver: HTTPReceiver; guard: RequestGuard; log: Logger }): Server {
  const log = opts.log.child({ component: 'slack-http' });
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/healthz') return reply(res, 200, 'ok');
    if (path !== EVENTS_PATH || req.method !== 'POST') return reply(res, 404, 'not found');
    void inInboundSpan(req, res, { route: EVENTS_PATH, platform: 'slack' }, async () => {
      let body: Buffer;
      try {
        body = await readBody(req);
      } catch (error) {
        if (error instanceof BodyTooLarge) return reply(res, 413, 'too large');
        return reply(res, 400, 'bad request');
      }
      if (!isSslCheck(req.headers, body)) {
        const verdict = opts.guard.check(req.headers, body);
        if (!verdict.ok) {
          log.warn({ reason: verdict.reason }, 'refused a Slack request');
          return reply(res, 401, 'invalid request');
        }
      }
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
      try {
        opts.receiver.requestListener(req, res);
      } catch (error) {
        log.error({ err: error instanceof Error ? error.message : String(error) }, 'Slack receiver failed');
        reply(res, 500, 'error');
      }
    });
  });
}

export async function listen(server: Server, port: number, host?: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function close(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
