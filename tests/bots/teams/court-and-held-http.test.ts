// Issue 11, items 2, 3 and 8 on Teams, over real HTTP in emulator mode, with the real bed-request
// workflow on the Temporal test server behind the desk and the fake Bot Connector: "Amend court
// sitting" (the amendment reaches the workflow, is audited, and the card shows the new sitting; a
// sitting already passed or before the charge is refused on the card), "Child left the cells"
// after a stay (no choice, or a time in the future, refused on the card; then recorded and the
// request ends), and Confirm transfer with no offer in chat: a transfer arranged by phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTime } from '../../../bots/shared/view-text.js';
import { bedRequestWorkflowId } from '../../../domain/bed-request.js';
import { FailureCode } from '../../../domain/failures.js';
import type { Protocol } from '../../../domain/protocol.js';
import { type BedRequestClient } from '../../../runtime/bed-request-client.js';
import type { Store } from '../../../store/open-store.js';
import { FakeBotConnector, type StoredMessage } from '../../fakes/teams/fake-bot-connector.js';
import { eventually } from '../../support/workflow-harness.js';
import {
  PEOPLE,
  buttonTitles,
  cardText,
  execute,
  invokeCard,
  post,
  validForm,
} from './support/teams-activities.js';
import { CHANNELS, teamsProtocol } from './support/teams-protocol.js';
import { sergeantChat, startTeamsWorkflowStack, type TeamsWorkflowStack } from './support/workflow-stack.js';

const TASK_QUEUE = 'teams-court-and-held';
const ZONE = 'Europe/London';

let store: Store;
let fake: FakeBotConnector;
let url: string;
let protocol: Protocol;
let client: BedRequestClient;

let stack: TeamsWorkflowStack;

