import { afterAll, beforeAll, describe, it } from 'vitest';
import { declinePath, fullPath, questionPath } from './support/flows.js';
import { fakeEngine, startSlackHarness } from './support/harness.js';

type Harness = Awaited<ReturnType<typeof startSlackHarness<ReturnType<typeof fakeEngine>>>>;

describe.each(['http', 'socket'] as const)('paths over %s (fake engine)', (transport) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startSlackHarness({ transport, engine: fakeEngine });
  });
  afterAll(async () => h?.close());
  const ctx = () => ({ api: h.api, driver: h.driver, settle: () => h.engine.engine.settled() });

  it('slash command → Offer bed → Confirm transfer', async () => {
    await fullPath(ctx());
  });

  it('Decline → Child stays, with a Note 16D reason refused inline', async () => {
    await declinePath(ctx());
  });

  it('Need info → the sergeant answers from the thread', async () => {
    await questionPath(ctx());
  });
});
