// The request form submitted over real HTTP while Temporal cannot be reached: the real
// bed-request client (pointed at a port nothing listens on) keeps the request in a real outbox,
// and the sergeant is told it is queued (docs/queued-submits.md).
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuedSubmitText } from '../../../bots/shared/queued-text.js';
import { VIEW_IDS } from '../../../bots/slack/ids.js';
import { bedRequestWorkflowId } from '../../../domain/bed-request.js';
import { createBedRequestClient, TASK_QUEUE } from '../../../runtime/bed-request-client.js';
import { openStore, type Store } from '../../../store/open-store.js';
import { findFreePort } from '../../../temporal-dev/dev-server.js';
import { viewSubmission } from '../../fakes/slack/payloads.js';
import { requestForm, startSlackHarness } from './support/harness.js';
import { USERS } from './support/protocol.js';

let connection: Connection;
let records: Store;

async function unreachableEngine() {
  connection = Connection.lazy({ address: `127.0.0.1:${await findFreePort()}` });
  records = await openStore({
    dataDir: 'memory://',
    secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) },
  });
  const client = createBedRequestClient(new Client({ connection }), {
    taskQueue: TASK_QUEUE,
    outbox: records.pendingStarts,
    startDeadlineMs: 1_000,
  });
  return { client, store: records, close: () => connection.close().catch(() => undefined) };
}

type Harness = Awaited<ReturnType<typeof startSlackHarness<Awaited<ReturnType<typeof unreachableEngine>>>>>;
let h: Harness;

beforeAll(async () => {
  h = await startSlackHarness({ transport: 'http', engine: unreachableEngine });
});
afterAll(async () => {
  await h?.close();
  await records?.close();
});

const submit = (fields: ReturnType<typeof requestForm>) =>
  h.driver.interact(
    viewSubmission({
      user: USERS.sergeant,
      callbackId: VIEW_IDS.bedRequest,
      fields,
      privateMetadata: JSON.stringify({ channel: 'C0CUSTODYNTH' }),
    }),
  );

describe('the request form while Temporal is unreachable', () => {
  it('keeps the request, tells the sergeant it is queued, and keeps one request on a second submit', async () => {
    const fields = requestForm();
    const record = (fields.custodyRecordNumber as { value: string }).value;
    const expected = queuedSubmitText(record);
    const ephemerals = () =>
      h.api
        .okCallsTo('chat.postEphemeral')
        .filter((c) => c.args.user === USERS.sergeant.id && c.args.text === expected);

    expect(await submit(fields)).toEqual({ status: 200, body: '' });
    await h.api.waitFor(() => ephemerals()[0], 10_000, 'the queued message');
    expect(expected).toContain(`custody record ${record}`);
    expect(expected).toMatch(/you do not need to submit it again/);

    // A second form for the same record (a new modal): told the same, nothing added.
    expect(await submit(fields)).toEqual({ status: 200, body: '' });
    await h.api.waitFor(() => ephemerals()[1], 10_000, 'the second queued message');

    const workflowId = bedRequestWorkflowId('northampton-cjc', record);
    const rows = await records.sql.query('SELECT workflow_id FROM pending_starts');
    expect(rows).toEqual([{ workflow_id: workflowId }]);
    // No card went anywhere: nothing has started yet.
    expect(h.api.okCallsTo('chat.postMessage')).toHaveLength(0);
    for (const c of h.api.okCallsTo('chat.postEphemeral')) {
      expect(JSON.stringify(c.args)).not.toMatch(/Jamie|Testchild|13\/123456A|Asthma/);
    }
  }, 30_000);
});
