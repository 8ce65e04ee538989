// The store-derived metrics on each backend: open requests, the oldest one nobody has answered
// (any responder action counts, as in domain/request-rules.ts), and page lateness from the
// escalated audit rows' dueAt against when each page's delivery was saved.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerStoreMetrics } from '../../../runtime/health/store-metrics.js';
import { MetricsRegistry } from '../../../runtime/metrics.js';
import type { Store } from '../../../store/open-store.js';
import { describeEachBackend, newRequest, outcomeFor, uniqueWorkflowId } from '../../store/helpers.js';
import { parsePrometheusText } from './prometheus-text.js';

const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
const slackRef = (id: string) => ({ platform: 'slack' as const, conversationId: 'C1', messageId: id });

describeEachBackend('store metrics on $name', (backend) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await backend.open());
    const responder = { platform: 'slack' as const, userId: 'U_EDT' };
    const open = async (label: string, minutesAgo: number, responded?: string) => {
      const workflowId = uniqueWorkflowId(label);
      await store.registerRequest(newRequest({ workflowId, requestedAt: iso(minutesAgo * 60_000) }));
      if (responded) {
        await store.appendEvent({
          eventId: `${workflowId}:a`,
          workflowId,
          type: responded,
          actor: responder,
          at: iso(0),
          data: {},
        });
      }
      return workflowId;
    };
    const waiting = await open('waiting', 10);
    await open('acknowledged', 60, 'acknowledge');
    await open('offered', 20, 'offer_bed');
    // A refused click is not an acknowledgement.
    await open('refused', 5, 'action_refused');
    const closed = await open('closed', 120);
    const req = newRequest({ workflowId: closed, requestedAt: iso(120 * 60_000) });
    await store.recordOutcome(outcomeFor(req));

    // Two pages posted (about 2 s and 45 s after they were due), one due but not yet posted.
    const escalated = async (step: string, occurrence: number, dueMsAgo: number) =>
      store.appendEvent({
        eventId: `${waiting}:esc:${step}:${occurrence}`,
        workflowId: waiting,
        type: 'escalated',
        at: iso(0),
        data: { level: 1, name: step, step, occurrence, reason: 'not_acknowledged', dueAt: iso(dueMsAgo) },
      });
    await escalated('repage', 1, 2_000);
    await store.saveDelivery(waiting, 'esc:repage:1', 'slack:C1', slackRef('1.1'));
    await escalated('manager', 1, 45_000);
    await store.saveDelivery(waiting, 'esc:manager:1', 'slack:C1', slackRef('1.2'));
    await escalated('inspector', 1, 1_000);
  });
  afterAll(async () => cleanup?.());

  it('counts open and unacknowledged requests, the oldest waiting one, and page lateness', async () => {
    const registry = new MetricsRegistry();
    registerStoreMetrics(registry, store.sql, { cacheMs: 0 });
    const families = parsePrometheusText(await registry.scrape());
    const value = (name: string, labels: Record<string, string> = {}) =>
      families
        .get(name.replace(/_(bucket|sum|count)$/, ''))
        ?.samples.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))?.value;
    expect(value('concordat_requests_open')).toBe(4);
    expect(value('concordat_requests_unacknowledged')).toBe(2);
    const oldest = value('concordat_oldest_unacknowledged_request_age_seconds') ?? 0;
    expect(oldest).toBeGreaterThanOrEqual(600);
    expect(oldest).toBeLessThan(660);

    const lateness = 'concordat_escalation_page_lateness_seconds';
    expect(value(`${lateness}_count`)).toBe(2);
    expect(value(`${lateness}_bucket`, { le: '1' })).toBe(0);
    expect(value(`${lateness}_bucket`, { le: '5' })).toBe(1);
    expect(value(`${lateness}_bucket`, { le: '30' })).toBe(1);
    expect(value(`${lateness}_bucket`, { le: '60' })).toBe(2);
    expect(value(`${lateness}_bucket`, { le: '+Inf' })).toBe(2);
    expect(value(`${lateness}_sum`)).toBeGreaterThan(46);
    expect(value(`${lateness}_sum`)).toBeLessThan(80);
  });

  it('reads the store at most once per cache period, however many scrapes', async () => {
    let queries = 0;
    const counting = {
      query: <R extends object>(text: string, params?: readonly unknown[]) => {
        queries += 1;
        return store.sql.query<R>(text, params);
      },
    };
    let now = 1_000_000;
    const registry = new MetricsRegistry();
    registerStoreMetrics(registry, counting, { cacheMs: 15_000, now: () => now });
    await Promise.all([registry.scrape(), registry.scrape()]);
    await registry.scrape();
    expect(queries).toBe(2);
    now += 15_000;
    await registry.scrape();
    expect(queries).toBe(4);
  });
});
