import { ApplicationFailure } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time.js';
import type { BedRequestInput } from '../../domain/bed-request.js';
import type { Destination, MessageRef } from '../../domain/chat-port.js';
import type { Logger } from '../../domain/logger.js';
import { firstView } from '../../domain/opening.js';
import { destinationKey, type ProtocolSnapshot } from '../../domain/routing.js';
import type { NewRequest } from '../../store/records-store.js';
import { isChatCallFailure, type DeliverInput } from '../delivery/deliver.js';
import type { SnapshotProtocolInput } from '../protocol/snapshot-protocol.js';
import type { RepeatAtStartInput, RepeatAtStartResult } from '../records/records.js';

export interface OpenAndPostInput {
  workflowId: string;
  /** The request, already validated by the workflow. */
  request: BedRequestInput;
  requestedAt: string;
  /** What the store registers; the route and out-of-area flag come from the snapshot taken here. */
  registration: Omit<NewRequest, 'route' | 'outOfArea'>;
  /** The responder card's delivery step (the workflow's STEP.responderCard). */
  responderStep: string;
}

export interface OpenAndPostResult {
  snapshot: ProtocolSnapshot;
  caseRef: string;
  repeat: RepeatAtStartResult;
  /**
   * Responder destinations (by destination key) whose card this activity posted; the workflow
   * delivers the others, whose chat call failed, with its chat retries.
   */
  posted: string[];
  /** The longest wait a platform asked for in those failures (a 429's Retry-After), else 0. */
  retryAfterMs: number;
}

/**
 * The opening in one activity (docs/benchmarks.md, "One activity to the first card"): the
 * protocol snapshot, the registration, the repeat lookup and the responder card, where they were
 * three activities and a delivery, each a workflow task and a dispatch on the way to the card.
 * Each part is idempotent by the workflow ID (the delivery by workflow, step and destination, and
 * a retried attempt asks the platform first), so a worker killed mid-way is retried whole. A chat
 * failure does not fail the opening: the card is left to the workflow's delivery (after the
 * platform's Retry-After, when it gave one). A store failure does, and the opening is retried
 * with the store's retry policy.
 */
export function makeOpenAndPost(parts: {
  snapshotProtocol: (input: SnapshotProtocolInput) => Promise<ProtocolSnapshot>;
  registerRequest: (request: NewRequest) => Promise<{ caseRef: string }>;
  repeatAtStart: (input: RepeatAtStartInput) => Promise<RepeatAtStartResult>;
  deliver: (input: DeliverInput) => Promise<MessageRef>;
  log?: Logger | undefined;
}) {
  return async function openAndPost(input: OpenAndPostInput): Promise<OpenAndPostResult> {
    const { request, workflowId } = input;
    const snapshot = await parts.snapshotProtocol({
      request: { custodySuiteId: request.custodySuiteId, homeLocalAuthorityId: request.homeLocalAuthorityId },
      requestedAt: input.requestedAt,
    });
    const { caseRef } = await parts.registerRequest({
      ...input.registration,
      route: snapshot.routing.route,
      outOfArea: snapshot.routing.outOfArea,
    });
    const repeat = await parts.repeatAtStart({
      workflowId,
      chargedAt: request.chargedAt,
      repeatWindowMs: snapshot.repeatWindowMs,
    });
    const { view } = firstView(request, {
      workflowId,
      caseRef,
      snapshot,
      requestedAt: input.requestedAt,
      earlier: repeat.earlier,
    });
    const posted: string[] = [];
    let retryAfterMs = 0;
    const post = async (destination: Destination) => {
      try {
        await parts.deliver({
          workflowId,
          step: input.responderStep,
          destination,
          message: { kind: 'request_card', audience: 'responder', view },
        });
        posted.push(destinationKey(destination));
      } catch (err) {
        if (!isChatCallFailure(err)) throw err;
        // A rate limit's Retry-After holds for the workflow's delivery too.
        if (
          err instanceof ApplicationFailure &&
          err.nextRetryDelay !== undefined &&
          err.nextRetryDelay !== null
        )
          retryAfterMs = Math.max(retryAfterMs, msToNumber(err.nextRetryDelay));
        parts.log?.warn(
          { workflowId, platform: destination.platform, err },
          'the opening could not post the responder card: the workflow delivers it',
        );
      }
    };
    await Promise.all(snapshot.responderDestinations.map(post));
    return { snapshot, caseRef, repeat, posted, retryAfterMs };
  };
}
