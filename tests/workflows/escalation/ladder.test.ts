import { describe, expect, it } from 'vitest';
import type { LadderSnapshot } from '../../../domain/routing.js';
import {
  nextDueAt,
  onStateChange,
  startLadder,
  takeDue,
  type LadderFacts,
  type LadderProgress,
} from '../../../workflows/escalation/ladder.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const ZONE = 'Europe/London';

/** The shipped default ladder, as snapshotted. */
const LADDER: LadderSnapshot = {
  steps: [
    {
      key: '0',
      level: 1,
      name: 'Re-page',
      condition: 'not_acknowledged',
      afterMs: 30 * MIN,
      from: 'request',
      maxRepeats: 6,
      notify: ['responders'],
    },
    {
      key: '1',
      level: 1,
      name: 'EDT manager',
      condition: 'not_acknowledged',
      afterMs: 30 * MIN,
      from: 'request',
      maxRepeats: 6,
      notify: ['edt-manager'],
    },
    {
      key: '2',
      level: 2,
      name: 'Inspector',
      condition: 'no_bed_offered',
      afterMs: HOUR,
      from: 'request',
      maxRepeats: 6,
      notify: ['custody-inspector'],
    },
    {
      key: '3',
      level: 3,
      name: 'Superintendent',
      condition: 'not_resolved',
      afterMs: 2 * HOUR,
      from: 'request',
      repeatMs: 2 * HOUR,
      maxRepeats: 3,
      notify: ['superintendent'],
    },
  ],
  overnight: { level: 3, notify: ['superintendent'] },
};

// Monday 18 February 2013, 21:05 GMT (the seed's first night)
const T0 = Date.parse('2013-02-18T21:05:00Z');
const open = (over: Partial<LadderFacts> = {}): LadderFacts => ({
  requestedAtMs: T0,
  lastChangeAtMs: T0,
  acknowledged: false,
  bedOffered: false,
  resolved: false,
  ...over,
});

/** Runs the ladder like the workflow does, without actions, until `untilMs`; returns what fired when. */
function run(facts: LadderFacts, ladder: LadderSnapshot, untilMs: number, progress?: LadderProgress) {
  let p = progress ?? startLadder(facts, ladder, ZONE);
  const fired: Array<[string, string, number]> = [];
  for (;;) {
    const at = nextDueAt(facts, ladder, p);
    if (at === null || at > untilMs) break;
    const r = takeDue(facts, ladder, p, at, ZONE);
    p = r.progress;
    for (const d of r.due) fired.push([new Date(at).toISOString(), d.key, d.level]);
  }
  return { fired, progress: p };
}

