/**
 * A tiny process-level metrics registry: counters, gauges and histograms with labels, rendered in
 * the Prometheus text exposition format. Small on purpose, so that a metric costs no dependency.
 * The health server (runtime/health/server.ts) serves `scrape()` at /metrics: collectors
 * registered with `collect()` refresh gauges read from elsewhere (the store, the worker) first.
 */
export type Labels = Readonly<Record<string, string>>;

interface Series {
  labels: Labels;
  value: number;
}

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  series: Map<string, Series>;
}

/** One labelled histogram: counts per bucket (not cumulative; the last is +Inf), sum and count. */
interface HistogramSeries {
  labels: Labels;
  counts: number[];
  sum: number;
  count: number;
}

interface HistogramFamily {
  name: string;
  help: string;
  type: 'histogram';
  buckets: readonly number[];
  series: Map<string, HistogramSeries>;
}

/** A histogram's state as read from elsewhere: cumulative counts per upper bound, like `le`. */
export interface HistogramSnapshot {
  /** Observations at or below each bucket bound, in the order of the histogram's buckets. */
  cumulative: readonly number[];
  sum: number;
  count: number;
}

export interface Counter {
  inc(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
}

export interface Gauge {
  set(labels: Labels, value: number): void;
  get(labels?: Labels): number;
}

export interface Histogram {
  observe(labels: Labels, value: number): void;
  /** Replaces one series with a state computed elsewhere (e.g. from the records store). */
  setSnapshot(labels: Labels, snapshot: HistogramSnapshot): void;
  /** Observations so far (the `_count`). */
  count(labels?: Labels): number;
}

/** Refreshes metrics just before a scrape; a collector that throws is counted, not fatal. */
export type Collector = () => void | Promise<void>;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function keyOf(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** A sample value as Prometheus writes it (+Inf, -Inf, NaN spelled its way). */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

export class MetricsRegistry {
  private readonly families = new Map<string, Family | HistogramFamily>();
  private readonly collectors = new Map<string, Collector>();

  private family(name: string, help: string, type: Family['type']): Family {
    if (!NAME.test(name)) throw new Error(`"${name}" is not a Prometheus metric name`);
    const existing = this.families.get(name);
    if (existing) {
      if (existing.type !== type) throw new Error(`metric ${name} is already a ${existing.type}`);
      return existing;
    }
    const created: Family = { name, help, type, series: new Map() };
    this.families.set(name, created);
    return created;
  }

  /** A monotonically increasing count. Asking twice for one name gives the same counter. */
  counter(name: string, help: string): Counter {
    const f = this.family(name, help, 'counter');
    return {
      inc(labels = {}, by = 1) {
        if (by < 0) throw new Error(`counter ${name} cannot go down`);
        const k = keyOf(labels);
        const s = f.series.get(k);
        if (s) s.value += by;
        else f.series.set(k, { labels: { ...labels }, value: by });
      },
      get: (labels = {}) => f.series.get(keyOf(labels))?.value ?? 0,
    };
  }

  /** A value that goes up and down (set to the latest reading). */
  gauge(name: string, help: string): Gauge {
    const f = this.family(name, help, 'gauge');
    return {
      set(labels, value) {
        f.series.set(keyOf(labels), { labels: { ...labels }, value });
      },
      get: (labels = {}) => f.series.get(keyOf(labels))?.value ?? 0,
    };
  }

  /**
   * A distribution over fixed upper bounds (ascending; +Inf is added). Asking twice for one name
   * gives the same histogram; its buckets are the first caller's.
   */
  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    if (!NAME.test(name)) throw new Error(`"${name}" is not a Prometheus metric name`);
    const existing = this.families.get(name);
    if (existing && existing.type !== 'histogram') {
      throw new Error(`metric ${name} is already a ${existing.type}`);
    }
    if (!existing && buckets.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= (buckets[i - 1] ?? b)))) {
      throw new Error(`histogram ${name}: buckets must be finite and ascending`);
    }
    const f: HistogramFamily = existing ?? {
      name,
      help,
      type: 'histogram',
      buckets: [...buckets],
      series: new Map(),
    };
    if (!existing) this.families.set(name, f);
    const seriesOf = (labels: Labels): HistogramSeries => {
      const k = keyOf(labels);
      let s = f.series.get(k);
      if (!s) {
        s = {
          labels: { ...labels },
          counts: new Array<number>(f.buckets.length + 1).fill(0),
          sum: 0,
          count: 0,
        };
        f.series.set(k, s);
      }
      return s;
    };
    return {
      observe(labels, value) {
        const s = seriesOf(labels);
        const i = f.buckets.findIndex((b) => value <= b);
        const at = i === -1 ? f.buckets.length : i;
        s.counts[at] = (s.counts[at] ?? 0) + 1;
        s.sum += value;
        s.count += 1;
      },
      setSnapshot(labels, snapshot) {
        if (snapshot.cumulative.length !== f.buckets.length) {
          throw new Error(`histogram ${name}: ${f.buckets.length} bucket counts expected`);
        }
        const s = seriesOf(labels);
        let below = 0;
        snapshot.cumulative.forEach((c, i) => {
          s.counts[i] = c - below;
          below = c;
        });
        s.counts[f.buckets.length] = snapshot.count - below;
        s.sum = snapshot.sum;
        s.count = snapshot.count;
      },
      count: (labels = {}) => f.series.get(keyOf(labels))?.count ?? 0,
    };
  }

  /**
   * Registers a collector run by `scrape()` before rendering. One name, one collector: registering
   * a name again replaces it (a restarted worker re-registers). Returns a function that removes it.
   */
  collect(name: string, collector: Collector): () => void {
    this.collectors.set(name, collector);
    return () => {
      if (this.collectors.get(name) === collector) this.collectors.delete(name);
    };
  }

  /**
   * Runs every collector (in parallel), then renders. A collector that fails leaves its metrics
   * at their last values and counts in `concordat_metrics_collector_errors_total`, so one broken
   * source (a database that is down) never empties the whole scrape.
   */
  async scrape(): Promise<string> {
    const errors = this.counter(
      'concordat_metrics_collector_errors_total',
      'Scrape-time collectors that failed, by collector (their metrics keep their last values).',
    );
    await Promise.all(
      [...this.collectors].map(async ([name, collector]) => {
        try {
          await collector();
        } catch {
          errors.inc({ collector: name });
        }
      }),
    );
    return this.render();
  }

  /** Every metric in the Prometheus text format (version 0.0.4). */
  render(): string {
    const lines: string[] = [];
    for (const f of this.families.values()) {
      lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
      lines.push(`# TYPE ${f.name} ${f.type}`);
      if (f.type === 'histogram') {
        for (const s of f.series.values()) {
          let cumulative = 0;
          [...f.buckets, Infinity].forEach((bound, i) => {
            cumulative += s.counts[i] ?? 0;
            const le = formatLabels({ ...s.labels, le: formatValue(bound) });
            lines.push(`${f.name}_bucket${le} ${cumulative}`);
          });
          lines.push(`${f.name}_sum${formatLabels(s.labels)} ${formatValue(s.sum)}`);
          lines.push(`${f.name}_count${formatLabels(s.labels)} ${s.count}`);
        }
        continue;
      }
      for (const s of f.series.values())
        lines.push(`${f.name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
    }
    return lines.length ? `${lines.join('\n')}\n` : '';
  }
}

/** The Prometheus text format's content type, for a /metrics response. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The process's registry. */
export const metrics = new MetricsRegistry();
