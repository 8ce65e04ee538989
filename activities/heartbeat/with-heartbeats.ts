import { Context } from '@temporalio/activity';

/** How often a running activity tells Temporal it is alive; the workflows' heartbeat timeout is 5 s. */
export const HEARTBEAT_EVERY_MS = 1000;

/**
 * Runs an activity while heartbeating, so that when its worker is killed Temporal retries it on
 * another worker as soon as the heartbeat timeout passes (5 s), not when the start-to-close
 * timeout runs out (30 s). A page in flight at a crash is then late by seconds, not half a minute
 * (docs/durability.md, "Recovery after a crash"). Outside an activity, or in a local activity, it
 * just runs the work.
 */
export async function withHeartbeats<T>(work: () => Promise<T>, everyMs = HEARTBEAT_EVERY_MS): Promise<T> {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return work();
  }
  // A local activity has no heartbeat (its workflow task is its liveness): the server refuses one.
  if (context.info.isLocal) return work();
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** The same activity function, heartbeating while it runs. */
export function heartbeating<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return (...args: A) => withHeartbeats(() => fn(...args));
}
