// Issue 11, items 5, 6 and 7 on Slack, over real HTTP against the fake Slack, with the real
// bed-request workflow on the Temporal test server behind the desk: bad times and ages refused in
// the form's ack (nothing starts), the Note 16D screen of a stay's explanation inline and in the
// workflow (a refusal with its FailureCode and audit row), and correcting a request entered in error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS, VIEW_IDS } from '../../../bots/slack/ids.js';
import { bedRequestWorkflowId } from '../../../domain/bed-request.js';
import { FailureCode } from '../../../domain/failures.js';
import type { RequestView } from '../../../domain/request-view.js';
import { el, viewSubmission, type ElementState } from '../../fakes/slack/payloads.js';
import { eventually } from '../../support/workflow-harness.js';
import { cardsFor, clickAndOpen, sergeantStartsRequest, submit, type FlowContext } from './support/flows.js';
import { requestForm, startSlackHarness } from './support/harness.js';
import { testProtocol, USERS } from './support/protocol.js';
import { temporalEngine } from './support/temporal-engine.js';

type Harness = Awaited<ReturnType<typeof startSlackHarness<Awaited<ReturnType<typeof temporalEngine>>>>>;
let h: Harness;

beforeAll(async () => {
  h = await startSlackHarness({
    transport: 'http',
    engine: temporalEngine,
    protocol: testProtocol({ slackOnly: true }),
  });
}, 180_000);
afterAll(async () => {
  await h?.close();
});

const ctx = (): FlowContext => ({ api: h.api, driver: h.driver, timeoutMs: 30_000 });
const HOUR = 3600;
const nowSec = () => Math.floor(Date.now() / 1000);
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const view = (workflowId: string) => h.engine.client.view(workflowId);
const events = (workflowId: string) => h.engine.store.listEvents(workflowId);
const textsTo = (user: string) =>
  [...h.api.okCallsTo('chat.postEphemeral'), ...h.api.okCallsTo('chat.postMessage')]
    .filter((c) => c.args.user === user || c.args.channel === user)
    .map((c) => String(c.args.text));

describe('bad input gets an inline error, and nothing starts (item 6)', () => {
  const cases: Array<[string, Record<string, ElementState>, string, RegExp]> = [
    [
      'a charge two hours in the future',
      { chargedAt: el.dateTime(nowSec() + 2 * HOUR) },
      'chargedAt',
      /in the future/,
    ],
    [
      'a court sitting already passed',
      { nextCourtSitting: el.dateTime(nowSec() - 60) },
      'nextCourtSitting',
      /already passed/,
    ],
    [
      'a court sitting before the charge',
      { chargedAt: el.dateTime(nowSec() - 2 * HOUR), nextCourtSitting: el.dateTime(nowSec() - 3 * HOUR) },
      'nextCourtSitting',
      /after the time of charge/,
    ],
    [
      'a date of birth in the future',
      { 'child.dateOfBirth': el.date(day(3)) },
      'child.dateOfBirth',
      /in the future/,
    ],
    [
      'a date of birth giving an age of 8',
      { 'child.dateOfBirth': el.date(day(-8 * 366)) },
      'child.dateOfBirth',
      /makes the child 8 at charge/,
    ],
  ];
  it.each(cases)(
    '%s: the error is on its field in the ack, and no workflow starts',
    async (_name, over, field, message) => {
      const fields = requestForm(over);
      const record = (fields.custodyRecordNumber as { value: string }).value;
      const reply = await h.driver.interact(
        viewSubmission({ user: USERS.sergeant, callbackId: VIEW_IDS.bedRequest, fields }),
      );
      expect(reply.status).toBe(200);
      const body = reply.body as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe('errors');
      expect(body.errors[field]).toMatch(message);
      expect(await view(bedRequestWorkflowId('northampton-cjc', record))).toBeNull();
      expect(cardsFor(h.api, record).custody).toEqual([]);
    },
  );
});

