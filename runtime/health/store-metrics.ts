/**
 * Metrics read from the records store at scrape time: what is open, what nobody has answered,
 * and how late escalation pages went out. They describe the whole service, not this process, so
 * every process reports the same values: aggregate them with max(), never sum(). One query each,
 * cached briefly so that several scrapers (or a scrape every few seconds) cost the database little.
 */
import type { SqlExecutor } from '../../store/sql-client.js';
import type { MetricsRegistry } from '../metrics.js';
import { withTimeout } from './readiness.js';

/** Upper bounds, in seconds, of page lateness: the ladder is in minutes, a late page in seconds. */
export const PAGE_LATENESS_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600] as const;

/**
 * The responder actions that count as the acknowledgement (domain/request-rules.ts applyAction:
 * an offer, a decline or a question shows the request was seen). Each accepted action is audited
 * with its kind as the event type (workflows/bed-request/respond.ts); refusals are `action_refused`.
 */
export const ACKNOWLEDGING_ACTIONS = ['acknowledge', 'offer_bed', 'decline', 'request_info'] as const;

const OPEN_SQL = `
WITH open AS (
  SELECT r.requested_at,
         EXISTS (SELECT 1 FROM audit_events a
                 WHERE a.workflow_id = r.workflow_id AND a.type = ANY($1::text[])) AS seen
  FROM requests r
  WHERE r.outcome_recorded_at IS NULL
)
SELECT count(*)::int AS open,
       (count(*) FILTER (WHERE NOT seen))::int AS unacknowledged,
       COALESCE(extract(epoch FROM now() - min(requested_at) FILTER (WHERE NOT seen)), 0)::float8
         AS oldest_unacknowledged_seconds
FROM open`;

// One row per escalation page delivered: the ladder step's due time (data.dueAt, written by
// workflows/bed-request/escalate.ts) against when the platform's message reference was first
// saved, straight after the post (chat_deliveries.created_at, for the step `esc:<step>:<n>`).
// Both tables only grow (audit_events is append-only; a delivery keeps its created_at when a
// later update re-saves it), so the buckets are cumulative counts, as a Prometheus histogram's are.
const LATENESS_SQL = `
WITH pages AS (
  SELECT extract(epoch FROM d.created_at - (a.data->>'dueAt')::timestamptz)::float8 AS late
  FROM audit_events a
  JOIN chat_deliveries d
    ON d.workflow_id = a.workflow_id
   AND d.step = 'esc:' || (a.data->>'step') || ':' || (a.data->>'occurrence')
  WHERE a.type = 'escalated' AND a.data ? 'dueAt'
),
bounds AS (SELECT b, i FROM unnest($1::float8[]) WITH ORDINALITY AS u(b, i))
SELECT (SELECT count(*) FROM pages)::int AS count,
       (SELECT COALESCE(sum(late), 0) FROM pages)::float8 AS sum,
       ARRAY(SELECT (SELECT count(*) FROM pages WHERE late <= bounds.b)::int FROM bounds ORDER BY i)
         AS cumulative`;

export interface StoreMetricsOptions {
  /** Reuse a reading for this long (default 15 s): a dashboard does not need fresher. */
  cacheMs?: number;
  /** Give up on a slow database after this long (default 2 s); the last values stay. */
  timeoutMs?: number;
  now?: () => number;
}

export const STORE_METRIC_NAMES = [
  'concordat_requests_open',
  'concordat_requests_unacknowledged',
  'concordat_oldest_unacknowledged_request_age_seconds',
  'concordat_escalation_page_lateness_seconds',
] as const;

/** Registers the store's gauges and the lateness histogram, refreshed on scrape. Returns an unregister. */
export function registerStoreMetrics(
  registry: MetricsRegistry,
  sql: Pick<SqlExecutor, 'query'>,
  options: StoreMetricsOptions = {},
): () => void {
  const cacheMs = options.cacheMs ?? 15_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const now = options.now ?? Date.now;
  const open = registry.gauge(
    'concordat_requests_open',
    'Bed requests with no outcome yet (from the store).',
  );
  const unacknowledged = registry.gauge(
    'concordat_requests_unacknowledged',
    'Open bed requests that no responder has acknowledged, offered on, declined or asked about.',
  );
  const oldest = registry.gauge(
    'concordat_oldest_unacknowledged_request_age_seconds',
    'Seconds since the oldest unacknowledged open request was made; 0 when none is waiting.',
  );
  const lateness = registry.histogram(
    'concordat_escalation_page_lateness_seconds',
    'Seconds from when an escalation page was due on the ladder to when it was posted, per destination (from the store).',
    PAGE_LATENESS_BUCKETS,
  );
  let readAt = -Infinity;
  let inFlight: Promise<void> | undefined;

  const read = async () => {
    const [[o], [l]] = await withTimeout(
      Promise.all([
        sql.query<{ open: number; unacknowledged: number; oldest_unacknowledged_seconds: number }>(OPEN_SQL, [
          ACKNOWLEDGING_ACTIONS,
        ]),
        sql.query<{ count: number; sum: number; cumulative: number[] }>(LATENESS_SQL, [
          PAGE_LATENESS_BUCKETS,
        ]),
      ]),
      timeoutMs,
      'the records store',
    );
    open.set({}, Number(o?.open ?? 0));
    unacknowledged.set({}, Number(o?.unacknowledged ?? 0));
    oldest.set({}, Math.max(0, Number(o?.oldest_unacknowledged_seconds ?? 0)));
    if (l) {
      lateness.setSnapshot(
        {},
        { cumulative: l.cumulative.map(Number), sum: Number(l.sum), count: Number(l.count) },
      );
    }
    readAt = now();
  };

  return registry.collect('store', () => {
    if (now() - readAt < cacheMs) return;
    // Concurrent scrapes share one read.
    inFlight ??= read().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  });
}
