import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../runtime/metrics.js';

describe('MetricsRegistry', () => {
  it('renders counters and gauges in the Prometheus text format, labels sorted and escaped', () => {
    const m = new MetricsRegistry();
    const stuck = m.gauge('concordat_stuck_requests', 'Stuck requests by reason.');
    stuck.set({ reason: 'NO_WORKFLOW' }, 2);
    stuck.set({ reason: 'NO_WORKFLOW' }, 1);
    const runs = m.counter('concordat_watchdog_runs_total', 'Runs.');
    runs.inc();
    runs.inc({}, 2);
    m.counter('odd_total', 'Odd "labels".').inc({ z: 'a"b\\c\nd', a: 'x' });
    expect(m.render()).toBe(
      [
        '# HELP concordat_stuck_requests Stuck requests by reason.',
        '# TYPE concordat_stuck_requests gauge',
        'concordat_stuck_requests{reason="NO_WORKFLOW"} 1',
        '# HELP concordat_watchdog_runs_total Runs.',
        '# TYPE concordat_watchdog_runs_total counter',
        'concordat_watchdog_runs_total 3',
        '# HELP odd_total Odd "labels".',
        '# TYPE odd_total counter',
        'odd_total{a="x",z="a\\"b\\\\c\\nd"} 1',
        '',
      ].join('\n'),
    );
    expect(runs.get()).toBe(3);
  });

  it('one name is one metric: asking again shares it; a clash of kinds or a bad name throws', () => {
    const m = new MetricsRegistry();
    m.counter('a_total', 'A').inc();
    m.counter('a_total', 'A').inc();
    expect(m.counter('a_total', 'A').get()).toBe(2);
    expect(() => m.gauge('a_total', 'A')).toThrow(/already a counter/);
    expect(() => m.counter('bad-name', 'x')).toThrow(/not a Prometheus metric name/);
    expect(() => m.counter('a_total', 'A').inc({}, -1)).toThrow(/cannot go down/);
    expect(new MetricsRegistry().render()).toBe('');
  });
});