describe('the escalation ladder', () => {
  it('fires every step at its time while nothing happens, and the overnight trigger at local 00:00', () => {
    const { fired } = run(open(), LADDER, T0 + 12 * HOUR);
    expect(fired).toEqual([
      ['2013-02-18T21:35:00.000Z', '0', 1],
      ['2013-02-18T21:35:00.000Z', '1', 1],
      ['2013-02-18T22:05:00.000Z', '2', 2],
      ['2013-02-18T23:05:00.000Z', '3', 3],
      ['2013-02-19T00:00:00.000Z', 'overnight', 3],
      ['2013-02-19T01:05:00.000Z', '3', 3],
      ['2013-02-19T03:05:00.000Z', '3', 3], // third and last (maxRepeats 3)
    ]);
  });

  it('keeps escalating after an acknowledgement without a bed', () => {
    const { fired } = run(open({ acknowledged: true, lastChangeAtMs: T0 + 5 * MIN }), LADDER, T0 + 3 * HOUR);
    expect(fired.map((f) => f[1])).toEqual(['2', '3', 'overnight']);
  });

  it('stops no-bed steps once a bed is offered, but not "not resolved"', () => {
    const { fired } = run(open({ acknowledged: true, bedOffered: true }), LADDER, T0 + 3 * HOUR);
    expect(fired.map((f) => f[1])).toEqual(['3', 'overnight']);
  });

  it('stops everything once resolved', () => {
    const facts = open({ resolved: true });
    expect(nextDueAt(facts, LADDER, startLadder(facts, LADDER, ZONE))).toBeNull();
  });

  it('measures `last_change` steps from the last change, and restarts them after one', () => {
    const ladder: LadderSnapshot = {
      steps: [
        {
          key: '0',
          level: 2,
          name: 'Stalled',
          condition: 'not_resolved',
          afterMs: HOUR,
          from: 'last_change',
          maxRepeats: 6,
          notify: ['x'],
        },
      ],
    };
    let facts = open();
    let p = startLadder(facts, ladder, ZONE);
    expect(nextDueAt(facts, ladder, p)).toBe(T0 + HOUR);
    p = takeDue(facts, ladder, p, T0 + HOUR, ZONE).progress;
    expect(nextDueAt(facts, ladder, p)).toBeNull();
    // An acknowledgement at +90m: the step may fire again an hour later.
    facts = { ...facts, acknowledged: true, lastChangeAtMs: T0 + 90 * MIN };
    p = onStateChange(ladder, p);
    expect(nextDueAt(facts, ladder, p)).toBe(T0 + 150 * MIN);
  });

  it('fires a step that fell behind once, then resumes at its next future time', () => {
    const p0 = startLadder(open(), LADDER, ZONE);
    // Nothing ran until +7h (a worker outage): every overdue step fires once.
    const { due, progress } = takeDue(open(), LADDER, p0, T0 + 7 * HOUR, ZONE);
    expect(due.map((d) => [d.key, d.occurrence])).toEqual([
      ['0', 1],
      ['1', 1],
      ['2', 1],
      ['3', 1],
      ['overnight', 1],
    ]);
    // Step 3 repeats at +2h, +4h, +6h (max 3): all reached by +7h, so it is done.
    expect(progress.fired['3']).toBe(3);
    expect(nextDueAt(open(), LADDER, progress)).toBe(Date.parse('2013-02-20T00:00:00Z'));
  });

  it('treats repeat with maxRepeats 0 as a single firing', () => {
    const ladder: LadderSnapshot = {
      steps: [
        {
          key: '0',
          level: 1,
          name: 'x',
          condition: 'not_resolved',
          afterMs: HOUR,
          from: 'request',
          repeatMs: HOUR,
          maxRepeats: 0,
          notify: ['x'],
        },
      ],
    };
    expect(run(open(), ladder, T0 + 10 * HOUR).fired).toHaveLength(1);
  });

  describe('the overnight trigger on the nights the clocks change', () => {
    const overnightOnly: LadderSnapshot = {
      steps: [LADDER.steps[0]!],
      overnight: { level: 3, notify: ['s'] },
    };
    const firstMidnight = (requestedIso: string) => {
      const facts = open({
        requestedAtMs: Date.parse(requestedIso),
        lastChangeAtMs: Date.parse(requestedIso),
        acknowledged: true,
      });
      return run(facts, overnightOnly, Date.parse(requestedIso) + 30 * HOUR).fired.map((f) => f[0]);
    };

    it('spring forward (Sun 29 March 2026): 00:00 GMT, then 00:00 BST (23:00Z)', () => {
      expect(firstMidnight('2026-03-28T21:00:00Z')).toEqual([
        '2026-03-29T00:00:00.000Z',
        '2026-03-29T23:00:00.000Z',
      ]);
    });

    it('fall back (Sun 25 October 2026): 00:00 BST (23:00Z), then 00:00 GMT', () => {
      expect(firstMidnight('2026-10-24T20:00:00Z')).toEqual([
        '2026-10-24T23:00:00.000Z',
        '2026-10-26T00:00:00.000Z',
      ]);
    });
  });
});
