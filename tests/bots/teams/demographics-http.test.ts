// Issue 12 item 5 on Teams, over real HTTP in emulator mode, with the real bed-request workflow on
// the Temporal test server behind the desk and the fake Bot Connector: the form card's optional
// ethnicity and sex fields (docs/demographics.md). Valid codes are taken and stored as codes; an
// unknown code is refused on the card, naming its field, and nothing starts; neither value appears
// in any connector call (cards, thread replies, alerts) or in any invoke reply (the submitted card,
// View details), only in the form itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bedRequestWorkflowId } from '../../../domain/bed-request.js';
import type { Protocol } from '../../../domain/protocol.js';
import { type BedRequestClient } from '../../../runtime/bed-request-client.js';
import type { Store } from '../../../store/open-store.js';
import { FakeBotConnector, type StoredMessage } from '../../fakes/teams/fake-bot-connector.js';
import { eventually } from '../../support/workflow-harness.js';
import {
  PEOPLE,
  cardText,
  execute,
  invokeCard,
  message,
  post,
  submit,
  validForm,
  type Person,
  type Where,
} from './support/teams-activities.js';
import { AAD, CHANNELS, teamsProtocol } from './support/teams-protocol.js';
import { sergeantChat, startTeamsWorkflowStack, type TeamsWorkflowStack } from './support/workflow-stack.js';

const TASK_QUEUE = 'teams-demographics';

let store: Store;
let fake: FakeBotConnector;
let url: string;
let protocol: Protocol;
let client: BedRequestClient;
let logs: () => string;

const edt: Where = { kind: 'channel', channelId: CHANNELS.edt };

let stack: TeamsWorkflowStack;

