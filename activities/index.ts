import type { ChatPort } from '../domain/chat-port.js';
import type { Protocol } from '../domain/protocol.js';
import type { Logger } from '../domain/logger.js';
import type { RecordsStore } from '../store/records-store.js';
import type { MetricsSink } from '../domain/metrics.js';
import { makeDeliver, makeNotifyPerson } from './delivery/deliver.js';
import { heartbeating } from './heartbeat/with-heartbeats.js';
import { makeOpenAndPost } from './opening/open-and-post.js';
import { makeShiftActivities } from './protocol/shift-activities.js';
import { makeSnapshotProtocol } from './protocol/snapshot-protocol.js';
import { makeRecordActivities } from './records/records.js';

export type { DeliverInput, NotifyPersonInput } from './delivery/deliver.js';
export type { OpenAndPostInput, OpenAndPostResult } from './opening/open-and-post.js';
export type { SnapshotProtocolInput } from './protocol/snapshot-protocol.js';
export type { NextHandover, NextHandoverInput } from './protocol/shift-activities.js';
export type {
  RecordOutcomeInput,
  RecordOutcomeResult,
  RepeatAtStartInput,
  RepeatAtStartResult,
} from './records/records.js';

export interface ActivityDeps {
  chat: ChatPort;
  store: RecordsStore;
  /** The current protocol (a running request uses its snapshot, taken by `snapshotProtocol`). */
  protocol: () => Protocol;
  /** Reserved for activities that need "now" outside a workflow; defaults to the system clock. */
  clock?: () => Date;
  log?: Logger;
  /** Where the deliver activity's counters go: the worker injects the process registry. */
  metrics?: MetricsSink;
}

/**
 * The bed-request activities, bound to their dependencies. The worker registers the returned
 * object; workflows see only its type (`proxyActivities<Activities>`).
 */
export function createActivities(deps: ActivityDeps) {
  const records = makeRecordActivities(deps);
  const shifts = makeShiftActivities(deps.protocol);
  const snapshotProtocol = makeSnapshotProtocol(deps.protocol);
  const deliver = makeDeliver(deps);
  // Every bed-request activity heartbeats, so a crash mid-activity is retried within seconds.
  return {
    openAndPost: heartbeating(
      makeOpenAndPost({
        snapshotProtocol,
        registerRequest: records.registerRequest,
        repeatAtStart: records.repeatAtStart,
        deliver,
        log: deps.log,
      }),
    ),
    snapshotProtocol: heartbeating(snapshotProtocol),
    registerRequest: heartbeating(records.registerRequest),
    deliver: heartbeating(deliver),
    notifyPerson: heartbeating(makeNotifyPerson(deps)),
    appendEvent: heartbeating(records.appendEvent),
    recordOutcome: heartbeating(records.recordOutcome),
    repeatAtStart: heartbeating(records.repeatAtStart),
    nextHandover: heartbeating(shifts.nextHandover),
    currentPeople: heartbeating(shifts.currentPeople),
  };
}

export type Activities = ReturnType<typeof createActivities>;
