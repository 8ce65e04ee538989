// Inbound Bot Framework tokens checked against a real signing key: the test generates RSA keys,
// serves them as an OpenID metadata document and JWKS on loopback (support/token-signer.ts), and
// points the bot at it by configuration alone (TEAMS_OPENID_METADATA_URL). A token valid in every
// respect is accepted; each of the seven checks, failing on its own, gets 401 and changes nothing.
// A signer whose metadata cannot be fetched gets 503 (not 500), logged.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeTokenCredentials } from '../../fakes/teams/fake-credentials.js';
import { memoryStore, startBotHarness, type BotHarness } from './support/bot-harness.js';
import {
  PEOPLE,
  botAdded,
  execute,
  message,
  post,
  validForm,
  type Where,
} from './support/teams-activities.js';
import { CHANNELS } from './support/teams-protocol.js';
import { TokenSigner } from './support/token-signer.js';

const APP_ID = '0c0c0c0c-1111-4000-8000-00000000cafe';
const PASSWORD = 'not-a-real-secret';
const me: Where = { kind: 'personal', person: PEOPLE.sergeant };

function authEnv(metadataUrl: string): Record<string, string> {
  return {
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: PASSWORD,
    MICROSOFT_APP_TYPE: 'MultiTenant',
    TEAMS_OPENID_METADATA_URL: metadataUrl,
  };
}

async function harnessFor(signer: TokenSigner, store?: BotHarness['store']): Promise<BotHarness> {
  const h = await startBotHarness({
    env: authEnv(signer.metadataUrl),
    ...(store ? { store } : {}),
    // Outbound tokens only: inbound validation is configured by the environment above.
    adapterOverrides: (fake) => ({ credentialsFactory: fakeTokenCredentials(fake, APP_ID, PASSWORD) }),
  });
  h.fake.requireToken = true;
  return h;
}

/** Three activities that would each change something if accepted. */
function effectful(h: BotHarness) {
  const s = h.fake.serviceUrl;
  return [
    botAdded(s, PEOPLE.lead, { kind: 'channel', channelId: CHANNELS.leads }),
    message(s, PEOPLE.sergeant, me, 'bedrequest'),
    execute(s, PEOPLE.sergeant, me, 'bedrequest.submit', validForm({ custodyRecordNumber: 'NC-TOKEN-1' })),
  ];
}

async function expectNoEffect(h: BotHarness): Promise<void> {
  expect(await h.store.getConversationReference('teams', CHANNELS.leads)).toBeNull();
  expect(h.fakeRequests?.starts.filter((x) => x.input.custodyRecordNumber === 'NC-TOKEN-1')).toEqual([]);
  expect(h.fake.calls.filter((c) => c.kind !== 'token')).toEqual([]);
}

beforeAll(() => {
  // botbuilder prints a refused token's verification error with console.error.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(() => vi.restoreAllMocks());

describe('each token check, failing on its own', () => {
  let signer: TokenSigner;
  let h: BotHarness;
  beforeAll(async () => {
    signer = await new TokenSigner().start();
    h = await harnessFor(signer);
  });
  afterAll(async () => {
    await h?.stop();
    await signer?.stop();
  });
  beforeEach(() => h.fake.reset());

  const base = () => ({ appId: APP_ID, serviceUrl: h.fake.serviceUrl });

  it('accepts a token valid in every respect, with keys fetched from the configured metadata', async () => {
    const auth = { authorization: `Bearer ${signer.sign(base())}` };
    const r = await post(h.url, message(h.fake.serviceUrl, PEOPLE.sergeant, me, 'bedrequest'), auth);
    expect(r.status).toBe(200);
    await h.fake.waitFor(() => h.fake.posts()[0], 5_000, 'the form reply');
    expect(signer.requests.map((x) => x.path)).toEqual(['/v1/.well-known/openidconfiguration', '/v1/keys']);
  });

  // Each case changes one thing from the valid token above. Clock checks allow botbuilder's five
  // minutes of skew, so the times are ten minutes out. `reason` is the refusal the bot logged.
  const cases: Array<{ check: string; token: () => string; reason: RegExp }> = [
    {
      check: 'signature (signed with an unpublished key under a published key ID)',
      token: () => signer.sign(base(), {}, 'unpublished'),
      reason: /invalid signature/,
    },
    {
      check: 'issuer',
      token: () => signer.sign(base(), { iss: 'https://sts.evil.example/' }),
      reason: /No valid identity/,
    },
    {
      check: 'audience (another bot’s app ID)',
      token: () => signer.sign(base(), { aud: 'someone-elses-bot' }),
      reason: /Invalid AppId passed on token/,
    },
    {
      check: 'expiry (expired ten minutes ago)',
      token: () => signer.sign(base(), { exp: -600, nbf: -7200 }),
      reason: /token has expired/,
    },
    {
      check: 'not-before (valid from ten minutes ahead)',
      token: () => signer.sign(base(), { nbf: 600 }),
      reason: /NotBeforeError|jwt not active/,
    },
    {
      check: 'endorsement (a key endorsed for webchat, not msteams)',
      token: () => signer.sign(base(), {}, 'webchat'),
      reason: /Could not validate endorsement/,
    },
    {
      check: 'serviceUrl claim (another service URL)',
      token: () => signer.sign(base(), { serviceurl: 'https://smba.evil.example/' }),
      reason: /ServiceUrl claim do not match/,
    },
  ];

  for (const c of cases) {
    it(`refuses a token failing only its ${c.check}: 401, no effect`, async () => {
      const logsBefore = h.logs.length;
      const token = c.token();
      for (const activity of effectful(h)) {
        const r = await post(h.url, activity, { authorization: `Bearer ${token}` });
        expect(r.status, c.check).toBe(401);
      }
      await expectNoEffect(h);
      const refusals = h.logs
        .slice(logsBefore)
        .filter((l) => l.msg === 'Teams activity refused: no valid Bot Framework token');
      expect(refusals).toHaveLength(3);
      for (const l of refusals) expect(String(l.reason), c.check).toMatch(c.reason);
      expect(h.rawLogs.join('\n')).not.toContain(token);
    });
  }
});

describe('a token signer that cannot be reached', () => {
  it('answers 503 (not 500 or 401) when the metadata is refused or the host is down, logs it, and does nothing', async () => {
    // botbuilder caches metadata per URL, so each outage gets a signer (and URL) of its own.
    const failing = await new TokenSigner().start();
    failing.metadataStatus = 503;
    const down = await new TokenSigner().start();
    await down.stop(); // its keys still sign; its port answers nothing
    const outages: Array<{ why: string; signer: TokenSigner }> = [
      { why: 'metadata answers 503', signer: failing },
      { why: 'nothing listening', signer: down },
    ];
    const store = await memoryStore();
    for (const { why, signer } of outages) {
      const h = await harnessFor(signer, store);
      try {
        const token = signer.sign({ appId: APP_ID, serviceUrl: h.fake.serviceUrl });
        for (const activity of effectful(h)) {
          const r = await post(h.url, activity, { authorization: `Bearer ${token}` });
          expect(r.status, why).toBe(503);
        }
        await expectNoEffect(h);
        const logged = h.logs.filter((l) => /OpenID metadata could not be fetched/.test(l.msg));
        expect(logged.length, why).toBe(3);
        expect(logged.every((l) => l.level === 50)).toBe(true);
      } finally {
        await h.stop();
      }
    }
    await failing.stop();
    await store.close();
  });
});
