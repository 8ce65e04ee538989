import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackChatPort } from '../../../bots/slack/chat-port.js';
import { FailureCode } from '../../../domain/failures.js';
import { createLogger } from '../../../runtime/logger.js';
import { startFakeSlackWebApi, type FakeSlackWebApi } from '../../fakes/slack/web-api-server.js';
import { sampleView } from '../shared/fixtures.js';

let api: FakeSlackWebApi;
let port: ReturnType<typeof createSlackChatPort>;
const dest = { platform: 'slack' as const, address: 'C0EDT' };
const card = { kind: 'request_card' as const, audience: 'responder' as const, view: sampleView() };

beforeAll(async () => {
  api = await startFakeSlackWebApi();
  port = createSlackChatPort({ token: 'xoxb-test', apiUrl: api.url, log: createLogger({ level: 'silent' }) });
});
afterAll(async () => api?.close());
beforeEach(() => api.reset());

async function failure(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('Slack ChatPort', () => {
  it('posts a card with the bot token, then updates the same message in place', async () => {
    const ref = await port.send(dest, card);
    expect(ref).toMatchObject({ platform: 'slack', conversationId: 'C0EDT' });
    const post = api.okCallsTo('chat.postMessage')[0];
    expect(post?.token).toBe('xoxb-test');
    expect(post?.args.text).toMatch(/Bed request CN-7K3F9Q for West Northamptonshire Council/);
    const again = await port.send(
      dest,
      { ...card, view: sampleView({ status: 'acknowledged' }) },
      { existing: ref },
    );
    expect(again).toEqual(ref);
    expect(api.okCallsTo('chat.update')).toHaveLength(1);
    expect(api.messages).toHaveLength(1);
    expect(api.messages[0]?.updates).toBe(1);
  });

  it('a shift change updates the old team’s card in place: handed over to the EDT at 17:00, no buttons', async () => {
    const ref = await port.send(dest, card);
    expect(JSON.stringify(api.messages[0]?.blocks)).toContain('"type":"button"');
    await port.send(
      dest,
      { ...card, handedOver: { to: 'out_of_hours', at: '2026-01-05T17:00:00.000Z' } },
      { existing: ref },
    );
    const update = api.okCallsTo('chat.update')[0];
    expect(update?.args.ts).toBe(ref.messageId);
    expect(api.messages).toHaveLength(1);
    const blocks = JSON.stringify(api.messages[0]?.blocks);
    expect(blocks).toContain('Handed over to the Emergency Duty Team (EDT) at 17:00 on Mon 5 Jan 2026');
    expect(blocks).not.toContain('"type":"button"');
    expect(String(update?.args.text)).toMatch(/Handed over to the Emergency Duty Team/);
  });

  it('threads a note under a card, and DMs a user destination through conversations.open', async () => {
    const ref = await port.send(dest, card);
    const note = await port.send(
      dest,
      { kind: 'event_note', view: card.view, event: { type: 'acknowledged' } },
      { threadOf: ref },
    );
    expect(api.messages.find((m) => m.ts === note.messageId)?.threadTs).toBe(ref.messageId);
    const dm = await port.send(
      { platform: 'slack', address: 'U0EDTMGR' },
      {
        kind: 'escalation_page',
        view: {
          request: card.view,
          level: 1,
          stepName: 'EDT manager',
          reason: 'not_acknowledged',
          minutesOpen: 31,
        },
      },
    );
    expect(dm.conversationId).toBe('D0EDTMGR');
    expect(api.okCallsTo('conversations.open')[0]?.args.users).toBe('U0EDTMGR');
    // The DM channel is remembered.
    await port.send({ platform: 'slack', address: 'U0EDTMGR' }, card);
    expect(api.callsTo('conversations.open')).toHaveLength(1);
  });

  it('maps 429 to a retryable CHAT_RATE_LIMITED whose next retry waits for Retry-After, without retrying itself', async () => {
    api.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const f = await failure(port.send(dest, card));
    expect(f.type).toBe(FailureCode.ChatRateLimited);
    expect(f.nonRetryable).toBe(false);
    expect(f.nextRetryDelay).toBe('7s');
    expect(api.callsTo('chat.postMessage')).toHaveLength(1);
    expect(api.messages).toHaveLength(0);
  });

  it('maps 5xx to a retryable CHAT_UNAVAILABLE, and an unreachable API too', async () => {
    api.failNext('chat.update', { status: 500 });
    const ref = await port.send(dest, card);
    const f = await failure(port.send(dest, card, { existing: ref }));
    expect([f.type, f.nonRetryable]).toEqual([FailureCode.ChatUnavailable, false]);
    expect(api.callsTo('chat.update')).toHaveLength(1);
    const offline = createSlackChatPort({
      token: 'xoxb-test',
      apiUrl: 'http://127.0.0.1:9/api/',
      log: createLogger({ level: 'silent' }),
    });
    const g = await failure(offline.send(dest, card));
    expect([g.type, g.nonRetryable]).toEqual([FailureCode.ChatUnavailable, false]);
  });

  it('maps channel_not_found, invalid_auth and other 4xx to a non-retryable CHAT_REJECTED, and reposts a deleted card', async () => {
    const f = await failure(port.send({ platform: 'slack', address: 'CMISSING1' }, card));
    expect([f.type, f.nonRetryable]).toEqual([FailureCode.ChatRejected, true]);
    expect(f.message).toContain('channel_not_found');
    api.failNext('chat.postMessage', { error: 'invalid_auth' });
    expect((await failure(port.send(dest, card))).type).toBe(FailureCode.ChatRejected);
    api.failNext('chat.postMessage', { error: 'internal_error' });
    const t = await failure(port.send(dest, card));
    expect([t.type, t.nonRetryable]).toEqual([FailureCode.ChatUnavailable, false]);
    // A deleted card is posted again in the same channel, with its new reference.
    const gone = await port.send(dest, card, {
      existing: { platform: 'slack', conversationId: 'C0EDT', messageId: '1.2' },
    });
    expect(gone.conversationId).toBe('C0EDT');
    expect(gone.messageId).not.toBe('1.2');
    expect(api.messages.find((m) => m.ts === gone.messageId)).toBeDefined();
  });

  it('tells a refused person privately: ephemeral in their channel, or a DM when that fails', async () => {
    await port.notifyPerson(
      { platform: 'slack', userId: 'U0MKRESP', channel: 'C0EDT' },
      { code: FailureCode.NotResponderForAuthority },
    );
    const eph = api.okCallsTo('chat.postEphemeral')[0];
    expect(eph?.args).toMatchObject({ channel: 'C0EDT', user: 'U0MKRESP' });
    expect(String(eph?.args.text)).toMatch(/different local authority/);
    await port.notifyPerson(
      { platform: 'slack', userId: 'U0MKRESP', channel: 'CMISSING2' },
      { code: FailureCode.RequestClosed },
    );
    await port.notifyPerson({ platform: 'slack', userId: 'U0LEAD' }, { code: FailureCode.RequestClosed });
    const dms = api.messages.filter((m) => m.channel.startsWith('D'));
    expect(dms.map((m) => m.channel)).toEqual(['D0MKRESP', 'D0LEAD']);
    expect(dms[0]?.text).toMatch(/already closed/);
  });

  it('posts a digest’s text, then uploads its chart to the same channel (once, not on update)', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');
    const digest = {
      kind: 'digest' as const,
      view: {
        title: 'Daily digest',
        sections: [{ heading: 'Requests', lines: ['3 requests, 2 transferred'] }],
        chart: { filename: 'daily.png', pngBase64: png, altText: 'Requests by suite' },
      },
    };
    const ref = await port.send({ platform: 'slack', address: 'C0LEADS' }, digest);
    expect(api.okCallsTo('files.getUploadURLExternal')[0]?.args).toMatchObject({ filename: 'daily.png' });
    expect(api.calls.some((c) => c.method.startsWith('upload/'))).toBe(true);
    expect(api.okCallsTo('files.completeUploadExternal')[0]?.args).toMatchObject({ channel_id: 'C0LEADS' });
    await port.send({ platform: 'slack', address: 'C0LEADS' }, digest, { existing: ref });
    expect(api.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    // A failed upload does not fail the delivery (the text is already posted).
    api.failNext('files.getUploadURLExternal', { status: 500 });
    await expect(port.send({ platform: 'slack', address: 'C0LEADS' }, digest)).resolves.toMatchObject({
      conversationId: 'C0LEADS',
    });
  });

  it('never puts the coded failure or a stack in front of a person', async () => {
    await port.notifyPerson(
      { platform: 'slack', userId: 'U0LEAD' },
      { code: FailureCode.StayReasonBehaviour },
    );
    const text = api.messages.at(-1)?.text ?? '';
    expect(text).not.toContain('STAY_REASON');
    expect(text).toContain('Note 16D');
  });
});