describe('the Note 16D screen of a stay’s explanation (item 5)', () => {
  it('shows the Note 16D text on the explanation for a forbidden ground, records nothing, then takes a lawful one', async () => {
    const { record, custody } = await sergeantStartsRequest(ctx());
    const workflowId = bedRequestWorkflowId('northampton-cjc', record);
    const stay = await clickAndOpen(
      ctx(),
      USERS.sergeant,
      custody,
      ACTION_IDS.recordStay,
      VIEW_IDS.recordStay,
    );
    // The choices are the coded circumstances; the reasons Note 16D rules out are not offered.
    const offered = JSON.stringify(stay.blocks);
    for (const code of [
      'impracticable_extreme_weather',
      'impracticable_medical',
      'impracticable_court_too_soon',
    ])
      expect(offered).toContain(code);
    expect(offered).not.toContain('child_behaviour');

    for (const [explanation, ground] of [
      ['No secure bed available in the region', /lack of a secure bed/],
      ['The child has been violent and aggressive in the cell', /the child’s behaviour/],
    ] as const) {
      const reply = await submit(ctx(), USERS.sergeant, stay, {
        reason: el.select('impracticable_other'),
        explanation: el.text(explanation),
      });
      const body = reply.body as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe('errors');
      expect(body.errors.explanation).toMatch(ground);
      expect(body.errors.explanation).toMatch(/PACE Code C Note 16D: neither the child’s behaviour/);
    }
    const v = await view(workflowId);
    expect(v?.stay ?? v?.outcome).toBeUndefined();
    expect((await events(workflowId)).map((e) => e.type)).not.toContain('record_stay');

    const lawful = await submit(ctx(), USERS.sergeant, stay, {
      reason: el.select('impracticable_medical'),
      explanation: el.text('Taken to A&E at 22:10 with a head injury; still being treated'),
    });
    expect(lawful.body).toBe('');
    const stayed = await eventually(async () => {
      const now = await view(workflowId);
      return (now?.stay ?? now?.outcome) ? now : undefined;
    }, 30_000);
    const certificate = stayed.stay?.certificate ?? stayed.outcome?.certificate ?? '';
    expect(certificate).toContain('the child’s urgent medical needs made the move impossible');
    const row = await eventually(async () =>
      (await events(workflowId)).find((e) => e.type === 'record_stay'),
    );
    expect(row.data).toMatchObject({ reason: 'impracticable_medical', ground: 's38_6a' });
  });

  it('the workflow refuses it too when a signal bypasses the desk: a coded refusal and an audit row', async () => {
    const { record } = await sergeantStartsRequest(ctx());
    const workflowId = bedRequestWorkflowId('northampton-cjc', record);
    await h.engine.client.act(workflowId, {
      actionId: 'bypass-1',
      replyChannel: 'C0CUSTODYNTH',
      actor: { platform: 'slack', userId: USERS.sergeant.id },
      action: {
        kind: 'record_stay',
        reason: 'impracticable_other',
        explanation: 'Charged with robbery; the seriousness of the offence',
      },
    });
    const refused = await eventually(async () =>
      (await events(workflowId)).find(
        (e) => e.type === 'action_refused' && e.eventId.endsWith(':refused:bypass-1'),
      ),
    );
    expect(refused.data).toEqual({ kind: 'record_stay', code: FailureCode.StayExplanationNote16D });
    const v = (await view(workflowId)) as RequestView;
    expect(v.stay ?? v.outcome).toBeUndefined();
    await eventually(() =>
      textsTo(USERS.sergeant.id).find((t) => /nature of the offence as the reason/.test(t)),
    );
  });
});

describe('correcting a mistake (item 7)', () => {
  async function cancel(card: Parameters<typeof clickAndOpen>[2], reason: string) {
    const form = await clickAndOpen(ctx(), USERS.sergeant, card, ACTION_IDS.cancel, VIEW_IDS.cancel);
    const reply = await submit(ctx(), USERS.sergeant, form, {
      reason: el.select(reason),
      notes: el.text(null),
    });
    expect(reply.body).toBe('');
  }
  async function resubmit(record: string) {
    const reply = await h.driver.interact(
      viewSubmission({
        user: USERS.sergeant,
        callbackId: VIEW_IDS.bedRequest,
        fields: requestForm({ custodyRecordNumber: el.text(record) }),
        privateMetadata: JSON.stringify({ channel: 'C0CUSTODYNTH' }),
      }),
    );
    expect(reply.body).toBe('');
  }
  /** Waits until the request's workflow has ended (its outcome recorded, its run closed). */
  const closed = (workflowId: string) =>
    eventually(async () => {
      const described = await h.engine.env.client.workflow.getHandle(workflowId).describe();
      return described.status.name === 'COMPLETED' ? true : undefined;
    }, 30_000);

  it('after “Entered in error” the same record starts again, linked in the audit; after any other ending it does not, and says what to do', async () => {
    const { record, custody } = await sergeantStartsRequest(ctx());
    const first = bedRequestWorkflowId('northampton-cjc', record);
    await cancel(custody, 'entered_in_error');
    await closed(first);

    await resubmit(record);
    await eventually(
      () => textsTo(USERS.sergeant.id).find((t) => /replaces the earlier request/.test(t)),
      30_000,
    );
    const second = `${first}:r2`;
    const again = await eventually(() => view(second), 30_000);
    expect(again.custodyRecordNumber).toBe(record);
    // The old request stays in history as it was; both ends of the link are in the audit log.
    expect((await view(first))?.outcome?.code).toBe('cancelled_in_error');
    expect((await events(second)).find((e) => e.type === 'request_corrects')?.data).toEqual({
      supersedes: first,
      reason: 'entered_in_error',
    });
    expect((await events(first)).find((e) => e.type === 'request_corrected_by')?.data).toEqual({
      correctedBy: second,
    });

    // The new request's custody card → cancelled as bailed: the record is now closed for good.
    const card = await h.api.waitFor(
      () =>
        cardsFor(h.api, record).custody.find(
          (m) => m.channel.startsWith('C') && m.text.includes(again.caseRef),
        ),
      30_000,
      'the new custody card',
    );
    await cancel(card, 'bailed');
    await closed(second);
    await resubmit(record);
    const told = await eventually(
      () =>
        textsTo(USERS.sergeant.id).find((t) => t.includes(`already had a bed request (${again.caseRef})`)),
      30_000,
    );
    expect(told).toMatch(/which closed: released or bailed/);
    expect(told).toMatch(/Nothing new was started/);
    expect(told).toMatch(/start a request under the new custody record number/);
    expect(told).toMatch(/Only a request cancelled as “Entered in error” can be started again/);
    expect(await view(`${first}:r3`)).toBeNull();
  });
});
