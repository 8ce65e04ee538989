// The smallest workflow that shows the Temporal SDK's stale clock (docs/durability.md).
import { condition, defineQuery, setHandler } from '@temporalio/workflow';

export const elapsedQuery = defineQuery<number[]>('elapsed');

/** Waits `ms` on a timer, then reports how much time its own clock says has passed. */
export async function staleClockProbe(ms: number): Promise<number[]> {
  const elapsed: number[] = [];
  setHandler(elapsedQuery, () => elapsed);
  const startedAt = Date.now();
  await condition(() => false, ms);
  elapsed.push(Date.now() - startedAt); // at least `ms`, unless the clock is stale
  await condition(() => false, 10);
  elapsed.push(Date.now() - startedAt);
  return elapsed;
}
