import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { ChatPort, Destination, MessageRef, OutboundMessage } from '../../domain/chat-port.js';
import { FailureCode } from '../../domain/failures.js';
import { ChatRouter } from '../../runtime/chat-router.js';

function recorder(platform: 'slack' | 'teams') {
  const sent: Destination[] = [];
  const port: ChatPort = {
    send: (d: Destination, _m: OutboundMessage) => {
      sent.push(d);
      return Promise.resolve<MessageRef>({
        platform,
        conversationId: d.address,
        messageId: String(sent.length),
      });
    },
    notifyPerson: () => Promise.resolve(),
  };
  return { port, sent };
}

const message = { kind: 'digest', view: { title: 't', sections: [] } } as const;

describe('ChatRouter', () => {
  it('sends each destination through its own platform', async () => {
    const slack = recorder('slack');
    const teams = recorder('teams');
    const router = new ChatRouter({ slack: slack.port, teams: teams.port });
    await router.send({ platform: 'slack', address: 'C1' }, message);
    await router.send({ platform: 'teams', address: '19:x' }, message);
    expect(slack.sent.map((d) => d.address)).toEqual(['C1']);
    expect(teams.sent.map((d) => d.address)).toEqual(['19:x']);
    expect(router.configured().sort()).toEqual(['slack', 'teams']);
  });

  it('fails plainly and without retry for a platform that is not configured', async () => {
    const router = new ChatRouter({ slack: recorder('slack').port });
    const error = await router.send({ platform: 'teams', address: '19:x' }, message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect((error as ApplicationFailure).type).toBe(FailureCode.ChatRejected);
    expect((error as ApplicationFailure).nonRetryable).toBe(true);
    expect((error as Error).message).toMatch(/Microsoft Teams is not configured/);
  });
});
