/**
 * docs/chart-example.png is the chart's real output: the digest activities, run in an activity
 * context (MockActivityEnvironment), gather a digest's figures from a seeded store and
 * render its chart. The trend carries weekly transfers from the store (counted here by hand from
 * the seed), the chart is checked for size, and with UPDATE_CHART_EXAMPLE=1 the test writes the
 * PNG to docs/ (how the checked-in example was made).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH } from '../../../activities/digest/chart.js';
import { createDigestActivities } from '../../../activities/digest/digest-activities.js';
import type { DigestFigures } from '../../../domain/digest/figures.js';
import { computePeriod } from '../../../domain/digest/period.js';
import { openStore, type Store } from '../../../store/open-store.js';
import { buildSeed, seedStore, testProtocol } from './seed.js';

const EXAMPLE = 'docs/chart-example.png';
const NOW = '2026-10-21T08:00:00.000Z'; // a Wednesday: the last week on the chart is not over
const seed = buildSeed(360, 20260329);
let store: Store;
let figures: DigestFigures;
let png: Buffer;

beforeAll(async () => {
  store = await openStore({
    dataDir: 'memory://',
    secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) },
  });
  await seedStore(store, seed);
  const activities = createDigestActivities({
    store,
    chat: { send: () => Promise.reject(new Error('unused')), notifyPerson: () => Promise.resolve() },
    protocol: testProtocol(),
    clock: () => new Date(NOW),
  });
  const mock = new MockActivityEnvironment();
  // Runs an activity in the mock activity context, keeping its types.
  const env = {
    run: <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
      mock.run<A, R, (...args: A) => Promise<R>>(fn, ...args),
  };
  // A lead's "digest now" on a Wednesday, for the month so far: its last week is not over.
  const period = computePeriod({
    kind: 'range',
    now: NOW,
    timeZone: 'Europe/London',
    from: '2026-10-01',
    to: '2026-10-21',
  });
  figures = await env.run(activities.gatherDigestFigures, { period });
  const chart = await env.run(activities.renderDigestChart, {
    trend: figures.trend,
    suppress: false,
    title: 'Bed requests and outcomes, Northamptonshire Police',
    period: figures.period,
    generatedAt: figures.generatedAt,
  });
  png = Buffer.from(chart.pngBase64, 'base64');
}, 120_000);

afterAll(async () => {
  await store?.close();
});

describe('the chart example in docs/', () => {
  it('plots weekly transfers and detentions from the store, counted by hand, entered in error left out', () => {
    const zone = 'Europe/London';
    expect(figures.trend.length).toBeGreaterThanOrEqual(12);
    for (const w of figures.trend) {
      const inWeek = seed.filter(
        (s) =>
          s.outcome?.outcome !== 'cancelled_in_error' &&
          DateTime.fromISO(s.request.chargedAt, { zone }).startOf('week').toISODate() === w.weekStart,
      );
      expect(w.transferred, w.weekStart).toBe(
        inWeek.filter((s) => s.outcome?.outcome.startsWith('transferred')).length,
      );
      expect(w.requests, w.weekStart).toBe(inWeek.length);
    }
    expect(figures.trend.some((w) => (w.transferred ?? 0) > 0)).toBe(true);
  });

  it('is a 1000×560 PNG of a drawn chart; docs/chart-example.png is one like it', () => {
    expect(png.readUInt32BE(16)).toBe(CHART_WIDTH);
    expect(png.readUInt32BE(20)).toBe(CHART_HEIGHT);
    expect(png.length).toBeGreaterThan(20_000);
    expect(png.length).toBeLessThan(400_000);
    if (process.env.UPDATE_CHART_EXAMPLE === '1') writeFileSync(EXAMPLE, png);
    const example = readFileSync(EXAMPLE);
    expect([example.readUInt32BE(16), example.readUInt32BE(20)]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
  });
});
