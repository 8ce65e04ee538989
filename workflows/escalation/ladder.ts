import type { EscalationCondition } from '../../domain/protocol.js';
import type { LadderSnapshot, LadderStepSnapshot } from '../../domain/routing.js';
import { nextLocalMidnightMs } from '../../domain/time-windows.js';

/**
 * The escalation ladder as a pure function (docs/architecture.md, "The bed-request workflow, by phase"). The workflow asks "when is the
 * next escalation due?", sleeps on a durable timer until then (or until an action arrives), and
 * asks "what is due now?". All times are epoch milliseconds from the workflow clock.
 */

/** What the ladder needs to know about the request. */
export interface LadderFacts {
  requestedAtMs: number;
  /** The last accepted state change (an action); the request time until the first one. */
  lastChangeAtMs: number;
  acknowledged: boolean;
  bedOffered: boolean;
  resolved: boolean;
}

/** Where the ladder has got to; carried across continue-as-new. */
export interface LadderProgress {
  /** Times each step has fired, by step key. For `last_change` steps: since the last change. */
  fired: Record<string, number>;
  /** The next local midnight the overnight trigger waits for (set when the ladder starts). */
  nextMidnightMs?: number;
  /**
   * The review ladder of a child held after a stay (workflows/bed-request/held.ts): when the next
   * review page is due, and how many went out. Set when the stay is recorded.
   */
  review?: { nextAtMs: number | null; sent: number };
  /** The court-sitting warning has been sent (workflows/bed-request/court.ts). */
  courtWarned?: boolean;
  /**
   * The last court-sitting warning: the sitting it was for, when it went out, and how many have
   * gone out, so an amended sitting re-arms it (court.ts). Absent in runs warned before it existed.
   */
  courtWarning?: { sitting: string; atMs: number; sent: number };
}

export type EscalationReason = EscalationCondition | 'overnight';

export interface DueEscalation {
  /** Step key, or `overnight`. */
  key: string;
  level: number;
  name: string;
  reason: EscalationReason;
  notify: string[];
  /** 1 for the first firing of the step, 2 for its first repeat, and so on. */
  occurrence: number;
  /** When it was due (the timer's target), which may be slightly before it was noticed. */
  dueAtMs: number;
}

export const OVERNIGHT_KEY = 'overnight';

export function conditionHolds(condition: EscalationCondition, facts: LadderFacts): boolean {
  if (facts.resolved) return false;
  switch (condition) {
    case 'not_acknowledged':
      return !facts.acknowledged;
    case 'no_bed_offered':
      return !facts.bedOffered;
    case 'not_resolved':
      return true;
  }
}

/** How many times a step may fire in all: once, or `maxRepeats` times with `repeat` (at least once). */
export function totalFirings(step: LadderStepSnapshot): number {
  return step.repeatMs ? Math.max(1, step.maxRepeats) : 1;
}

function baseOf(step: LadderStepSnapshot, facts: LadderFacts): number {
  return step.from === 'last_change' ? facts.lastChangeAtMs : facts.requestedAtMs;
}

/** When the next firing of this step is due, or null when it will not fire again. */
export function stepDueAt(
  step: LadderStepSnapshot,
  facts: LadderFacts,
  progress: LadderProgress,
): number | null {
  if (!conditionHolds(step.condition, facts)) return null;
  const fired = progress.fired[step.key] ?? 0;
  if (fired >= totalFirings(step)) return null;
  return baseOf(step, facts) + step.afterMs + fired * (step.repeatMs ?? 0);
}

/** Starts the ladder: sets the first overnight target after the request time. */
export function startLadder(facts: LadderFacts, ladder: LadderSnapshot, zone: string): LadderProgress {
  return {
    fired: {},
    ...(ladder.overnight ? { nextMidnightMs: nextLocalMidnightMs(facts.requestedAtMs, zone) } : {}),
  };
}

/** The earliest time something on the ladder is due, or null when nothing is left to fire. */
export function nextDueAt(
  facts: LadderFacts,
  ladder: LadderSnapshot,
  progress: LadderProgress,
): number | null {
  let next: number | null = null;
  for (const step of ladder.steps) {
    const at = stepDueAt(step, facts, progress);
    if (at !== null && (next === null || at < next)) next = at;
  }
  if (ladder.overnight && !facts.resolved && progress.nextMidnightMs !== undefined) {
    if (next === null || progress.nextMidnightMs < next) next = progress.nextMidnightMs;
  }
  return next;
}

/**
 * What is due at `nowMs`, and the progress after firing it. A repeating step that fell several
 * periods behind (a worker outage) fires once and skips to its next future firing, so nobody is
 * paged five times in a second.
 */
export function takeDue(
  facts: LadderFacts,
  ladder: LadderSnapshot,
  progress: LadderProgress,
  nowMs: number,
  zone: string,
): { due: DueEscalation[]; progress: LadderProgress } {
  const due: DueEscalation[] = [];
  const fired = { ...progress.fired };
  for (const step of ladder.steps) {
    const at = stepDueAt(step, facts, progress);
    if (at === null || at > nowMs) continue;
    const already = fired[step.key] ?? 0;
    let count = already + 1;
    if (step.repeatMs) {
      const reached = Math.floor((nowMs - baseOf(step, facts) - step.afterMs) / step.repeatMs) + 1;
      count = Math.min(totalFirings(step), Math.max(count, reached));
    }
    fired[step.key] = count;
    due.push({
      key: step.key,
      level: step.level,
      name: step.name,
      reason: step.condition,
      notify: step.notify,
      occurrence: already + 1,
      dueAtMs: at,
    });
  }
  let nextMidnightMs = progress.nextMidnightMs;
  if (ladder.overnight && !facts.resolved && nextMidnightMs !== undefined && nextMidnightMs <= nowMs) {
    due.push({
      key: OVERNIGHT_KEY,
      level: ladder.overnight.level,
      name: 'Overnight: 00:00 reached',
      reason: 'overnight',
      notify: ladder.overnight.notify,
      occurrence: (fired[OVERNIGHT_KEY] ?? 0) + 1,
      dueAtMs: nextMidnightMs,
    });
    fired[OVERNIGHT_KEY] = (fired[OVERNIGHT_KEY] ?? 0) + 1;
    nextMidnightMs = nextLocalMidnightMs(nowMs, zone);
  }
  due.sort((a, b) => a.dueAtMs - b.dueAtMs || a.level - b.level);
  return {
    due,
    progress: {
      fired,
      ...(nextMidnightMs !== undefined ? { nextMidnightMs } : {}),
      ...(progress.review ? { review: progress.review } : {}),
      ...(progress.courtWarned ? { courtWarned: true } : {}),
      ...(progress.courtWarning ? { courtWarning: progress.courtWarning } : {}),
    },
  };
}

/**
 * After an accepted state change: steps measured from the last change start counting again.
 * Steps measured from the request keep their count.
 */
export function onStateChange(ladder: LadderSnapshot, progress: LadderProgress): LadderProgress {
  const fired = { ...progress.fired };
  for (const step of ladder.steps) if (step.from === 'last_change') delete fired[step.key];
  return { ...progress, fired };
}
