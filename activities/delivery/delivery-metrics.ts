/**
 * The chat-delivery counters, incremented by the deliver activity (deliver.ts) in this process:
 * sum() them across workers. Labels are bounded: a platform and a FailureCode. Served at /metrics
 * through the registry the runtime injects (runtime/health/delivery-metrics.ts re-exports these).
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureCode } from '../../domain/failures.js';
import type { CounterMetric, MetricsSink } from '../../domain/metrics.js';

export const DELIVERY_METRIC_NAMES = [
  'concordat_chat_delivery_failures_total',
  'concordat_escalation_pages_sent_total',
] as const;

export interface DeliveryMetrics {
  /** A failed platform call of a delivery attempt, by platform and code. */
  failures: CounterMetric;
  /** An escalation page posted (once per page and destination, never for an update in place). */
  pagesSent: CounterMetric;
}

export function deliveryMetrics(registry: MetricsSink): DeliveryMetrics {
  return {
    failures: registry.counter(
      'concordat_chat_delivery_failures_total',
      'Failed chat delivery attempts, by platform and failure code (each attempt counts; Temporal retries).',
    ),
    pagesSent: registry.counter(
      'concordat_escalation_pages_sent_total',
      'Escalation pages posted by this process, by platform and ladder level.',
    ),
  };
}

const CODES = new Set<string>(Object.values(FailureCode));

/**
 * The code label of a delivery error: the adapter's FailureCode (domain/chat-port.ts: adapters
 * throw an ApplicationFailure typed with one), or UNEXPECTED for anything else, so a bug's
 * message never becomes a label.
 */
export function failureCodeOf(error: unknown): string {
  if (error instanceof ApplicationFailure && error.type && CODES.has(error.type)) return error.type;
  return 'UNEXPECTED';
}
