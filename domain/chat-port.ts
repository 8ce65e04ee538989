import type { Refusal } from './failures.js';
import type { Platform } from './people.js';
import type { Destination } from './protocol.js';
import type { EscalationPageView, RepeatAlertView, RequestView, Route } from './request-view.js';
import type { StuckRequestView } from './watchdog.js';

export type { Destination };

/** Where a message landed on its platform, so it can be updated in place or threaded under. */
export interface MessageRef {
  platform: Platform;
  /** Slack channel ID; Teams conversation ID. */
  conversationId: string;
  /** Slack message ts; Teams activity ID. */
  messageId: string;
}

/** Everything the workflow can say in chat. Adapters render each kind from its view model. */
export type OutboundMessage =
  /** `inspector`: the certificate to countersign, with its button (domain/countersignature.ts). */
  | {
      kind: 'request_card';
      audience: 'responder' | 'custody' | 'inspector';
      view: RequestView;
      /** This team's card after a shift change moved the request on: said so, with no actions. */
      handedOver?: HandedOver;
    }
  | { kind: 'event_note'; view: RequestView; event: RequestEvent }
  | { kind: 'escalation_page'; view: EscalationPageView }
  | { kind: 'repeat_alert'; view: RepeatAlertView }
  | { kind: 'digest'; view: DigestMessageView }
  /** The watchdog's page to admins and the custody suite: a request has stopped moving. */
  | { kind: 'stuck_request'; view: StuckRequestView };

/** A shift change moved the request from this card's team to `to`, at `at` (ISO). */
export interface HandedOver {
  to: Route;
  at: string;
}

/** A state change told to the sergeant's thread (and useful in logs). */
export type RequestEvent =
  | { type: 'acknowledged' }
  | { type: 'bed_offered' }
  | { type: 'declined' }
  | { type: 'question_asked'; questionId: string }
  | { type: 'question_answered'; questionId: string }
  | { type: 'escalated'; level: number }
  /** A stay recorded: the certificate produced, the child held, a bed still sought. */
  | { type: 'stay_recorded' }
  /** A shift change: the request moved to the team now on duty. */
  | { type: 'handed_over' }
  /** The sergeant amended the court sitting. */
  | { type: 'court_sitting_amended' }
  /** To the host authority of an out-of-area child: a courtesy notice, no action asked. */
  | { type: 'courtesy_notice'; hostAuthorityName: string }
  /** An inspector countersigned the stay's certificate (a protocol option). */
  | { type: 'certificate_countersigned' }
  | { type: 'resolved' };

/**
 * Digest text sections plus an optional PNG chart (domain/digest/view.ts builds it). Plain text
 * lines, no markup: adapters render the heading in bold and the lines as a list. The chart is a
 * PNG of about 1000×500: Slack uploads it as a file (files.uploadV2 or the external-upload flow),
 * Teams shows it as an inline image (a data URL in an Adaptive Card Image or an attachment).
 */
export interface DigestMessageView {
  title: string;
  /** Markdown-ish plain sections, rendered per platform. */
  sections: ReadonlyArray<{ heading: string; lines: readonly string[] }>;
  chart?: { filename: string; pngBase64: string; altText: string };
}

export interface SendOptions {
  /** Update this message in place instead of posting a new one. */
  existing?: MessageRef;
  /** Post as a reply in the thread of this message (Slack thread_ts; Teams reply chain). */
  threadOf?: MessageRef;
  /**
   * An opaque ID of this delivery (one per workflow, step and destination), carried on the posted
   * message where the platform allows, so a retry after a crash can find it (`findDelivered`).
   */
  deliveryId?: string;
}

/** Where and since when to look for a message an earlier attempt may have posted. */
export interface FindDeliveredOptions {
  /** Epoch ms: nothing older can be this delivery. */
  sinceMs: number;
  /** The delivery was a reply in this thread. */
  threadOf?: MessageRef;
}

/**
 * The one port through which activities reach chat. Slack and Teams adapters implement it; the
 * worker injects a router that picks by destination platform. Adapters do not retry: they throw
 * an ApplicationFailure with a FailureCode (rate limits carry `nextRetryDelay` from Retry-After)
 * and the Temporal activity retry is the only retry layer.
 */
export interface ChatPort {
  send(destination: Destination, message: OutboundMessage, options?: SendOptions): Promise<MessageRef>;
  /**
   * Finds a message posted with this `deliveryId`: an attempt that posted and was killed before its
   * reference was saved (docs/durability.md, "Exactly one page"). Absent where the platform cannot
   * read back what the bot posted (Teams).
   */
  findDelivered?(
    destination: Destination,
    deliveryId: string,
    options: FindDeliveredOptions,
  ): Promise<MessageRef | null>;
  /** A private reply to one person (Slack ephemeral in `channel` or a DM; Teams 1:1). */
  notifyPerson(
    person: { platform: Platform; userId: string; channel?: string },
    refusal: Refusal,
  ): Promise<void>;
}
