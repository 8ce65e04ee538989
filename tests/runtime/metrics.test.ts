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

  it('renders a histogram with cumulative buckets, +Inf, sum and count; a snapshot replaces a series', () => {
    const m = new MetricsRegistry();
    const h = m.histogram('lateness_seconds', 'Lateness.', [1, 5]);
    h.observe({}, 0.5);
    h.observe({}, 3);
    h.observe({}, 60);
    h.setSnapshot({ site: 'b' }, { cumulative: [2, 2], sum: 1.5, count: 4 });
    expect(m.render()).toBe(
      [
        '# HELP lateness_seconds Lateness.',
        '# TYPE lateness_seconds histogram',
        'lateness_seconds_bucket{le="1"} 1',
        'lateness_seconds_bucket{le="5"} 2',
        'lateness_seconds_bucket{le="+Inf"} 3',
        'lateness_seconds_sum 63.5',
        'lateness_seconds_count 3',
        'lateness_seconds_bucket{le="1",site="b"} 2',
        'lateness_seconds_bucket{le="5",site="b"} 2',
        'lateness_seconds_bucket{le="+Inf",site="b"} 4',
        'lateness_seconds_sum{site="b"} 1.5',
        'lateness_seconds_count{site="b"} 4',
        '',
      ].join('\n'),
    );
    expect(h.count()).toBe(3);
    expect(() => m.histogram('bad_seconds', 'x', [5, 1])).toThrow(/ascending/);
    expect(() => m.gauge('lateness_seconds', 'x')).toThrow(/already a histogram/);
    expect(() => h.setSnapshot({}, { cumulative: [1], sum: 0, count: 1 })).toThrow(/2 bucket counts/);
  });

  it('scrape() runs the collectors first; one that fails is counted and the rest still render', async () => {
    const m = new MetricsRegistry();
    const g = m.gauge('things', 'Things.');
    let reads = 0;
    m.collect('things', () => {
      reads += 1;
      g.set({}, reads);
    });
    const remove = m.collect('broken', () => Promise.reject(new Error('database down')));
    expect(await m.scrape()).toContain('things 1\n');
    const text = await m.scrape();
    expect(text).toContain('things 2\n');
    expect(text).toContain('concordat_metrics_collector_errors_total{collector="broken"} 2');
    remove();
    await m.scrape();
    expect(m.counter('concordat_metrics_collector_errors_total', '').get({ collector: 'broken' })).toBe(2);
  });
});
