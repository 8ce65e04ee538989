/**
 * The metrics an activity may record, as interfaces. The runtime injects its registry
 * (runtime/metrics.ts, served at /metrics by runtime/health/); activities never import runtime/.
 * Without one, nothing is recorded ({@link NO_METRICS}).
 */
export type MetricLabels = Readonly<Record<string, string>>;

export interface CounterMetric {
  inc(labels?: MetricLabels, by?: number): void;
}

export interface GaugeMetric {
  set(labels: MetricLabels, value: number): void;
}

/** Registers (or finds) a metric by name; the same name always gives the same metric. */
export interface MetricsSink {
  counter(name: string, help: string): CounterMetric;
  gauge(name: string, help: string): GaugeMetric;
}

/** A sink that records nothing: tests and tools that do not serve /metrics. */
export const NO_METRICS: MetricsSink = {
  counter: () => ({ inc: () => undefined }),
  gauge: () => ({ set: () => undefined }),
};
