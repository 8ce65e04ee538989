// Issue 11, items 5, 6 and 7 on Teams, over real HTTP in emulator mode, with the real bed-request
// workflow on the Temporal test server behind the desk and the fake Bot Connector: bad times and
// ages on the form card (nothing starts), the Note 16D screen of a stay's explanation on the card
// and in the workflow (a coded refusal with its audit row), and correcting a request entered in error.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bedRequestWorkflowId } from '../../../domain/bed-request.js';
import { FailureCode } from '../../../domain/failures.js';
import type { Protocol } from '../../../domain/protocol.js';
import { type BedRequestClient } from '../../../runtime/bed-request-client.js';
import type { Store } from '../../../store/open-store.js';
import { type FakeBotConnector } from '../../fakes/teams/fake-bot-connector.js';
import { eventually } from '../../support/workflow-harness.js';
import { PEOPLE, cardText, execute, invokeCard, post, validForm } from './support/teams-activities.js';
import { teamsProtocol } from './support/teams-protocol.js';
import { sergeantChat, startTeamsWorkflowStack, type TeamsWorkflowStack } from './support/workflow-stack.js';

const TASK_QUEUE = 'teams-law-and-input';

let env: TestWorkflowEnvironment;
let store: Store;
let fake: FakeBotConnector;
let url: string;
let protocol: Protocol;
let client: BedRequestClient;

let stack: TeamsWorkflowStack;

