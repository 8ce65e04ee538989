// With an app ID configured, /api/messages accepts only activities carrying a valid Bot Framework
// channel token (signed with a key from the OpenID metadata, issued by api.botframework.com, for
// this app ID and this serviceUrl). Anything else is refused 401 before any handler runs, so it
// stores nothing, starts nothing and sends nothing. The fake Bot Connector publishes the signing
// key, signs good tokens, and hands out outbound tokens.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeTokenCredentials } from '../../fakes/teams/fake-credentials.js';
import { startBotHarness, type BotHarness } from './support/bot-harness.js';
import {
  PEOPLE,
  botAdded,
  cardText,
  execute,
  invokeCard,
  message,
  post,
  validForm,
  type Where,
} from './support/teams-activities.js';
import { CHANNELS } from './support/teams-protocol.js';

const APP_ID = '6f1b2c3d-0000-4000-8000-00000000beef';
const PASSWORD = 'not-a-real-secret';
let h: BotHarness;
const me: Where = { kind: 'personal', person: PEOPLE.sergeant };

beforeAll(async () => {
  // botbuilder prints a refused token's verification error with console.error; the bot's own
  // log line (checked below) is the record that matters.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  h = await startBotHarness({
    env: { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: PASSWORD, MICROSOFT_APP_TYPE: 'MultiTenant' },
    adapterOverrides: (fake) => ({
      openIdMetadataUrl: fake.openIdMetadataUrl,
      credentialsFactory: fakeTokenCredentials(fake, APP_ID, PASSWORD),
    }),
  });
  h.fake.requireToken = true;
});
afterAll(async () => {
  vi.restoreAllMocks();
  await h?.stop();
});
beforeEach(() => h.fake.reset());

/** Three activities that would each change something if accepted. */
function effectful() {
  const s = h.fake.serviceUrl;
  return [
    botAdded(s, PEOPLE.lead, { kind: 'channel', channelId: CHANNELS.leads }),
    message(s, PEOPLE.sergeant, me, 'bedrequest'),
    execute(s, PEOPLE.sergeant, me, 'bedrequest.submit', validForm({ custodyRecordNumber: 'NC-FORGED-1' })),
  ];
}

async function expectNoEffect(): Promise<void> {
  expect(await h.store.getConversationReference('teams', CHANNELS.leads)).toBeNull();
  expect(h.fakeRequests?.starts.filter((x) => x.input.custodyRecordNumber === 'NC-FORGED-1')).toEqual([]);
  expect(h.fake.calls.filter((c) => c.kind !== 'openid' && c.kind !== 'keys')).toEqual([]);
}

describe('authenticated mode (MICROSOFT_APP_ID set)', () => {
  it('refuses an activity with no Authorization header: 401, no effect', async () => {
    for (const activity of effectful()) expect((await post(h.url, activity)).status).toBe(401);
    await expectNoEffect();
  });

  it('refuses garbage and the wrong scheme: 401, no effect', async () => {
    for (const auth of ['Bearer garbage', 'Bearer a.b.c', 'Basic dXNlcjpwYXNz', 'Bearer', 'eyJhbGciOi']) {
      for (const activity of effectful()) {
        expect((await post(h.url, activity, { authorization: auth })).status).toBe(401);
      }
    }
    await expectNoEffect();
  });

  it('refuses well-formed tokens that are forged, for another bot, expired, or for another serviceUrl', async () => {
    const tokens = {
      'signed with another key': h.fake.signWithForeignKey({ appId: APP_ID }),
      'for another app': h.fake.signChannelToken({ appId: 'someone-elses-bot' }),
      expired: h.fake.signChannelToken({ appId: APP_ID, expiresInSec: -3600 }),
      'another serviceUrl': h.fake.signChannelToken({ appId: APP_ID, serviceUrl: 'https://evil.example/' }),
      'another issuer': h.fake.signChannelToken({ appId: APP_ID, issuer: 'https://evil.example' }),
    };
    for (const [why, token] of Object.entries(tokens)) {
      for (const activity of effectful()) {
        const r = await post(h.url, activity, { authorization: `Bearer ${token}` });
        expect(r.status, why).toBe(401);
      }
    }
    await expectNoEffect();
    expect(h.logs.some((l) => l.msg === 'Teams activity refused: no valid Bot Framework token')).toBe(true);
    expect(h.rawLogs.join('\n')).not.toContain(tokens.expired);
  });

  it('accepts a valid channel token, and sends replies with its own bearer token', async () => {
    const auth = { authorization: `Bearer ${h.fake.signChannelToken({ appId: APP_ID })}` };
    const s = h.fake.serviceUrl;
    expect(
      (await post(h.url, botAdded(s, PEOPLE.lead, { kind: 'channel', channelId: CHANNELS.leads }), auth))
        .status,
    ).toBe(200);
    expect(await h.store.getConversationReference('teams', CHANNELS.leads)).not.toBeNull();

    const form = validForm();
    const r = await post(h.url, execute(s, PEOPLE.sergeant, me, 'bedrequest.submit', form), auth);
    expect(cardText(invokeCard(r))).toContain('Request sent');

    expect((await post(h.url, message(s, PEOPLE.sergeant, me, 'bedrequest'), auth)).status).toBe(200);
    const reply = await h.fake.waitFor(() => h.fake.posts()[0], 5_000, 'the form reply');
    expect(cardText(reply.activity)).toContain('Bed request: child charged and refused bail');
    const conversationCalls = h.fake.calls.filter((c) => c.kind === 'reply');
    expect(conversationCalls).toHaveLength(1);
    expect(conversationCalls[0]?.authorization).toBe(`Bearer ${h.fake.issuedTokens[0]}`);
  });
});

describe('emulator mode is the only path without a token', () => {
  it('needs no app ID at all, and accepts unauthenticated activities', async () => {
    const emu = await startBotHarness({ store: h.store });
    try {
      expect(emu.bot.config.auth).toEqual({ mode: 'emulator' });
      const r = await post(emu.url, message(emu.fake.serviceUrl, PEOPLE.sergeant, me, 'bedrequest'));
      expect(r.status).toBe(200);
      expect(emu.fake.posts()).toHaveLength(1);
      expect(emu.fake.calls[0]?.authorization).toBeUndefined();
      expect(emu.logs.some((l) => /local emulator mode/.test(l.msg))).toBe(true);
    } finally {
      await emu.stop();
    }
  });
});
