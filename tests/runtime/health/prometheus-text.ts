/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for the tests: every line must
 * be a HELP, a TYPE or a sample of a declared family, or it throws, naming the line.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(\\{(.*)\\})? (\\S+)( -?\\d+)?$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y;

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad value in: ${line}`);
  return Number(text);
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const start = LABEL.lastIndex;
    const m = LABEL.exec(text);
    if (!m || m.index !== start) throw new Error(`bad labels in: ${line}`);
    const [, key = '', raw = ''] = m;
    if (key in labels) throw new Error(`repeated label ${key} in: ${line}`);
    labels[key] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, MetricFamily>();
  const familyOf = (sampleName: string, f: MetricFamily | undefined) =>
    f && (f.name === sampleName || (f.type === 'histogram' && /_(bucket|sum|count)$/.test(sampleName)));
  for (const line of text.split('\n').slice(0, -1)) {
    const help = new RegExp(`^# HELP (${NAME}) (.*)$`).exec(line);
    const type = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
    if (help) {
      const [, name = '', h = ''] = help;
      if (families.has(name)) throw new Error(`HELP after the family started: ${line}`);
      families.set(name, { name, type: 'untyped', help: h, samples: [] });
      continue;
    }
    if (type) {
      const [, name = '', t = 'untyped'] = type;
      const f = families.get(name);
      if (!f || f.samples.length > 0) throw new Error(`TYPE must follow its HELP, before samples: ${line}`);
      f.type = t as MetricFamily['type'];
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const [, name = '', , labelText = '', valueText = ''] = m;
    const base = name.replace(/_(bucket|sum|count)$/, '');
    const f = families.get(name) ?? families.get(base);
    if (!familyOf(name, f) || !f) throw new Error(`sample of an undeclared family: ${line}`);
    f.samples.push({ name, labels: parseLabels(labelText, line), value: parseValue(valueText, line) });
  }
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

/** Buckets rise with `le`, end at +Inf, and the +Inf bucket equals the count. */
function checkHistogram(f: MetricFamily): void {
  const groups = new Map<string, Sample[]>();
  for (const s of f.samples.filter((x) => x.name === `${f.name}_bucket`)) {
    const { le, ...rest } = s.labels;
    if (le === undefined) throw new Error(`${f.name}: a bucket without le`);
    const k = JSON.stringify(rest);
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  for (const [k, buckets] of groups) {
    let last = -Infinity;
    let lastCount = 0;
    for (const b of buckets) {
      const le = parseValue(b.labels.le ?? '', f.name);
      if (le <= last || b.value < lastCount) throw new Error(`${f.name}${k}: buckets not cumulative`);
      last = le;
      lastCount = b.value;
    }
    if (last !== Infinity) throw new Error(`${f.name}${k}: no +Inf bucket`);
    const count = f.samples.find((s) => s.name === `${f.name}_count` && JSON.stringify(s.labels) === k);
    if (count?.value !== lastCount) throw new Error(`${f.name}${k}: +Inf bucket is not the count`);
  }
}
