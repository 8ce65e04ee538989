/**
 * A Bot Framework token signer on loopback, as the channel's side of inbound authentication: an
 * OpenID metadata document (`/.well-known/openidconfiguration`) whose `jwks_uri` lists RSA keys
 * generated for this run (node:crypto, exported as JWKs with Bot Framework `endorsements`), and a
 * signer for RS256 channel tokens. The bot is pointed at it by TEAMS_OPENID_METADATA_URL only.
 *
 * Keys: `teams` (endorsed for msteams) and `webchat` (endorsed for webchat only) are published;
 * `unpublished` is not, and signs under the `teams` key ID to forge a signature.
 */
import { createSign, generateKeyPair, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

type KeyName = 'teams' | 'webchat' | 'unpublished';

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: { kty: 'RSA'; use: 'sig'; kid: string; n: string; e: string; endorsements: string[] };
}

const generateRsa = promisify(generateKeyPair);

async function makeKey(kid: string, endorsements: string[]): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    kid,
    privateKey,
    jwk: { kty: 'RSA', use: 'sig', kid, n: String(jwk.n), e: String(jwk.e), endorsements },
  };
}

const b64url = (v: Buffer | string) => Buffer.from(v).toString('base64url');

export interface ChannelClaims {
  iss?: string;
  aud?: string;
  serviceurl?: string;
  /** Seconds from now. */
  nbf?: number;
  exp?: number;
}

export class TokenSigner {
  /** Each request the signer answered: the path and the status. */
  readonly requests: Array<{ path: string; status: number }> = [];
  /** When set, the metadata document is answered with this status instead of 200. */
  metadataStatus = 200;
  private server: Server | null = null;
  private port = 0;
  private keys: Record<KeyName, SigningKey> | null = null;

  async start(): Promise<this> {
    const [teams, webchat, unpublished] = await Promise.all([
      makeKey('concordat-test-teams', ['msteams']),
      makeKey('concordat-test-webchat', ['webchat']),
      makeKey('concordat-test-teams', ['msteams']),
    ]);
    this.keys = { teams, webchat, unpublished };
    const s = createServer((req, res) => this.handle(req, res));
    this.server = s;
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    this.port = (s.address() as AddressInfo).port;
    return this;
  }

  get metadataUrl(): string {
    return `http://127.0.0.1:${this.port}/v1/.well-known/openidconfiguration`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** An RS256 channel token: a valid one for `appId` and `serviceUrl`, with `change` applied. */
  sign(
    base: { appId: string; serviceUrl: string },
    change: ChannelClaims = {},
    key: KeyName = 'teams',
  ): string {
    if (!this.keys) throw new Error('TokenSigner not started');
    const k = this.keys[key];
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: change.iss ?? BOT_FRAMEWORK_ISSUER,
      aud: change.aud ?? base.appId,
      serviceurl: change.serviceurl ?? base.serviceUrl,
      nbf: now + (change.nbf ?? -60),
      iat: now - 60,
      exp: now + (change.exp ?? 3600),
    };
    const data = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: k.kid }))}.${b64url(JSON.stringify(payload))}`;
    return `${data}.${b64url(createSign('RSA-SHA256').update(data).sign(k.privateKey))}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const answer = (status: number, body: unknown) => {
      this.requests.push({ path, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method === 'GET' && path === '/v1/.well-known/openidconfiguration') {
      if (this.metadataStatus !== 200) return answer(this.metadataStatus, { error: 'unavailable' });
      return answer(200, {
        issuer: BOT_FRAMEWORK_ISSUER,
        authorization_endpoint: `http://127.0.0.1:${this.port}/v1/auth`,
        jwks_uri: `http://127.0.0.1:${this.port}/v1/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }
    if (req.method === 'GET' && path === '/v1/keys' && this.keys) {
      return answer(200, { keys: [this.keys.teams.jwk, this.keys.webchat.jwk] });
    }
    return answer(404, { error: 'not found' });
  }
}
