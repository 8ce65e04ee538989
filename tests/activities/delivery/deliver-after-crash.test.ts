// A delivery whose attempt posted and was killed before it saved the reference: the retried
// attempt finds the message by its delivery ID and updates it, so the page is posted once
// (docs/durability.md, "Exactly one page").
import { randomBytes } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliveryIdOf, makeDeliver, type DeliverInput } from '../../../activities/delivery/deliver.js';
import type { MessageRef } from '../../../domain/chat-port.js';
import { createSlackChatPort } from '../../../bots/slack/chat-port.js';
import { destinationKey } from '../../../domain/routing.js';
import { ChatRouter } from '../../../runtime/chat-router.js';
import { createLogger } from '../../../runtime/logger.js';
import { openStore, type Store } from '../../../store/open-store.js';
import { startFakeSlackWebApi, type FakeSlackWebApi } from '../../fakes/slack/web-api-server.js';
import { sampleView } from '../../bots/shared/fixtures.js';

let api: FakeSlackWebApi;
let store: Store;
const log = createLogger({ level: 'silent' });

beforeAll(async () => {
  api = await startFakeSlackWebApi();
  store = await openStore({
    dataDir: 'memory://',
    secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) },
  });
});
afterAll(async () => {
  await api?.close();
  await store?.close();
});
beforeEach(() => api.reset());

function input(step: string): DeliverInput {
  return {
    workflowId: 'bed-request:northampton-cjc:NC-1',
    step,
    destination: { platform: 'slack', address: 'C0EDT' },
    message: {
      kind: 'escalation_page',
      view: {
        request: sampleView(),
        level: 2,
        stepName: 'Inspector',
        reason: 'no_bed_offered',
        minutesOpen: 60,
      },
    },
  };
}

describe('deliver, retried after a crash between the post and the save', () => {
  it('posts once: the retry finds the earlier post by its delivery ID and updates it', async () => {
    const slack = createSlackChatPort({ token: 'xoxb-test', apiUrl: api.url, log });
    const deliver = makeDeliver({ chat: new ChatRouter({ slack }), store, log });
    const page = input('esc:inspector:1');
    const id = deliveryIdOf(page.workflowId, page.step, destinationKey(page.destination));
    // Attempt 1 posted (with its delivery ID) and its worker died before saving the reference.
    await slack.send(page.destination, page.message, { deliveryId: id });
    expect(api.messages).toHaveLength(1);
    expect(JSON.stringify(api.messages[0]?.metadata)).not.toContain('NC-1');

    const retry = new MockActivityEnvironment({ attempt: 2, scheduledTimestampMs: Date.now() - 5_000 });
    const ref = await retry.run<[DeliverInput], MessageRef, typeof deliver>(deliver, page);
    expect(api.messages).toHaveLength(1);
    expect(api.messages[0]?.updates).toBe(1);
    expect(ref.messageId).toBe(api.messages[0]?.ts);
    // The reference is now saved: later updates edit the same message.
    expect(await store.getDelivery(page.workflowId, page.step, destinationKey(page.destination))).toEqual(
      ref,
    );
  });

  it('a retry that finds nothing posts, and a first attempt never asks', async () => {
    const slack = createSlackChatPort({ token: 'xoxb-test', apiUrl: api.url, log });
    const deliver = makeDeliver({ chat: new ChatRouter({ slack }), store, log });
    await new MockActivityEnvironment({ attempt: 1 }).run(deliver, input('esc:inspector:2'));
    expect(api.okCallsTo('conversations.history')).toHaveLength(0);
    await new MockActivityEnvironment({ attempt: 3, scheduledTimestampMs: Date.now() }).run(
      deliver,
      input('esc:inspector:3'),
    );
    expect(api.okCallsTo('conversations.history')).toHaveLength(1);
    expect(api.messages).toHaveLength(2);
  });
});
