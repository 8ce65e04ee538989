import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Activity, TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../../domain/logger.js';
import { inInboundSpan } from '../shared/http-span.js';
import type { ConcordatTeamsAdapter } from './adapter.js';
import { errorCode } from './handlers/turn.js';

/**
 * `/api/messages` on plain node:http. botbuilder's own `process()` wants restify- or
 * express-style `req.body`/`res.status()`; instead this reads and zod-checks the body itself and
 * hands the activity to the adapter, which authenticates it (Bot Framework JWT, unless in emulator
 * mode) before any handler runs. An activity that fails authentication is answered 401 and
 * nothing else happens.
 */

export const MESSAGES_PATH = '/api/messages';
const MAX_BODY_BYTES = 256 * 1024;

/** The envelope every Bot Framework activity has; handlers parse the rest. */
export const inboundActivitySchema = z
  .object({
    type: z.string().min(1),
    id: z.string().optional(),
    serviceUrl: z.string().url(),
    channelId: z.string().min(1),
    from: z.object({ id: z.string().min(1) }).passthrough(),
    recipient: z.object({ id: z.string().min(1) }).passthrough(),
    conversation: z.object({ id: z.string().min(1) }).passthrough(),
  })
  .passthrough();

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res
    .writeHead(status, {
      'content-type':
        typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    })
    .end(text);
}

/** Errors from authenticating the request (not from handler logic, which never escapes). */
function isAuthFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const status: unknown = Reflect.get(err, 'statusCode');
  const name: unknown = Reflect.get(err, 'name');
  return (
    status === 401 ||
    status === 403 ||
    name === 'JsonWebTokenError' ||
    name === 'TokenExpiredError' ||
    name === 'NotBeforeError' ||
    (err instanceof Error && /^unauthori[sz]ed/i.test(err.message))
  );
}

/**
 * The token signer's OpenID metadata or keys could not be fetched (network error, non-2xx, bad
 * JSON): botbuilder's OpenIdMetadata throws node-fetch's FetchError, or its own
 * AuthenticationError with status 500 and "Failed to load …". The request may be genuine, so the
 * answer is 503 (the channel retries later), not 401 and not 500.
 */
export function isSignerUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const name: unknown = Reflect.get(err, 'name');
  const status: unknown = Reflect.get(err, 'statusCode');
  if (name === 'FetchError') return true;
  return status === 500 && err instanceof Error && /^Failed to load (openID config|Keys)/.test(err.message);
}

export interface MessagesHandlerOptions {
  adapter: ConcordatTeamsAdapter;
  run: (context: TurnContext) => Promise<unknown>;
  log: Logger;
}

export function createMessagesHandler(o: MessagesHandlerOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' && req.method === 'GET') return send(res, 200, 'ok');
    if (path !== MESSAGES_PATH) return send(res, 404, 'not found');
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return send(res, 405, 'method not allowed');
    }
    // One SERVER span per activity (bots/shared/http-span.ts): the root of what the turn starts.
    return inInboundSpan(req, res, { route: MESSAGES_PATH, platform: 'teams' }, () => handle(req, res));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (err) {
      return send(res, err instanceof BodyTooLarge ? 413 : 400, 'bad request body');
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return send(res, 400, 'body is not JSON');
    }
    const parsed = inboundActivitySchema.safeParse(json);
    if (!parsed.success) {
      o.log.warn(
        { issues: parsed.error.issues.map((i) => i.path.join('.')) },
        'not a Bot Framework activity',
      );
      return send(res, 400, 'not a Bot Framework activity');
    }
    const activity = parsed.data as unknown as Activity;
    const authHeader = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    const started = Date.now();
    try {
      const response = await o.adapter.handleActivity(authHeader, activity, async (context) => {
        try {
          await o.run(context);
        } catch (err) {
          // Handlers catch their own errors; this is the last net. Answer 200 so the channel does
          // not redeliver the activity and run it twice.
          o.log.error({ type: activity.type, err: errorCode(err) }, 'Teams turn failed');
        }
      });
      if (activity.type === 'invoke') {
        o.log.debug({ ms: Date.now() - started, status: response?.status }, 'invoke answered');
      }
      return send(res, response?.status ?? 200, response?.body);
    } catch (err) {
      if (isSignerUnavailable(err)) {
        o.log.error(
          { type: activity.type, err: errorCode(err) },
          'Teams activity not checked: the Bot Framework token signer’s OpenID metadata could not be fetched',
        );
        res.setHeader('retry-after', '5');
        return send(res, 503, { error: 'Service Unavailable' });
      }
      if (isAuthFailure(err)) {
        o.log.warn(
          { type: activity.type, hasAuthorization: authHeader !== '', reason: errorCode(err) },
          'Teams activity refused: no valid Bot Framework token',
        );
        return send(res, 401, { error: 'Unauthorized' });
      }
      o.log.error({ type: activity.type, err: errorCode(err) }, 'Teams activity could not be processed');
      return send(res, 500, { error: 'Internal error' });
    }
  }
}

export function createMessagesServer(o: MessagesHandlerOptions): Server {
  const handler = createMessagesHandler(o);
  return createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      o.log.error({ err: errorCode(err) }, 'Teams HTTP handler failed');
      send(res, 500, { error: 'Internal error' });
    });
  });
}
