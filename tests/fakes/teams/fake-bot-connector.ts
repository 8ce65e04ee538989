/**
 * A fake Bot Connector service (the Teams side of the Bot Framework REST API) on loopback.
 *
 * It records every call the bot makes: replies and proactive sends
 * (`POST /v3/conversations/{id}/activities[/{replyToId}]`), updates
 * (`PUT /v3/conversations/{id}/activities/{activityId}`) and new conversations
 * (`POST /v3/conversations`). It keeps each message's latest content, so a test can ask "how many
 * cards are there, and what do they show now". On demand it answers 429 (with Retry-After) or 5xx.
 *
 * It also plays the Bot Framework's token service for authenticated-mode tests: OpenID metadata
 * and a signing key (`/.well-known/openidconfiguration`, `/keys`) so inbound tokens it signs
 * with `signChannelToken()` validate, and a client-credentials token endpoint
 * (`/oauth2/v2.0/token`) for outbound calls. In emulator mode the bot asks for neither.
 */
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type CallKind =
  'send' | 'reply' | 'update' | 'create' | 'channels' | 'token' | 'openid' | 'keys' | 'other';

export interface ConnectorCall {
  kind: CallKind;
  method: string;
  path: string;
  conversationId?: string;
  activityId?: string;
  body: unknown;
  authorization?: string;
  /** What the fake answered. */
  status: number;
}

export interface StoredMessage {
  id: string;
  conversationId: string;
  replyToId?: string;
  /** The latest content (after any updates). */
  activity: Record<string, unknown>;
  /** Every version: the post, then each update. */
  versions: Array<Record<string, unknown>>;
  /** When it was posted (epoch ms). */
  postedAt: number;
}

export interface ScriptedFailure {
  status: number;
  retryAfter?: string;
  /** Only calls of these kinds are failed (default: send, reply, update, create). */
  kinds?: CallKind[];
  /** How many matching calls to fail. */
  times: number;
}

export const CHANNEL_TOKEN_ISSUER = 'https://api.botframework.com';

