// The floor for bench/submit-to-card.ts: the least a Temporal workflow can do to post a card, a
// workflow whose first activity makes one HTTP POST. Bundled on its own task queue.
import { proxyActivities } from '@temporalio/workflow';

export interface FloorActivities {
  postCard(url: string, record: string): Promise<void>;
}

const { postCard } = proxyActivities<FloorActivities>({ startToCloseTimeout: '10 seconds' });

export async function floorWorkflow(url: string, record: string): Promise<void> {
  await postCard(url, record);
}
