// The setup the bed-request workflow test files share: one harness per file (created before its
// tests, torn down after), and `open()`, which starts a request numbered within the file and waits
// until the workflow has registered it.
import { afterAll, beforeAll, expect } from 'vitest';
import type { BedRequestForm } from '../../domain/bed-request.js';
import type { Protocol } from '../../domain/protocol.js';
import { bedRequest, createHarness, eventually, type Harness } from './workflow-harness.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const iso = (ms: number): string => new Date(ms).toISOString();

export interface BedRequestSuiteOptions {
  /** When the test server's clock starts (ISO). */
  startAt: string;
  taskQueue: string;
  protocol?: Protocol;
  /** Custody records are `<recordPrefix>-0001`, `-0002`, … */
  recordPrefix: string;
  /** PNC IDs are `26/<pncBase + n><pncLetter>`, so no two requests of a file are the same child. */
  pncBase: number;
  pncLetter: string;
}

export interface BedRequestSuite {
  /**
   * The file's harness. It forwards to the harness its `beforeAll` creates, so a file can take it
   * at the top (`const { h, open } = bedRequestSuite(…)`) and use it in its tests.
   */
  readonly h: Harness;
  /**
   * Starts a request now (or, with `at`, once the clock is moved on to `at`): charged 10 minutes
   * before, court 15 hours after, unless `over` says otherwise. Returns its workflow ID.
   */
  open: (over?: Partial<BedRequestForm>, at?: string) => Promise<string>;
}

export function bedRequestSuite(opts: BedRequestSuiteOptions): BedRequestSuite {
  let harness: Harness | undefined;
  let seq = 0;
  beforeAll(async () => {
    harness = await createHarness({
      startAt: opts.startAt,
      taskQueue: opts.taskQueue,
      ...(opts.protocol ? { protocol: opts.protocol } : {}),
    });
  });
  afterAll(async () => {
    await harness?.teardown();
  });
  const current = (): Harness => {
    if (!harness) throw new Error('bedRequestSuite: the harness is not up yet (use it inside a test)');
    return harness;
  };
  const h = new Proxy({} as Harness, {
    get: (_target, key) => Reflect.get(current(), key) as unknown,
  });
  const suite: BedRequestSuite = {
    h,
    open: async (over = {}, at) => {
      if (at) await h.advanceTo(at);
      const now = at ? Date.parse(at) : await h.nowMs();
      seq += 1;
      const r = await h.client.start(
        bedRequest({
          custodyRecordNumber: `${opts.recordPrefix}-${String(seq).padStart(4, '0')}`,
          child: { pncId: `26/${opts.pncBase + seq}${opts.pncLetter}` },
          chargedAt: iso(now - 10 * MIN),
          nextCourtSitting: iso(now + 15 * HOUR),
          ...over,
        }),
        iso(now),
      );
      expect(r.status).toBe('started');
      await eventually(() => h.client.view(r.workflowId));
      return r.workflowId;
    },
  };
  return suite;
}
