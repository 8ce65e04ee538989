// In-memory stand-ins for the bed-request activities, for workers that tests kill or that must
// not touch a store: each delivery is passed to `onDeliver`.
import type { Activities } from '../../activities/index.js';
import { makeOpenAndPost } from '../../activities/opening/open-and-post.js';
import { makeSnapshotProtocol } from '../../activities/protocol/snapshot-protocol.js';
import type { Protocol } from '../../domain/protocol.js';

export interface StubDelivery {
  step: string;
  at: number;
}

export function stubActivities(protocol: Protocol, onDeliver: (d: StubDelivery) => void): Activities {
  let messages = 0;
  const snapshotProtocol = makeSnapshotProtocol(() => protocol);
  const registerRequest = () => Promise.resolve({ caseRef: 'CR-STUB' });
  const repeatAtStart = () => Promise.resolve({ earlier: null, alert: null });
  const deliver: Activities['deliver'] = (input) => {
    onDeliver({ step: input.step, at: Date.now() });
    messages += 1;
    return Promise.resolve({
      platform: input.destination.platform,
      conversationId: input.destination.address,
      messageId: `stub-${messages}`,
    });
  };
  return {
    openAndPost: makeOpenAndPost({ snapshotProtocol, registerRequest, repeatAtStart, deliver }),
    snapshotProtocol,
    registerRequest,
    appendEvent: () => Promise.resolve(),
    notifyPerson: () => Promise.resolve(),
    recordOutcome: () => Promise.resolve({ repeatAlert: null }),
    repeatAtStart,
    nextHandover: () => Promise.resolve(null),
    currentPeople: () => Promise.resolve(protocol.people),
    deliver,
  };
}
