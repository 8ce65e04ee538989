// The deliver activity's counters: a failed platform call counts by platform and code (and the
// failure still reaches Temporal's retry unchanged); an escalation page counts once when posted,
// never again when it is updated in place.
import { randomBytes } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDeliver, type DeliverInput } from '../../../activities/delivery/deliver.js';
import type { ChatPort, MessageRef } from '../../../domain/chat-port.js';
import { FailureCode } from '../../../domain/failures.js';
import { MetricsRegistry } from '../../../runtime/metrics.js';
import { openStore, type Store } from '../../../store/open-store.js';
import { sampleView } from '../../bots/shared/fixtures.js';
import { parsePrometheusText } from '../../runtime/health/prometheus-text.js';

let store: Store;
beforeAll(async () => {
  store = await openStore({
    dataDir: 'memory://',
    secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) },
  });
});
afterAll(async () => store?.close());

function page(step: string, platform: 'slack' | 'teams'): DeliverInput {
  return {
    workflowId: `bed-request:northampton-cjc:NC-${randomBytes(3).toString('hex')}`,
    step,
    destination: { platform, address: platform === 'slack' ? 'C0EDT' : '19:edt@thread.tacv2' },
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

/** A chat port whose sends fail with `failure` while it is set, and post otherwise. */
function flakyChat(): ChatPort & { failure: Error | undefined; sends: number } {
  const chat = {
    failure: undefined as Error | undefined,
    sends: 0,
    send(destination: DeliverInput['destination']): Promise<MessageRef> {
      chat.sends += 1;
      if (chat.failure) return Promise.reject(chat.failure);
      return Promise.resolve({
        platform: destination.platform,
        conversationId: 'C0EDT',
        messageId: `m${chat.sends}`,
      });
    },
    notifyPerson: () => Promise.resolve(),
  };
  return chat;
}

describe('deliver metrics', () => {
  it('counts a failed delivery by platform and code, and rethrows the same failure', async () => {
    const metrics = new MetricsRegistry();
    const chat = flakyChat();
    const deliver = makeDeliver({ chat, store, metrics });
    const env = new MockActivityEnvironment({ attempt: 1 });

    chat.failure = ApplicationFailure.create({ type: FailureCode.ChatRateLimited, message: 'ratelimited' });
    await expect(env.run(deliver, page('esc:inspector:1', 'slack'))).rejects.toBe(chat.failure);
    await expect(env.run(deliver, page('card:responder', 'slack'))).rejects.toBe(chat.failure);
    chat.failure = ApplicationFailure.create({ type: FailureCode.NoConversationReference, message: 'none' });
    await expect(env.run(deliver, page('esc:inspector:1', 'teams'))).rejects.toBe(chat.failure);
    // Not one of our codes (a bug, a socket error): one bounded label, never the message.
    chat.failure = new Error('socket hang up at 10.0.0.7');
    await expect(env.run(deliver, page('card:responder', 'teams'))).rejects.toBe(chat.failure);

    const failures = metrics.counter('concordat_chat_delivery_failures_total', '');
    expect(failures.get({ platform: 'slack', code: 'CHAT_RATE_LIMITED' })).toBe(2);
    expect(failures.get({ platform: 'teams', code: 'NO_CONVERSATION_REFERENCE' })).toBe(1);
    expect(failures.get({ platform: 'teams', code: 'UNEXPECTED' })).toBe(1);
    const text = metrics.render();
    expect(text).toContain(
      'concordat_chat_delivery_failures_total{code="CHAT_RATE_LIMITED",platform="slack"} 2',
    );
    expect(text).not.toContain('10.0.0.7');
    expect(parsePrometheusText(text).get('concordat_chat_delivery_failures_total')?.type).toBe('counter');
    expect(
      metrics.counter('concordat_escalation_pages_sent_total', '').get({ platform: 'slack', level: '2' }),
    ).toBe(0);
  });

  it('counts an escalation page once when posted, not when retried or updated in place', async () => {
    const metrics = new MetricsRegistry();
    const chat = flakyChat();
    const deliver = makeDeliver({ chat, store, metrics });
    const input = page('esc:inspector:1', 'slack');
    chat.failure = ApplicationFailure.create({ type: FailureCode.ChatUnavailable, message: 'down' });
    await expect(new MockActivityEnvironment({ attempt: 1 }).run(deliver, input)).rejects.toThrow('down');
    chat.failure = undefined;
    await new MockActivityEnvironment({ attempt: 2 }).run(deliver, input);
    await new MockActivityEnvironment({ attempt: 1 }).run(deliver, input); // a later update in place
    await new MockActivityEnvironment({ attempt: 1 }).run(deliver, { ...page('card:responder', 'slack') });

    const sent = metrics.counter('concordat_escalation_pages_sent_total', '');
    expect(sent.get({ platform: 'slack', level: '2' })).toBe(1);
    expect(chat.sends).toBe(4);
    expect(
      metrics
        .counter('concordat_chat_delivery_failures_total', '')
        .get({ platform: 'slack', code: 'CHAT_UNAVAILABLE' }),
    ).toBe(1);
  });
});
