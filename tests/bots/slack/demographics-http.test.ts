// Issue 12 item 5 on Slack, over real HTTP against the fake Slack, with the real bed-request
// workflow on the Temporal test server behind the desk: the request form's optional ethnicity and
// sex fields (docs/demographics.md). Valid codes are taken and stored as codes; an unknown code is
// refused inline on its own field and nothing starts; and neither value appears in any call the bot
// or the worker made to Slack (cards, thread messages, DMs, View details), only in the form itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS, VIEW_IDS } from '../../../bots/slack/ids.js';
import { bedRequestWorkflowId } from '../../../domain/bed-request.js';
import { createLogger } from '../../../runtime/logger.js';
import { blockAction, el, viewSubmission } from '../../fakes/slack/payloads.js';
import type { RecordedCall } from '../../fakes/slack/web-api-server.js';
import { eventually } from '../../support/workflow-harness.js';
import { sergeantStartsRequest, type FlowContext } from './support/flows.js';
import { requestForm, startSlackHarness } from './support/harness.js';
import { testProtocol, USERS } from './support/protocol.js';
import { temporalEngine } from './support/temporal-engine.js';

type Harness = Awaited<ReturnType<typeof startSlackHarness<Awaited<ReturnType<typeof temporalEngine>>>>>;
let h: Harness;
/** The bot's and the desk's log lines, at debug. */
const logged: string[] = [];

beforeAll(async () => {
  h = await startSlackHarness({
    transport: 'http',
    engine: temporalEngine,
    protocol: testProtocol({ slackOnly: true }),
    log: createLogger(
      { level: 'debug', name: 'slack-demographics' },
      { write: (line: string) => logged.push(line) },
    ),
  });
}, 180_000);
afterAll(async () => {
  await h?.close();
});

const ctx = (): FlowContext => ({ api: h.api, driver: h.driver, timeoutMs: 30_000 });

/** The request form itself lists every code; everything else the bot sent must name none. */
function isTheForm(c: RecordedCall): boolean {
  const view = c.args.view as { callback_id?: string } | undefined;
  return c.method.startsWith('views.') && view?.callback_id === VIEW_IDS.bedRequest;
}

async function stored(record: string) {
  const rows = await h.engine.store.sql.query<{ ethnicity: string | null; sex: string | null }>(
    'SELECT ethnicity, sex FROM requests WHERE custody_record_number = $1',
    [record],
  );
  return rows[0];
}

describe('ethnicity and sex on the Slack request form', () => {
  it('the form offers both as optional choices of codes, the 18+1 list and the sex codes', async () => {
    const since = h.api.okCallsTo('views.open').length;
    const { record } = await sergeantStartsRequest(ctx());
    expect(record).toBeTruthy();
    const form = h.api
      .okCallsTo('views.open')
      .slice(since)
      .map((c) => c.args.view as { callback_id: string; blocks: Array<Record<string, unknown>> })
      .find((v) => v.callback_id === VIEW_IDS.bedRequest);
    const block = (id: string) =>
      form?.blocks.find((b) => b.block_id === id) as
        { optional: boolean; element: { options: Array<{ value: string }> } } | undefined;
    expect(block('ethnicity')?.optional).toBe(true);
    expect(block('sex')?.optional).toBe(true);
    expect(block('ethnicity')?.element.options.map((o) => o.value)).toEqual([
      'W1', 'W2', 'W3', 'W9', 'M1', 'M2', 'M3', 'M9', 'A1', 'A2', 'A3', 'A4', 'A9',
      'B1', 'B2', 'B9', 'O2', 'O9', 'NS',
    ]); // prettier-ignore
    expect(block('sex')?.element.options.map((o) => o.value)).toEqual(['1', '2', '9', '0']);
    // Left empty: stored as not recorded.
    await eventually(async () => ((await stored(record)) ? true : null), 30_000);
    expect(await stored(record)).toEqual({ ethnicity: null, sex: null });
  });

  it('takes both codes, stores them as codes, and names neither in any card, thread, DM or View details', async () => {
    const before = h.api.calls.length;
    const { record, responder } = await sergeantStartsRequest(ctx(), {
      ethnicity: el.select('B9'),
      sex: el.select('2'),
    });
    const workflowId = bedRequestWorkflowId('northampton-cjc', record);
    await eventually(async () => ((await stored(record))?.ethnicity ? true : null), 30_000);
    expect(await stored(record)).toEqual({ ethnicity: 'B9', sex: '2' });
    // An authorised responder views the details: identity, not ethnicity or sex.
    const reply = await h.driver.interact(
      blockAction({
        user: USERS.responder,
        actionId: ACTION_IDS.viewDetails,
        value: workflowId,
        channel: responder.channel,
        messageTs: responder.ts,
      }),
    );
    expect(reply.status).toBe(200);
    const details = await h.api.waitFor(
      () =>
        h.api.calls.slice(before).find((c) => !isTheForm(c) && JSON.stringify(c.args).includes('13/123456A')),
      30_000,
      'the View details reply',
    );
    expect(details).toBeDefined();
    const sent = h.api.calls.slice(before).filter((c) => !isTheForm(c));
    expect(sent.length).toBeGreaterThan(3);
    for (const c of sent) {
      const text = JSON.stringify(c.args);
      for (const leak of [
        'B9',
        'any other Black',
        'Black or Black British',
        'ethnicity',
        'Ethnicity',
        'Female',
        '"sex"',
      ])
        expect(text, `${c.method} names ${leak}`).not.toContain(leak);
    }
    // Nor in the bot's and the desk's logs.
    expect(logged.length).toBeGreaterThan(0);
    for (const leak of ['B9', 'ethnicity', '"sex"']) expect(logged.join('')).not.toContain(leak);
  });

  it.each([
    [
      'an unknown ethnicity code',
      { ethnicity: el.select('X7') },
      'ethnicity',
      /^Self-defined ethnicity must be one of the 18\+1 codes/,
    ],
    [
      'O1, the old code for Chinese',
      { ethnicity: el.select('O1') },
      'ethnicity',
      /old 16\+1 code for Chinese/,
    ],
    ['an unknown sex code', { sex: el.select('M') }, 'sex', /^Sex must be one of the listed codes/],
  ])('%s is refused inline on its field, and nothing starts', async (_name, over, field, message) => {
    const fields = requestForm(over);
    const record = (fields.custodyRecordNumber as { value: string }).value;
    const reply = await h.driver.interact(
      viewSubmission({ user: USERS.sergeant, callbackId: VIEW_IDS.bedRequest, fields }),
    );
    expect(reply.status).toBe(200);
    const body = reply.body as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors[field]).toMatch(message);
    expect(Object.keys(body.errors)).toEqual([field]);
    expect(await h.engine.client.view(bedRequestWorkflowId('northampton-cjc', record))).toBeNull();
    expect(await stored(record)).toBeUndefined();
  });
});
