import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTeamsAdapter } from '../../../../bots/teams/adapter.js';
import type { PacerOptions } from '../../../../bots/teams/chat-port/pacer.js';
import { createTeamsChatPort } from '../../../../bots/teams/chat-port/teams-chat-port.js';
import type { Destination } from '../../../../domain/chat-port.js';
import { FailureCode } from '../../../../domain/failures.js';
import type { Store } from '../../../../store/open-store.js';
import { FakeBotConnector } from '../../../fakes/teams/fake-bot-connector.js';
import { captureLogger, memoryStore } from '../support/bot-harness.js';
import { AAD, CHANNELS, TENANT } from '../support/teams-protocol.js';
import { CHILD, viewsAtEveryStage } from '../support/views.js';

let fake: FakeBotConnector;
let store: Store;
const { log, lines, raw } = captureLogger();

const EDT: Destination = { platform: 'teams', address: CHANNELS.edt };
const view = viewsAtEveryStage().new!;
const card = { kind: 'request_card', audience: 'responder', view } as const;

function channelReference(channelId: string) {
  return {
    serviceUrl: fake.serviceUrl,
    channelId: 'msteams',
    bot: { id: '28:concordat-bot', name: 'Concordat' },
    conversation: { id: channelId, conversationType: 'channel', isGroup: true, tenantId: TENANT },
  };
}

function port(pacer?: PacerOptions) {
  return createTeamsChatPort({
    adapter: createTeamsAdapter({ auth: { mode: 'emulator' } }),
    store,
    log,
    ...(pacer ? { pacer } : {}),
  });
}

async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApplicationFailure) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  fake = await new FakeBotConnector().start();
  store = await memoryStore();
  await store.saveConversationReference('teams', CHANNELS.edt, channelReference(CHANNELS.edt));
  await store.saveConversationReference('teams', CHANNELS.custody, channelReference(CHANNELS.custody));
});
afterAll(async () => {
  await fake.stop();
  await store.close();
});
beforeEach(() => fake.reset());