beforeAll(async () => {
  protocol = teamsProtocol();
  stack = await startTeamsWorkflowStack({ protocol, taskQueue: TASK_QUEUE });
  ({ store, fake, url, client } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

const MIN = 60_000;
const HOUR = 60 * MIN;
const localDate = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(ms);
const localTime = (ms: number) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
/** Whole minutes: the card's time input works to the minute. */
const minute = (ms: number) => Math.floor(ms / MIN) * MIN;
const events = (workflowId: string) => store.listEvents(workflowId);

/** Starts a request from the form, and waits until the workflow has it. */
async function startRequest(over: Record<string, string> = {}) {
  const form = validForm(over);
  const r = await post(
    url,
    execute(fake.serviceUrl, PEOPLE.sergeant, sergeantChat, 'bedrequest.submit', form),
  );
  expect(cardText(invokeCard(r))).toContain('Request sent');
  const workflowId = bedRequestWorkflowId('northampton-cjc', form.custodyRecordNumber ?? '');
  const view = await eventually(() => client.view(workflowId), 30_000);
  return { form, workflowId, view };
}

/** A click on the custody card, with the card's inputs, as the sergeant. */
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

/** The custody card posted to the suite's channel, once `check` holds of its latest version. */
function channelCard(caseRef: string, check: (text: string) => boolean = () => true): Promise<StoredMessage> {
  return fake.waitFor(
    () =>
      fake
        .posts()
        .filter((m) => m.conversationId === CHANNELS.custody && FakeBotConnector.cardOf(m))
        .find((m) => {
          const text = cardText(FakeBotConnector.cardOf(m));
          return text.includes(caseRef) && check(text);
        }),
    30_000,
    `custody card for ${caseRef}`,
  );
}

describe('Amend court sitting', () => {
  it('reaches the workflow, is audited, and the card shows the new sitting; a past sitting or one before the charge is refused on the card', async () => {
    const { workflowId, view } = await startRequest();
    const before = view.nextCourtSitting;
    const card = await channelCard(view.caseRef);
    expect(buttonTitles(FakeBotConnector.cardOf(card))).toContain('Amend court sitting');

    const past = Date.now() - 30 * MIN;
    const beforeCharge = Date.parse(view.chargedAt) - HOUR;
    for (const [ms, message] of [
      [past, /already passed/],
      [beforeCharge, /after the time of charge/],
    ] as const) {
      const refused = await custody(workflowId, 'amend_court_sitting', {
        amend_court_date: localDate(ms),
        amend_court_time: localTime(ms),
        amend_court_reason: 'Typed the wrong day',
      });
      expect(cardText(refused)).toMatch(message);
    }
    expect((await client.view(workflowId))?.nextCourtSitting).toBe(before);
    expect((await events(workflowId)).map((e) => e.type)).not.toContain('amend_court_sitting');

    const later = minute(Date.parse(before) + 4 * HOUR);
    const done = await custody(workflowId, 'amend_court_sitting', {
      amend_court_date: localDate(later),
      amend_court_time: localTime(later),
      amend_court_reason: 'Listed for the afternoon youth court',
    });
    expect(cardText(done)).toContain('Amend court sitting: done.');
    const amended = await eventually(async () => {
      const v = await client.view(workflowId);
      return v && Date.parse(v.nextCourtSitting) === later ? v : undefined;
    }, 30_000);
    expect(amended.courtSittingAmendments).toMatchObject([
      { from: before, reason: 'Listed for the afternoon youth court' },
    ]);
    const row = await eventually(async () =>
      (await events(workflowId)).find((e) => e.type === 'amend_court_sitting'),
    );
    expect(row.actor).toMatchObject({ platform: 'teams', userId: PEOPLE.sergeant.aadObjectId });
    expect(row.data).toMatchObject({ from: before, reason: 'Listed for the afternoon youth court' });
    expect(Date.parse(String(row.data.to))).toBe(later);
    // The channel's card, edited in place, shows the new sitting.
    const updated = await channelCard(view.caseRef, (text) =>
      text.includes(`from ${formatTime(before, ZONE)} to ${formatTime(new Date(later).toISOString(), ZONE)}`),
    );
    expect(updated.id).toBe(card.id);
  });
});

describe('Child left the cells', () => {
  it('after a stay: no choice, or a time in the future, refused on the card; then recorded and the request ends', async () => {
    const { workflowId, view } = await startRequest();
    const stayed = await custody(workflowId, 'record_stay', {
      stay_reason: 'impracticable_extreme_weather',
      stay_explanation: 'Roads closed by snow between the suite and every placement tonight',
    });
    expect(buttonTitles(stayed)).toContain('Child left the cells');
    await eventually(async () => ((await client.view(workflowId))?.stay ? true : undefined), 30_000);

    const leftMs = minute(Date.now() - 2 * MIN);
    const unchosen = await custody(workflowId, 'record_left_cells', {
      left_for: '',
      left_cells_date: localDate(leftMs),
      left_cells_time: localTime(leftMs),
    });
    expect(cardText(unchosen)).toMatch(/Child left the cells: nothing was sent/);
    expect(cardText(unchosen)).toMatch(/How the child left/);
    const future = Date.now() + 2 * HOUR;
    const ahead = await custody(workflowId, 'record_left_cells', {
      left_for: 'bailed',
      left_cells_date: localDate(future),
      left_cells_time: localTime(future),
    });
    expect(cardText(ahead)).toMatch(/future/);
    expect(
      (await events(workflowId)).some(
        (e) => e.type === 'action_refused' && e.data.code === FailureCode.LeftCellsInFuture,
      ),
    ).toBe(true);
    expect((await client.view(workflowId))?.outcome).toBeUndefined();

    const left = await custody(workflowId, 'record_left_cells', {
      left_for: 'bailed',
      left_cells_date: localDate(leftMs),
      left_cells_time: localTime(leftMs),
    });
    expect(cardText(left)).toContain('Child left the cells: done.');
    const outcome = await eventually(() => store.getOutcome(workflowId), 30_000);
    expect(outcome).toMatchObject({
      stayReason: 'impracticable_extreme_weather',
      leftCellsFor: 'bailed',
      leftCellsAssumed: false,
    });
    expect(Date.parse(String(outcome.leftCellsAt))).toBe(leftMs);
    expect((await events(workflowId)).find((e) => e.type === 'record_left_cells')?.data).toMatchObject({
      leftFor: 'bailed',
    });
    const closed = await channelCard(view.caseRef, (text) => text.includes('Closed:'));
    expect(buttonTitles(FakeBotConnector.cardOf(closed))).toEqual([]);
  });
});

describe('Confirm transfer with no offer in chat (arranged by phone)', () => {
  it('the card asks what was arranged; a missing provider is refused on the card; then it is recorded as arranged outside chat', async () => {
    const { workflowId, view } = await startRequest();
    const card = await channelCard(view.caseRef);
    const shown = JSON.stringify(FakeBotConnector.cardOf(card));
    for (const id of ['arranged_accommodation', 'arranged_provider', 'arranged_transport'])
      expect(shown).toContain(id);
    const leftMs = minute(Date.now() - MIN);
    const time = { left_date: localDate(leftMs), left_time: localTime(leftMs) };
    const missing = await custody(workflowId, 'confirm_transfer', {
      arranged_accommodation: 'non_secure',
      arranged_provider: '',
      arranged_transport: 'police_convey',
      ...time,
    });
    expect(cardText(missing)).toMatch(/Confirm transfer: nothing was sent/);
    expect(cardText(missing)).toMatch(/Provider or placement/);
    expect((await client.view(workflowId))?.outcome).toBeUndefined();

    const done = await custody(workflowId, 'confirm_transfer', {
      arranged_accommodation: 'non_secure',
      arranged_provider: 'Willow Lodge (arranged by phone with EDT)',
      arranged_transport: 'police_convey',
      ...time,
    });
    expect(cardText(done)).toContain('Confirm transfer: done.');
    const outcome = await eventually(async () => (await client.view(workflowId))?.outcome, 30_000);
    expect(outcome).toMatchObject({
      code: 'transferred_non_secure',
      leftCellsFor: 'transfer',
      arrangedOutsideChat: {
        accommodation: 'non_secure',
        provider: 'Willow Lodge (arranged by phone with EDT)',
        transport: 'police_convey',
      },
    });
    expect(Date.parse(outcome.leftCellsAt ?? '')).toBe(leftMs);
    expect((await events(workflowId)).find((e) => e.type === 'confirm_transfer')?.data).toMatchObject({
      arrangedOutsideChat: true,
      accommodation: 'non_secure',
    });
    const closed = await channelCard(view.caseRef, (text) => text.includes('Willow Lodge'));
    expect(buttonTitles(FakeBotConnector.cardOf(closed))).toEqual([]);
  });
});