beforeAll(async () => {
  protocol = teamsProtocol();
  stack = await startTeamsWorkflowStack({ protocol, taskQueue: TASK_QUEUE });
  ({ store, fake, url, client } = stack);
  logs = stack.logs;
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

/** The form card lists every code: it is the one place they may appear. */
const isTheForm = (body: unknown) => JSON.stringify(body).includes('bedrequest.submit');
const replies: unknown[] = [];

async function submitForm(form: Record<string, string>) {
  const r = await post(
    url,
    execute(fake.serviceUrl, PEOPLE.sergeant, sergeantChat, 'bedrequest.submit', form),
  );
  replies.push(r.body);
  return invokeCard(r);
}

/** What the card's ethnicity and sex choice sets have chosen (both present: it is the form). */
function chosenIn(card: unknown): Record<string, unknown> {
  const chosen: Record<string, unknown> = {};
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    const o = v as { type?: string; id?: string; value?: unknown };
    if (o.type === 'Input.ChoiceSet' && (o.id === 'ethnicity' || o.id === 'sex')) chosen[o.id] = o.value;
    Object.values(v).forEach(walk);
  };
  walk(card);
  expect(Object.keys(chosen).sort()).toEqual(['ethnicity', 'sex']);
  return chosen;
}

async function stored(record: string) {
  const rows = await store.sql.query<{ ethnicity: string | null; sex: string | null }>(
    'SELECT ethnicity, sex FROM requests WHERE custody_record_number = $1',
    [record],
  );
  return rows[0];
}

describe('ethnicity and sex on the Teams form card', () => {
  it('the form card offers both as optional choice sets of codes', async () => {
    await post(url, message(fake.serviceUrl, PEOPLE.sergeant, sergeantChat, 'bedrequest'));
    const formCard = await fake.waitFor(
      () =>
        fake
          .posts()
          .find(
            (m) =>
              m.conversationId === `a:personal-${AAD.sergeant}` &&
              cardText(FakeBotConnector.cardOf(m)).includes('child charged and refused bail'),
          ),
      15_000,
      'the form',
    );
    const inputs = JSON.parse(JSON.stringify(FakeBotConnector.cardOf(formCard))) as unknown;
    const found: Array<{ id: string; isRequired?: boolean; choices: Array<{ value: string }> }> = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (typeof v !== 'object' || v === null) return;
      const o = v as { type?: string; id?: string };
      if (o.type === 'Input.ChoiceSet' && (o.id === 'ethnicity' || o.id === 'sex')) found.push(v as never);
      Object.values(v).forEach(walk);
    };
    walk(inputs);
    const byId = new Map(found.map((f) => [f.id, f]));
    expect(byId.get('ethnicity')?.isRequired).toBeUndefined();
    expect(byId.get('sex')?.isRequired).toBeUndefined();
    expect(byId.get('ethnicity')?.choices.map((c) => c.value)).toEqual([
      'W1', 'W2', 'W3', 'W9', 'M1', 'M2', 'M3', 'M9', 'A1', 'A2', 'A3', 'A4', 'A9',
      'B1', 'B2', 'B9', 'O2', 'O9', 'NS',
    ]); // prettier-ignore
    expect(byId.get('sex')?.choices.map((c) => c.value)).toEqual(['1', '2', '9', '0']);
  });

  it('takes both codes, stores them as codes, and names neither on any card, reply, View details or log', async () => {
    const before = fake.calls.length;
    const form = validForm({ ethnicity: 'B9', sex: '2' });
    const submitted = await submitForm(form);
    expect(cardText(submitted)).toContain('Request sent');
    const workflowId = bedRequestWorkflowId('northampton-cjc', form.custodyRecordNumber ?? '');
    const request = await eventually(() => store.getRequest(workflowId), 30_000);
    expect(await stored(form.custodyRecordNumber ?? '')).toEqual({ ethnicity: 'B9', sex: '2' });
    // The EDT's card, and View details on it by the responder.
    const edtCard = await fake.waitFor<StoredMessage | undefined>(
      () =>
        fake
          .posts()
          .find(
            (m) =>
              m.conversationId.includes(CHANNELS.edt) &&
              cardText(FakeBotConnector.cardOf(m)).includes(request.caseRef),
          ),
      30_000,
      'the EDT card',
    );
    const data = (FakeBotConnector.cardOf(edtCard!)?.refresh as { action: { data: Record<string, string> } })
      .action.data;
    const act = async (person: Person, where: Where, verb: string) => {
      const r = await post(url, execute(fake.serviceUrl, person, where, verb, data, edtCard!.id));
      replies.push(r.body);
      return invokeCard(r);
    };
    const details = await act(PEOPLE.responder, edt, 'view_details');
    expect(cardText(details)).toContain(form.pncId);
    await act(PEOPLE.responder, edt, 'acknowledge');
    const sent = [...fake.calls.slice(before).map((c) => c.body), ...replies].filter((b) => !isTheForm(b));
    expect(sent.length).toBeGreaterThan(3);
    for (const body of sent) {
      const text = JSON.stringify(body);
      for (const leak of [
        'B9',
        'any other Black',
        'Black or Black British',
        'ethnicity',
        'Ethnicity',
        'Female',
        '"sex"',
      ])
        expect(text, `a call names ${leak}`).not.toContain(leak);
    }
    // Nor in the bot's and desk's logs.
    for (const leak of ['B9', 'ethnicity', '"sex"']) expect(logs()).not.toContain(leak);
  });

  it('a form refused in a channel (older clients: posted for all to see) comes back without the codes chosen', async () => {
    const form = validForm({ ethnicity: 'B9', sex: 'M' });
    const since = fake.posts().length;
    await post(url, submit(fake.serviceUrl, PEOPLE.sergeant, edt, { ...form, verb: 'bedrequest.submit' }));
    const posted = await fake.waitFor(() => fake.posts().slice(since).at(-1), 15_000, 'the posted form');
    const card = FakeBotConnector.cardOf(posted);
    expect(cardText(card)).toMatch(/Sex \(optional\): Sex must be one of the listed codes/);
    // The choice sets are there (it is the form), but nothing is chosen in them.
    expect(chosenIn(card)).toEqual({ ethnicity: undefined, sex: undefined });
    // The sergeant's own (private) reply keeps what was chosen, so nothing is chosen twice.
    expect(chosenIn(await submitForm(form))).toEqual({ ethnicity: 'B9', sex: 'M' });
  });

  it.each([
    [
      'an unknown ethnicity code',
      { ethnicity: 'X7' },
      /Self-defined ethnicity \(optional\): Self-defined ethnicity must be one of the 18\+1 codes/,
    ],
    [
      'O1, the old code for Chinese',
      { ethnicity: 'O1' },
      /Self-defined ethnicity \(optional\): .*old 16\+1 code for Chinese/,
    ],
    ['an unknown sex code', { sex: 'M' }, /Sex \(optional\): Sex must be one of the listed codes/],
  ])('%s is refused on the card, naming its field, and nothing starts', async (_name, over, message) => {
    const form = validForm(over);
    const text = cardText(await submitForm(form));
    expect(text).toMatch(/Please correct this field:/);
    expect(text).toMatch(message);
    expect(text).not.toContain('Request sent');
    expect(
      await client.view(bedRequestWorkflowId('northampton-cjc', form.custodyRecordNumber ?? '')),
    ).toBeNull();
    expect(await stored(form.custodyRecordNumber ?? '')).toBeUndefined();
  });
});