beforeAll(async () => {
  protocol = teamsProtocol();
  stack = await startTeamsWorkflowStack({ protocol, taskQueue: TASK_QUEUE });
  ({ env, store, fake, url, client } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const london = (ms: number) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' }).format(
    ms,
  );
const londonDate = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(ms);

async function submitForm(form: Record<string, string>) {
  return invokeCard(
    await post(url, execute(fake.serviceUrl, PEOPLE.sergeant, sergeantChat, 'bedrequest.submit', form)),
  );
}

/** Starts a request from the form, and waits until the workflow has it. */
async function startRequest(over: Record<string, string> = {}) {
  const form = validForm(over);
  expect(cardText(await submitForm(form))).toContain('Request sent');
  const workflowId = bedRequestWorkflowId('northampton-cjc', form.custodyRecordNumber ?? '');
  const view = await eventually(() => client.view(workflowId), 30_000);
  return { form, workflowId, view };
}

async function custody(workflowId: string, verb: string, inputs: Record<string, string>) {
  return invokeCard(
    await post(
      url,
      execute(fake.serviceUrl, PEOPLE.sergeant, sergeantChat, verb, {
        workflowId,
        audience: 'custody',
        ...inputs,
      }),
    ),
  );
}

const closed = (workflowId: string) =>
  eventually(async () => {
    const described = await env.client.workflow.getHandle(workflowId).describe();
    return described.status.name === 'COMPLETED' ? true : undefined;
  }, 30_000);

describe('bad input gets an inline error on the form card, and nothing starts (item 6)', () => {
  const soon = Date.now() + 2 * 3600_000;
  it.each([
    [
      'a charge two hours in the future',
      { chargedDate: londonDate(soon), chargedTime: london(soon), courtDate: day(2) },
      /Time of charge: The time of charge \(.+\) is in the future/,
    ],
    [
      'a court sitting already passed',
      { chargedDate: day(-3), courtDate: day(-2) },
      /Next court sitting: That court sitting .+ has already passed/,
    ],
    [
      'a court sitting before the charge',
      { chargedDate: day(-1), courtDate: day(-2) },
      /Next court sitting: The next court sitting must be after the time of charge/,
    ],
    [
      'a date of birth in the future',
      { dateOfBirth: day(5) },
      /Date of birth: The date of birth is in the future/,
    ],
    [
      'a date of birth giving an age of 19',
      { dateOfBirth: day(-19 * 366) },
      /Date of birth: The date of birth makes the child 19 at charge/,
    ],
  ])('%s', async (_name, over, message) => {
    const form = validForm(over);
    const text = cardText(await submitForm(form));
    expect(text).toMatch(message);
    expect(text).not.toContain('Request sent');
    expect(
      await client.view(bedRequestWorkflowId('northampton-cjc', form.custodyRecordNumber ?? '')),
    ).toBeNull();
  });
});

describe('the Note 16D screen of a stay’s explanation (item 5)', () => {
  it('offers the coded circumstances, shows the Note 16D text on the card for a forbidden ground, records nothing', async () => {
    const { workflowId } = await startRequest();
    for (const [explanation, ground] of [
      ['No secure bed available in the region', /lack of a secure bed/],
      ['The child has been violent and aggressive in the cell', /the child’s behaviour as the reason/],
    ] as const) {
      const card = await custody(workflowId, 'record_stay', {
        stay_reason: 'impracticable_other',
        stay_explanation: explanation,
      });
      expect(cardText(card)).toMatch(ground);
      expect(cardText(card)).toMatch(/PACE Code C Note 16D: neither the child’s behaviour/);
      const choices = JSON.stringify(card);
      expect(choices).toContain('impracticable_medical');
      expect(choices).toContain('impracticable_court_too_soon');
      expect(choices).not.toContain('"child_behaviour"');
    }
    const v = await client.view(workflowId);
    expect(v?.stay ?? v?.outcome).toBeUndefined();
    const refusals = (await store.listEvents(workflowId)).filter((e) => e.type === 'action_refused');
    expect(refusals.map((e) => e.data)).toEqual([
      expect.objectContaining({
        kind: 'record_stay',
        code: FailureCode.StayExplanationNote16D,
        source: 'desk',
      }),
      expect.objectContaining({
        kind: 'record_stay',
        code: FailureCode.StayExplanationNote16D,
        source: 'desk',
      }),
    ]);
  });

  it('the workflow refuses it too when a signal bypasses the desk', async () => {
    const { workflowId } = await startRequest();
    await client.act(workflowId, {
      actionId: 'teams-bypass-1',
      actor: { platform: 'teams', userId: PEOPLE.sergeant.aadObjectId },
      action: {
        kind: 'record_stay',
        reason: 'impracticable_extreme_weather',
        explanation: 'The secure unit is full',
      },
    });
    const row = await eventually(async () =>
      (await store.listEvents(workflowId)).find((e) => e.eventId === `${workflowId}:refused:teams-bypass-1`),
    );
    expect(row.data).toEqual({ kind: 'record_stay', code: FailureCode.StayExplanationNote16D });
    const v = await client.view(workflowId);
    expect(v?.stay ?? v?.outcome).toBeUndefined();
  });

  it('records “no accommodation provided” as the authority’s failure: principle 4, flagged for principle 6', async () => {
    const { workflowId } = await startRequest();
    const card = await custody(workflowId, 'record_stay', {
      stay_reason: 'no_accommodation_provided',
      stay_explanation: 'EDT was asked at 21:45 and again at 23:00 and provided nothing',
    });
    expect(cardText(card)).not.toMatch(/Note 16D: neither/);
    const row = await eventually(async () =>
      (await store.listEvents(workflowId)).find((e) => e.type === 'record_stay'),
    );
    expect(row.data).toMatchObject({
      reason: 'no_accommodation_provided',
      ground: 'authority_failure',
      authorityFailure: true,
      concordatPrinciple: 4,
      repayment: 'principle_6',
    });
    const v = await eventually(async () => {
      const now = await client.view(workflowId);
      return (now?.stay ?? now?.outcome) ? now : undefined;
    });
    const certificate = v.stay?.certificate ?? v.outcome?.certificate ?? '';
    expect(certificate).toContain('THE LOCAL AUTHORITY PROVIDED NO ACCOMMODATION');
    expect(certificate).toContain('It is not a certificate that a transfer was impracticable.');
  });
});

describe('correcting a mistake (item 7)', () => {
  it('after “Entered in error” the same record starts again, linked; after any other ending the sergeant is told what to do', async () => {
    const { form, workflowId: first } = await startRequest();
    await custody(first, 'cancel', { cancel_reason: 'entered_in_error' });
    await closed(first);

    const again = validForm({ custodyRecordNumber: form.custodyRecordNumber ?? '' });
    const sent = cardText(await submitForm(again));
    expect(sent).toContain('Request sent');
    expect(sent).toContain('replaces the earlier request on this custody record');
    const second = `${first}:r2`;
    const view = await eventually(() => client.view(second), 30_000);
    expect((await client.view(first))?.outcome?.code).toBe('cancelled_in_error');
    expect((await store.listEvents(second)).find((e) => e.type === 'request_corrects')?.data).toMatchObject({
      supersedes: first,
    });
    expect((await store.listEvents(first)).find((e) => e.type === 'request_corrected_by')?.data).toEqual({
      correctedBy: second,
    });

    await custody(second, 'cancel', { cancel_reason: 'charge_withdrawn' });
    await closed(second);
    const told = cardText(
      await submitForm(validForm({ custodyRecordNumber: form.custodyRecordNumber ?? '' })),
    );
    expect(told).toContain(`already had a bed request (${view.caseRef}), which closed: released or bailed`);
    expect(told).toMatch(/Nothing new was started/);
    expect(told).toMatch(/quoting/);
    expect(await client.view(`${first}:r3`)).toBeNull();
  });
});
