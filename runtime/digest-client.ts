import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Destination } from '../domain/chat-port.js';
import { computePeriod, PeriodError, type DigestPeriod } from '../domain/digest/period.js';
import type { Actor } from '../domain/people.js';
import { digestWorkflow, type DigestWorkflowInput } from '../workflows/digest/digest-workflow.js';

export interface RequestDigestNowArgs {
  /** First and last local dates, YYYY-MM-DD, both inclusive. */
  from: string;
  to: string;
  /** The admin who asked (the bot has checked the role). Written to the audit log. */
  requestedBy: Actor;
  /** The worker's task queue. */
  taskQueue: string;
  /**
   * The platform's ID for this click or command (Slack trigger_id / action ts, Teams activity ID).
   * Given, a redelivered event or a double-click starts nothing new, ever. Not given, the same
   * person asking for the same range while it is still running starts nothing new.
   */
  requestId?: string;
  /** Where to send it; default: the protocol's leads destinations. E.g. the admin's own channel. */
  destinations?: Destination[];
  /** For checking the dates only (default Europe/London). */
  timeZone?: string;
}

export type RequestDigestNowResult =
  | { status: 'started' | 'already_requested'; workflowId: string; period: DigestPeriod }
  | { status: 'invalid'; message: string };

function idPart(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80);
}

/**
 * Starts a digest for a date range now: what an admin's "digest from … to …" in Slack or Teams
 * calls. Bad dates come back as `invalid` with a message to show the person (no workflow started).
 * Returns at once; the digest arrives in chat when the workflow has sent it.
 */
export async function requestDigestNow(
  client: Client,
  args: RequestDigestNowArgs,
): Promise<RequestDigestNowResult> {
  let period: DigestPeriod;
  try {
    period = computePeriod({
      kind: 'range',
      now: Date.now(),
      timeZone: args.timeZone ?? 'Europe/London',
      from: args.from,
      to: args.to,
    });
  } catch (err) {
    if (err instanceof PeriodError) return { status: 'invalid', message: err.message };
    throw err;
  }
  const input: DigestWorkflowInput = {
    kind: 'range',
    from: args.from,
    to: args.to,
    requestedBy: args.requestedBy,
    ...(args.destinations ? { destinations: args.destinations } : {}),
  };
  const workflowId = args.requestId
    ? `digest-request:${idPart(args.requestedBy.platform)}:${idPart(args.requestId)}`
    : `digest-range:${args.from}:${args.to}:${idPart(args.requestedBy.platform)}:${idPart(args.requestedBy.userId)}`;
  try {
    await client.workflow.start(digestWorkflow, {
      taskQueue: args.taskQueue,
      workflowId,
      args: [input],
      workflowIdReusePolicy: args.requestId ? 'REJECT_DUPLICATE' : 'ALLOW_DUPLICATE',
      workflowExecutionTimeout: '2 hours',
    });
    return { status: 'started', workflowId, period };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      return { status: 'already_requested', workflowId, period };
    }
    throw err;
  }
}
