/**
 * A tiny process-level metrics registry: counters and gauges with labels, rendered in the
 * Prometheus text exposition format. Small on purpose, so that a metric costs no dependency; a
 * scrape endpoint or an OpenTelemetry bridge can read `render()` later.
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

export interface Counter {
  inc(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
}

export interface Gauge {
  set(labels: Labels, value: number): void;
  get(labels?: Labels): number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function keyOf(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

export class MetricsRegistry {
  private readonly families = new Map<string, Family>();

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

  /** Every metric in the Prometheus text format (version 0.0.4). */
  render(): string {
    const lines: string[] = [];
    for (const f of this.families.values()) {
      lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
      lines.push(`# TYPE ${f.name} ${f.type}`);
      for (const s of f.series.values()) lines.push(`${f.name}${formatLabels(s.labels)} ${s.value}`);
    }
    return lines.length ? `${lines.join('\n')}\n` : '';
  }
}

/** The process's registry. */
export const metrics = new MetricsRegistry();
