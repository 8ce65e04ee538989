// The bed-request form submitted over real HTTP while Temporal cannot be reached: the real
// bed-request client (pointed at a port nothing listens on) keeps the request in the real outbox,
// and the card tells the sergeant it is queued, inside the invoke (docs/queued-submits.md).
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuedSubmitText } from '../../../bots/shared/queued-text.js';
import { createBedRequestClient, TASK_QUEUE } from '../../../runtime/bed-request-client.js';
import { findFreePort } from '../../../temporal-dev/dev-server.js';
import { startBotHarness, type BotHarness } from './support/bot-harness.js';
import {
  PEOPLE,
  cardText,
  execute,
  invokeCard,
  post,
  validForm,
  type Where,
} from './support/teams-activities.js';

let h: BotHarness;
let connection: Connection;

beforeAll(async () => {
  connection = Connection.lazy({ address: `127.0.0.1:${await findFreePort()}` });
  h = await startBotHarness({
    bedRequests: (store) =>
      createBedRequestClient(new Client({ connection }), {
        taskQueue: TASK_QUEUE,
        outbox: store.pendingStarts,
        // Inside the bot's 4-second invoke budget, as the default (3 s) is.
        startDeadlineMs: 1_000,
      }),
  });
});
afterAll(async () => {
  await h?.stop();
  await connection?.close().catch(() => undefined);
});

const personal: Where = { kind: 'personal', person: PEOPLE.sergeant };

describe('submitting the form while Temporal is unreachable', () => {
  it('answers that the request is queued, keeps one row, and says the same on a second submit', async () => {
    const form = validForm({ needsAndRisks: 'Asthma inhaler' });
    const expected = queuedSubmitText(form.custodyRecordNumber ?? '');
    const send = () =>
      post(h.url, execute(h.fake.serviceUrl, PEOPLE.sergeant, personal, 'bedrequest.submit', form));

    const card = invokeCard(await send());
    expect(cardText(card)).toContain(expected);
    expect(cardText(card)).toContain(form.custodyRecordNumber);
    // No automatic refresh: it would ask the engine that is down and replace these words.
    expect(card).not.toHaveProperty('refresh');
    expect(JSON.stringify(card)).not.toMatch(/13\/123456A|Asthma/);

    expect(cardText(invokeCard(await send()))).toContain(expected);
    const rows = await h.store.sql.query('SELECT workflow_id FROM pending_starts');
    expect(rows).toEqual([{ workflow_id: `bed-request:NORTHAMPTON-CJC:${form.custodyRecordNumber}` }]);
    // The answer went back in the invoke; nothing was posted on the connector.
    expect(h.fake.calls).toHaveLength(0);
  }, 30_000);
});
