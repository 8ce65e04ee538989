import { ApplicationFailure, defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createDigestActivities } from '../../activities/digest/digest-activities.js';
import type { Destination, DigestMessageView, MessageRef } from '../../domain/chat-port.js';
import {
  computePeriod,
  PeriodError,
  type DigestKind,
  type DigestPeriod,
} from '../../domain/digest/period.js';
import { buildDigestView } from '../../domain/digest/view.js';
import type { Actor } from '../../domain/people.js';

type Activities = ReturnType<typeof createDigestActivities>;

const { digestSettings, gatherDigestFigures } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
    maximumAttempts: 10,
  },
});

const { renderDigestChart } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumAttempts: 3 },
});

/** Chat platforms rate-limit; a 429's Retry-After comes back as the failure's nextRetryDelay. */
const { sendDigest } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 20,
  },
});

export interface DigestWorkflowInput {
  kind: DigestKind;
  /** Range digests: the first and last local dates (YYYY-MM-DD), both inclusive. */
  from?: string;
  to?: string;
  /** Who asked, for a digest on demand (written to the audit log with each delivery). */
  requestedBy?: Actor;
  /** Where to send it; default: every destination in the protocol's `leads`. */
  destinations?: Destination[];
  /**
   * Daily and weekly: compute the period as if run at this instant (ISO), e.g. to redo a missed
   * Monday's weekly digest. Default: when the schedule meant to run it, else when it started.
   */
  asOf?: string;
}

export interface DigestWorkflowResult {
  period: DigestPeriod;
  requests: number;
  delivered: Array<{ destination: Destination; ref: MessageRef; alreadySent: boolean }>;
  failed: Array<{ destination: Destination; error: string }>;
  chart: boolean;
}

export const INVALID_DIGEST_PERIOD = 'INVALID_DIGEST_PERIOD';
export const DIGEST_UNDELIVERED = 'DIGEST_UNDELIVERED';

/** Set by Temporal on workflows a Schedule starts: the time the run was due. */
const scheduledStartTime = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

/** The time the digest is "for": when the schedule meant to run it, else when it started. */
function runTime(): Date {
  const info = workflowInfo();
  return info.typedSearchAttributes.get(scheduledStartTime) ?? info.startTime;
}

/**
 * One digest for strategic leads: computes the period (daily = the previous local day, weekly =
 * the previous local Monday–Sunday, range = the dates given), gathers the figures from the
 * records store, renders the weekly trend chart, and sends it to each leads destination once.
 * One destination failing does not stop the others; if every one fails, the workflow fails.
 */
export async function digestWorkflow(input: DigestWorkflowInput): Promise<DigestWorkflowResult> {
  const settings = await digestSettings();
  let period: DigestPeriod;
  try {
    period = computePeriod({
      kind: input.kind,
      now: input.asOf ?? runTime(),
      timeZone: settings.timeZone,
      ...(input.from !== undefined ? { from: input.from } : {}),
      ...(input.to !== undefined ? { to: input.to } : {}),
    });
  } catch (err) {
    if (err instanceof PeriodError) {
      throw ApplicationFailure.nonRetryable(err.message, INVALID_DIGEST_PERIOD);
    }
    throw err;
  }

  const figures = await gatherDigestFigures({ period });
  const suppress = settings.suppressSmallCounts;

  let chart: DigestMessageView['chart'];
  try {
    chart = await renderDigestChart({
      trend: figures.trend,
      suppress,
      title: `Bed requests and outcomes, ${settings.forceName}`,
      period: figures.period,
      generatedAt: figures.generatedAt,
    });
  } catch (err) {
    // A digest without its chart still tells the leads what they need; say so and carry on.
    log.warn('Digest chart could not be rendered; sending the digest without it', {
      error: err instanceof Error ? err.message : String(err),
    });
  }

  const view = buildDigestView(figures, {
    forceName: settings.forceName,
    suppressSmallCounts: suppress,
    ...(chart ? { chart } : {}),
  });
  const destinations = input.destinations ?? settings.leads;
  if (destinations.length === 0) {
    log.warn('No leads destinations are configured: the digest was computed but sent nowhere', {
      from: period.from,
      to: period.to,
    });
  }
  const digestId = workflowInfo().workflowId;
  const results = await Promise.allSettled(
    destinations.map((destination) =>
      sendDigest({
        digestId,
        destination,
        view,
        period: { kind: period.kind, from: period.from, to: period.to },
        ...(input.requestedBy ? { requestedBy: input.requestedBy } : {}),
      }).then((r) => ({ destination, ...r })),
    ),
  );
  const delivered: DigestWorkflowResult['delivered'] = [];
  const failed: DigestWorkflowResult['failed'] = [];
  results.forEach((r, i) => {
    const destination = destinations[i] as Destination;
    if (r.status === 'fulfilled') delivered.push(r.value);
    else {
      const reason: unknown = r.reason;
      const cause = reason instanceof Error && reason.cause instanceof Error ? reason.cause : reason;
      failed.push({ destination, error: cause instanceof Error ? cause.message : String(cause) });
    }
  });
  for (const f of failed) {
    log.warn('Digest not delivered to a destination', {
      platform: f.destination.platform,
      address: f.destination.address,
      error: f.error,
    });
  }
  if (destinations.length > 0 && delivered.length === 0) {
    throw ApplicationFailure.nonRetryable(
      `The digest for ${period.label} reached none of its ${destinations.length} destinations: ${failed
        .map((f) => f.error)
        .join('; ')}`,
      DIGEST_UNDELIVERED,
    );
  }
  return { period, requests: figures.total.requests, delivered, failed, chart: chart !== undefined };
}