function b64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text) return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        resolve(text);
      }
    });
    req.on('error', reject);
  });
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export class FakeBotConnector {
  readonly calls: ConnectorCall[] = [];
  readonly messages = new Map<string, StoredMessage>();
  readonly conversationsCreated: Array<{ id: string; body: unknown }> = [];
  /** Outbound access tokens handed out by the token endpoint. */
  readonly issuedTokens: string[] = [];
  /** When set, conversation calls without `Authorization: Bearer <issued token>` get 401. */
  requireToken = false;
  /** The channels `GET /v3/teams/{teamId}/conversations` lists (default: the General channel only). */
  readonly teamChannels = new Map<string, Array<{ id: string; name?: string }>>();
  /** Delay before answering conversation calls (to test timeouts and budgets). */
  latencyMs = 0;

  private server: Server | null = null;
  private port = 0;
  private seq = 0;
  private failures: ScriptedFailure[] = [];
  private readonly keyId = `fake-key-${randomUUID().slice(0, 8)}`;
  private readonly privateKey: KeyObject;
  private readonly publicJwk: { n: string; e: string };

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    this.publicJwk = { n: String(jwk.n), e: String(jwk.e) };
  }

  /** The serviceUrl to put on activities (with the trailing slash Teams uses). */
  get serviceUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  get openIdMetadataUrl(): string {
    return `${this.serviceUrl}.well-known/openidconfiguration`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Fail the next `times` matching calls with `status` (e.g. 429 with Retry-After, or 503). */
  failNext(failure: ScriptedFailure): void {
    this.failures.push({ ...failure });
  }

  clearFailures(): void {
    this.failures = [];
  }

  reset(): void {
    this.calls.length = 0;
    this.messages.clear();
    this.conversationsCreated.length = 0;
    this.failures = [];
  }

  /** Successful posts (new messages and replies), oldest first. */
  posts(): StoredMessage[] {
    return [...this.messages.values()];
  }

  postsIn(conversationId: string): StoredMessage[] {
    return this.posts().filter(
      (m) => m.conversationId === conversationId || m.conversationId.startsWith(`${conversationId};`),
    );
  }

  /** The Adaptive Card of a message (its latest version), if it carries one. */
  static cardOf(message: StoredMessage | Record<string, unknown>): Record<string, unknown> | null {
    const activity = 'versions' in message ? (message as StoredMessage).activity : message;
    const attachments = activity.attachments;
    if (!Array.isArray(attachments)) return null;
    const first = asRecord(attachments[0]);
    return first.contentType === 'application/vnd.microsoft.card.adaptive' ? asRecord(first.content) : null;
  }

  /** Polls (real time) until `check` returns something truthy. */
  async waitFor<T>(
    check: () => T | undefined | null | false,
    timeoutMs = 15_000,
    what = 'condition',
  ): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v) return v;
      if (Date.now() > until) throw new Error(`FakeBotConnector: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /**
   * A Bot Framework channel token as Teams would send it to the bot: RS256, signed with this
   * fake's key, issuer api.botframework.com, audience the bot's app ID, serviceurl claim.
   */
  signChannelToken(claims: {
    appId: string;
    serviceUrl?: string;
    expiresInSec?: number;
    issuer?: string;
  }): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: this.keyId };
    const payload = {
      iss: claims.issuer ?? CHANNEL_TOKEN_ISSUER,
      aud: claims.appId,
      serviceurl: claims.serviceUrl ?? this.serviceUrl,
      nbf: now - 60,
      iat: now - 60,
      exp: now + (claims.expiresInSec ?? 3600),
    };
    const data = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const signature = createSign('RSA-SHA256').update(data).sign(this.privateKey);
    return `${data}.${b64url(signature)}`;
  }

  /** A token shaped like a channel token (this fake's key ID) but signed with some other key. */
  signWithForeignKey(claims: { appId: string; serviceUrl?: string }): string {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const genuine = this.signChannelToken(claims);
    const [header = '', payload = ''] = genuine.split('.');
    const data = `${header}.${payload}`;
    return `${data}.${b64url(createSign('RSA-SHA256').update(data).sign(privateKey))}`;
  }

  private nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${Date.now().toString(36)}${this.seq.toString().padStart(4, '0')}`;
  }

  private takeFailure(kind: CallKind): ScriptedFailure | null {
    const i = this.failures.findIndex(
      (f) => f.times > 0 && (f.kinds ?? ['send', 'reply', 'update', 'create']).includes(kind),
    );
    if (i === -1) return null;
    const f = this.failures[i];
    if (!f) return null;
    f.times -= 1;
    if (f.times <= 0) this.failures.splice(i, 1);
    return f;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.serviceUrl);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const body = await readJson(req);
    const authorization = req.headers.authorization;
    const reply = (
      call: Omit<ConnectorCall, 'status' | 'method' | 'path' | 'body'>,
      status: number,
      json?: unknown,
      headers: Record<string, string> = {},
    ) => {
      this.calls.push({ ...call, method, path, body, status, ...(authorization ? { authorization } : {}) });
      res
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(json === undefined ? '' : JSON.stringify(json));
    };

    // Token service and OpenID metadata.
    if (method === 'GET' && path.endsWith('/.well-known/openidconfiguration')) {
      return reply({ kind: 'openid' }, 200, {
        issuer: CHANNEL_TOKEN_ISSUER,
        jwks_uri: `${this.serviceUrl}keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }
    if (method === 'GET' && path === '/keys') {
      return reply({ kind: 'keys' }, 200, {
        keys: [
          {
            kty: 'RSA',
            use: 'sig',
            kid: this.keyId,
            n: this.publicJwk.n,
            e: this.publicJwk.e,
            endorsements: ['msteams'],
          },
        ],
      });
    }
    if (method === 'POST' && path.endsWith('/oauth2/v2.0/token')) {
      const token = `fake-access-${randomUUID()}`;
      this.issuedTokens.push(token);
      return reply({ kind: 'token' }, 200, {
        token_type: 'Bearer',
        expires_in: 3600,
        ext_expires_in: 3600,
        access_token: token,
      });
    }

    const teams = /^\/v3\/teams\/([^/]+)\/conversations\/?$/.exec(path);
    if (teams && method === 'GET') {
      const teamId = decodeURIComponent(teams[1] ?? '');
      const channels = this.teamChannels.get(teamId) ?? [{ id: teamId, name: 'General' }];
      return reply({ kind: 'channels', conversationId: teamId }, 200, { conversations: channels });
    }
    const m = /^\/v3\/conversations(?:\/([^/]+)\/activities(?:\/([^/]+))?)?\/?$/.exec(path);
    if (!m) return reply({ kind: 'other' }, 404, { error: { code: 'NotFound', message: path } });
    const conversationId = m[1] ? decodeURIComponent(m[1]) : undefined;
    const activityId = m[2] ? decodeURIComponent(m[2]) : undefined;
    const kind: CallKind = !conversationId
      ? 'create'
      : method === 'PUT'
        ? 'update'
        : activityId
          ? 'reply'
          : 'send';
    const base = {
      kind,
      ...(conversationId ? { conversationId } : {}),
      ...(activityId ? { activityId } : {}),
    };
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    if (this.requireToken) {
      const token = authorization?.replace(/^Bearer /, '');
      if (!token || !this.issuedTokens.includes(token)) {
        return reply(base, 401, { error: { code: 'Unauthorized', message: 'no or unknown bearer token' } });
      }
    }
    const failure = this.takeFailure(kind);
    if (failure) {
      const headers: Record<string, string> = failure.retryAfter ? { 'retry-after': failure.retryAfter } : {};
      return reply(
        base,
        failure.status,
        {
          error: { code: failure.status === 429 ? 'Throttled' : 'ServiceError', message: 'scripted failure' },
        },
        headers,
      );
    }
    const activity = asRecord(body);
    if (kind === 'create') {
      const id = this.nextId('a:1:personal-');
      this.conversationsCreated.push({ id, body });
      return reply(base, 201, { id, serviceUrl: this.serviceUrl });
    }
    if (kind === 'update') {
      const existing = activityId ? this.messages.get(activityId) : undefined;
      if (!existing || !activityId)
        return reply(base, 404, { error: { code: 'NotFound', message: 'no such activity' } });
      existing.activity = activity;
      existing.versions.push(activity);
      return reply(base, 200, { id: activityId });
    }
    if (method !== 'POST' || !conversationId) return reply(base, 405, { error: { code: 'BadMethod' } });
    const id = this.nextId('1');
    this.messages.set(id, {
      id,
      conversationId,
      ...(activityId ? { replyToId: activityId } : {}),
      activity,
      versions: [activity],
      postedAt: Date.now(),
    });
    return reply(base, 201, { id });
  }
}