describe('the Teams chat port (proactive, through stored conversation references)', () => {
  it('posts a card into the channel, updates it in place, and threads notes under it', async () => {
    const chat = port();
    const ref = await chat.send(EDT, card);
    expect(ref).toEqual({
      platform: 'teams',
      conversationId: CHANNELS.edt,
      messageId: expect.any(String) as string,
    });
    expect(fake.calls.map((c) => `${c.kind} ${c.status}`)).toEqual(['send 201']);
    const posted = fake.messages.get(ref.messageId)!;
    expect(FakeBotConnector.cardOf(posted)).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });

    const acknowledged = viewsAtEveryStage().acknowledged!;
    const again = await chat.send(EDT, { ...card, view: acknowledged }, { existing: ref });
    expect(again).toEqual(ref);
    expect(fake.calls.map((c) => `${c.kind} ${c.status}`)).toEqual(['send 201', 'update 200']);
    expect(posted.versions).toHaveLength(2);
    expect(JSON.stringify(FakeBotConnector.cardOf(posted))).toContain('Acknowledged');

    const note = await chat.send(
      EDT,
      { kind: 'event_note', view: acknowledged, event: { type: 'acknowledged' } },
      { threadOf: ref },
    );
    expect(note.conversationId).toBe(`${CHANNELS.edt};messageid=${ref.messageId}`);
    expect(fake.calls.at(-1)).toMatchObject({
      kind: 'send',
      conversationId: `${CHANNELS.edt};messageid=${ref.messageId}`,
    });
    expect(fake.posts()).toHaveLength(2);
    // Emulator mode: no token asked for, none sent.
    expect(fake.calls.every((c) => c.authorization === undefined)).toBe(true);
  });

  it('a shift change updates the old team’s card in place: handed over, with no actions and no refresh', async () => {
    const chat = port();
    const ref = await chat.send(EDT, card);
    const posted = fake.messages.get(ref.messageId)!;
    expect(FakeBotConnector.cardOf(posted)?.actions).toEqual(expect.arrayContaining([expect.anything()]));
    await chat.send(
      EDT,
      { ...card, handedOver: { to: 'in_hours', at: '2026-01-06T09:00:00.000Z' } },
      { existing: ref },
    );
    expect(fake.calls.map((c) => `${c.kind} ${c.status}`)).toEqual(['send 201', 'update 200']);
    const updated = FakeBotConnector.cardOf(posted);
    expect(JSON.stringify(updated)).toContain('Handed over to the duty team at 09:00 on Tue 6 Jan 2026');
    expect(JSON.stringify(updated)).not.toMatch(/Action\.(Execute|Submit|ShowCard)/);
    expect(updated?.refresh).toBeUndefined();
  });

  it('with no stored reference: a clear logged error and a retryable NoConversationReference, nothing sent', async () => {
    const f = await failureOf(port().send({ platform: 'teams', address: '19:nowhere@thread.tacv2' }, card));
    expect(f.type).toBe(FailureCode.NoConversationReference);
    expect(f.nonRetryable).toBe(false);
    expect(fake.calls).toHaveLength(0);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        destination: '19:nowhere@thread.tacv2',
        failure: 'NO_CONVERSATION_REFERENCE',
      }),
    );
  });

  it('on 429: one request only (the connector’s own retry policy is off), and Retry-After becomes the activity’s next retry delay', async () => {
    fake.failNext({ status: 429, retryAfter: '2', times: 1 });
    const f = await failureOf(port().send(EDT, card));
    expect(f.type).toBe(FailureCode.ChatRateLimited);
    expect(f.nonRetryable).toBe(false);
    expect(f.nextRetryDelay).toBe(2000);
    expect(fake.calls.map((c) => `${c.kind} ${c.status}`)).toEqual(['send 429']);
    expect(fake.posts()).toHaveLength(0);
  });

  it('on 5xx: one request only, retryable ChatUnavailable', async () => {
    fake.failNext({ status: 503, times: 1 });
    const f = await failureOf(port().send(EDT, card));
    expect(f.type).toBe(FailureCode.ChatUnavailable);
    expect(f.nonRetryable).toBe(false);
    expect(fake.calls.map((c) => `${c.kind} ${c.status}`)).toEqual(['send 503']);
  });

  it('on 403 (the bot was removed): ChatRejected, not retried', async () => {
    fake.failNext({ status: 403, times: 1 });
    const f = await failureOf(port().send(EDT, card));
    expect(f.type).toBe(FailureCode.ChatRejected);
    expect(f.nonRetryable).toBe(true);
  });

  it('a retry after a 429 posts the card once', async () => {
    const chat = port();
    fake.failNext({ status: 429, retryAfter: '1', times: 2 });
    const attempts: string[] = [];
    let ref;
    for (let i = 0; i < 5 && !ref; i++) {
      try {
        ref = await chat.send(EDT, card);
      } catch (err) {
        attempts.push((err as ApplicationFailure).type ?? 'other');
      }
    }
    expect(attempts).toEqual(['CHAT_RATE_LIMITED', 'CHAT_RATE_LIMITED']);
    expect(fake.posts()).toHaveLength(1);
  });

  it('paces a burst to one thread under 7 a second, and defers past the wait limit instead of sleeping', async () => {
    // The pacer's clock stands still, so the test does not depend on how busy the machine is:
    // 7 go at once, the 8th and 9th wait 143 and 286 ms, the 10th would wait 429 ms > 400.
    const waits: number[] = [];
    const chat = port({
      maxWaitMs: 400,
      now: () => 0,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => chat.send(EDT, card)));
    const sent = results.filter((r) => r.status === 'fulfilled').length;
    const deferred = results.filter(
      (r) => r.status === 'rejected' && (r.reason as ApplicationFailure).type === FailureCode.ChatRateLimited,
    );
    expect(sent).toBe(9);
    expect(deferred).toHaveLength(3);
    expect(waits).toEqual([143, 286]);
    expect((deferred[0] as PromiseRejectedResult).reason).toMatchObject({ nextRetryDelay: 429 });
    expect(fake.posts()).toHaveLength(9);
    expect(fake.calls.filter((c) => c.status === 429)).toHaveLength(0);
  });

  it('sends a private note to a person through their personal install', async () => {
    await store.saveConversationReference('teams', AAD.responder, {
      serviceUrl: fake.serviceUrl,
      channelId: 'msteams',
      bot: { id: '28:concordat-bot' },
      conversation: { id: 'a:personal-responder', conversationType: 'personal', tenantId: TENANT },
      user: { id: '29:responder', aadObjectId: AAD.responder },
    });
    await port().notifyPerson(
      { platform: 'teams', userId: AAD.responder },
      { code: FailureCode.AlreadyAcknowledged },
    );
    expect(fake.posts()).toEqual([
      expect.objectContaining({
        conversationId: 'a:personal-responder',
        activity: expect.objectContaining({
          text: expect.stringMatching(/already acknowledged/) as string,
        }) as object,
      }),
    ]);
  });

  it('opens a 1:1 chat from the channel the person acted in when they have no personal install', async () => {
    await port().notifyPerson(
      { platform: 'teams', userId: AAD.mkResponder, channel: CHANNELS.edt },
      {
        code: FailureCode.NotResponderForAuthority,
        params: { localAuthority: 'West Northamptonshire Council' },
      },
    );
    expect(fake.conversationsCreated).toHaveLength(1);
    expect(fake.conversationsCreated[0]?.body).toMatchObject({
      isGroup: false,
      members: [{ id: AAD.mkResponder }],
      tenantId: TENANT,
    });
    const created = fake.conversationsCreated[0]!.id;
    expect(fake.posts()).toEqual([expect.objectContaining({ conversationId: created })]);
    // …and remembers it for next time.
    expect(await store.getConversationReference('teams', AAD.mkResponder)).toMatchObject({
      conversation: { id: created },
    });
  });

  it('logs no card content, identity or token', () => {
    const all = raw.join('\n');
    for (const value of Object.values(CHILD)) expect(all).not.toContain(value);
    expect(all).not.toMatch(/Bearer /);
  });
});
