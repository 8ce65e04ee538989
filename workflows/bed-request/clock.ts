import { CancellationScope, condition, patched, sleep } from '@temporalio/workflow';

/** Patch ID of the logical clock; histories recorded before it replay on `Date.now()`. */
export const LOGICAL_CLOCK_PATCH = 'logical-decision-clock';

/**
 * The time a bed request decides by (docs/durability.md, "The stale clock").
 *
 * A worker that rebuilds a request from history while a query is waiting can be handed the
 * previous workflow task's time as `Date.now()`. A decision taken from that clock ("is the next
 * ladder step due?") takes another path when the history is replayed with the right time, and the
 * request is stranded by a nondeterminism error. So decisions never read `Date.now()`: they read
 * times that history itself holds, and replay reads the same ones.
 * - A ladder or court timer that fired: its due time.
 * - An action: the time its client stamped on it (`sentAt`), never before the last decision.
 * `Date.now()` only sets how long the next timer runs, which replay does not compare.
 */
export class DecisionClock {
  private floorMs: number;
  private logical: boolean | undefined;

  constructor(floorMs: number) {
    this.floorMs = floorMs;
  }

  /** Whether this run decides by the logical clock (false only while replaying older histories). */
  get enabled(): boolean {
    // Asked each time until it says yes: during replay of an older history it is false, and turns
    // true (recording its marker) once the run reaches live execution.
    if (this.logical !== true) this.logical = patched(LOGICAL_CLOCK_PATCH);
    return this.logical;
  }

  /** The time decided by so far. */
  get latestMs(): number {
    return this.floorMs;
  }

  /** Moves the clock to `ms` if that is later; returns the clock. */
  advanceTo(ms: number): number {
    if (ms > this.floorMs) this.floorMs = ms;
    return this.floorMs;
  }

  /** The time of an action: its client's stamp (or, unstamped, the wall clock), never before the clock. */
  actionTime(sentAt: string | undefined): number {
    const stamped = sentAt === undefined ? Number.NaN : Date.parse(sentAt);
    return this.advanceTo(Number.isNaN(stamped) ? Date.now() : stamped);
  }

  /** How long a timer due at `dueAtMs` should run, from the wall clock (never negative). */
  timerMs(dueAtMs: number): number {
    return Math.max(1, dueAtMs - Math.max(Date.now(), this.floorMs));
  }
}

/**
 * Waits until `ready()` or for `ms`, like `condition(ready, ms)`, but says whether the timer
 * fired, even when an action arrived in the same workflow task: a fired timer is the proof that
 * its due time has passed.
 */
export async function waitForTimerOr(ready: () => boolean, ms: number): Promise<{ timerFired: boolean }> {
  let timerFired = false;
  await CancellationScope.cancellable(async () => {
    try {
      await Promise.race([
        sleep(ms).then(() => {
          timerFired = true;
        }),
        condition(ready),
      ]);
    } finally {
      CancellationScope.current().cancel();
    }
  });
  return { timerFired };
}
