// The Teams bot over real HTTP, in emulator mode, with a fake Temporal side: installs, the
// command, the form, every card button (Action.Execute and the Action.Submit fallback), refusals,
// View details, and the invoke budget. The full path through a real workflow is in full-path.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE_UNAVAILABLE_TEXT, REQUEST_NOT_FOUND_TEXT } from '../../../bots/shared/failure-text.js';
import { FakeBotConnector } from '../../fakes/teams/fake-bot-connector.js';
import { startBotHarness, type BotHarness } from './support/bot-harness.js';
import type { FakeBedRequests } from './support/fake-bed-requests.js';
import {
  PEOPLE,
  botAdded,
  buttonTitles,
  cardText,
  execute,
  installationUpdate,
  invokeCard,
  message,
  post,
  submit,
  validForm,
  type Person,
  type Where,
} from './support/teams-activities.js';
import { AAD, CHANNELS } from './support/teams-protocol.js';

let h: BotHarness;
let requests: FakeBedRequests;
const personal = (person: Person): Where => ({ kind: 'personal', person });
const edt: Where = { kind: 'channel', channelId: CHANNELS.edt };
const CHILD_NAME = {
  givenName: 'Jordanna',
  familyName: 'Quillfeather',
  dateOfBirth: `${new Date().getUTCFullYear() - 15}-06-14`,
};

beforeAll(async () => {
  h = await startBotHarness();
  requests = h.fakeRequests!;
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(() => {
  h.fake.reset();
  requests.down = false;
  requests.delayMs = 0;
});

const send = (activity: unknown) => post(h.url, activity);
const s = () => h.fake.serviceUrl;

/** Starts a request as the sergeant and returns its workflow ID. */
async function startRequest(over: Record<string, string> = {}): Promise<string> {
  const form = validForm({ pncId: '', ...CHILD_NAME, age: String(ageAt(CHILD_NAME.dateOfBirth)), ...over });
  const r = await send(execute(s(), PEOPLE.sergeant, personal(PEOPLE.sergeant), 'bedrequest.submit', form));
  expect(cardText(invokeCard(r))).toContain('Request sent');
  return `bed-request:NORTHAMPTON-CJC:${form.custodyRecordNumber}`;
}

function ageAt(dob: string): number {
  const charged = new Date(Date.now() - 86_400_000);
  const birth = new Date(dob);
  let age = charged.getUTCFullYear() - birth.getUTCFullYear();
  if (
    charged.getUTCMonth() < birth.getUTCMonth() ||
    (charged.getUTCMonth() === birth.getUTCMonth() && charged.getUTCDate() < birth.getUTCDate())
  )
    age -= 1;
  return age;
}

function click(
  person: Person,
  verb: string,
  workflowId: string,
  inputs: Record<string, string> = {},
  where = edt,
) {
  return send(execute(s(), person, where, verb, { workflowId, audience: 'responder', ...inputs }));
}

describe('installs store conversation references for proactive messages', () => {
  it('stores a team channel under its channel ID and the team ID', async () => {
    const r = await send(
      botAdded(s(), PEOPLE.lead, { kind: 'channel', channelId: CHANNELS.edt, teamId: CHANNELS.team }),
    );
    expect(r.status).toBe(200);
    expect(await h.store.getConversationReference('teams', CHANNELS.edt)).toMatchObject({
      serviceUrl: s(),
      conversation: { id: CHANNELS.edt, conversationType: 'channel', tenantId: 'tenant-0001' },
      bot: { id: '28:concordat-bot' },
    });
    expect(await h.store.getConversationReference('teams', CHANNELS.team)).toMatchObject({
      conversation: { id: CHANNELS.team },
    });
    expect(h.fake.calls.filter((c) => c.kind !== 'channels')).toHaveLength(0); // no welcome post
  });

  it('stores every channel of a team the app is added to, listed from the Bot Connector', async () => {
    const team = '19:whole-team@thread.tacv2';
    h.fake.teamChannels.set(team, [
      { id: team, name: 'General' },
      { id: '19:custody-night@thread.tacv2', name: 'Custody nights' },
      { id: '19:edt-rota@thread.tacv2', name: 'EDT rota' },
    ]);
    await send(installationUpdate(s(), PEOPLE.lead, { kind: 'channel', channelId: team, teamId: team }));
    for (const id of [team, '19:custody-night@thread.tacv2', '19:edt-rota@thread.tacv2']) {
      expect(await h.store.getConversationReference('teams', id)).toMatchObject({
        serviceUrl: s(),
        conversation: { id, conversationType: 'channel', tenantId: 'tenant-0001' },
      });
    }
    expect(h.fake.calls.map((c) => c.kind)).toEqual(['channels']);
  });

  it('stores a channel created later in a team the app is in', async () => {
    const created = botAdded(s(), PEOPLE.lead, {
      kind: 'channel',
      channelId: CHANNELS.team,
      teamId: CHANNELS.team,
    });
    await send({
      ...created,
      membersAdded: undefined,
      channelData: {
        ...created.channelData,
        eventType: 'channelCreated',
        channel: { id: '19:new-night-desk@thread.tacv2' },
      },
    });
    expect(await h.store.getConversationReference('teams', '19:new-night-desk@thread.tacv2')).toMatchObject({
      conversation: { id: '19:new-night-desk@thread.tacv2' },
    });
  });

  it('stores a personal install under the user’s AAD object ID', async () => {
    const r = await send(installationUpdate(s(), PEOPLE.responder, personal(PEOPLE.responder)));
    expect(r.status).toBe(200);
    expect(await h.store.getConversationReference('teams', AAD.responder)).toMatchObject({
      conversation: { id: `a:personal-${AAD.responder}`, conversationType: 'personal' },
      user: { aadObjectId: AAD.responder },
    });
  });

  it('ignores someone else joining, and an uninstall', async () => {
    const joined = botAdded(s(), PEOPLE.lead, { kind: 'channel', channelId: '19:other@thread.tacv2' });
    await send({ ...joined, membersAdded: [{ id: '29:someone' }] });
    await send(
      installationUpdate(s(), PEOPLE.lead, { kind: 'channel', channelId: '19:gone@thread.tacv2' }, 'remove'),
    );
    expect(await h.store.getConversationReference('teams', '19:other@thread.tacv2')).toBeNull();
    expect(await h.store.getConversationReference('teams', '19:gone@thread.tacv2')).toBeNull();
  });
});

describe('the bedrequest command', () => {
  it('replies with the form card, typed or from the command list, in a 1:1 or a channel', async () => {
    for (const [where, text] of [
      [personal(PEOPLE.sergeant), 'bedrequest'],
      [{ kind: 'channel', channelId: CHANNELS.custody }, '<at>Concordat</at> bed request'],
      [personal(PEOPLE.sergeant), '/bedrequest'],
    ] as Array<[Where, string]>) {
      const r = await send(message(s(), PEOPLE.sergeant, where, text));
      expect(r.status).toBe(200);
    }
    const replies = h.fake.posts();
    expect(replies).toHaveLength(3);
    for (const reply of replies) {
      const card = FakeBotConnector.cardOf(reply);
      expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
      expect(cardText(card)).toContain('Bed request: child charged and refused bail');
    }
    expect(h.fake.calls.every((c) => c.kind === 'reply')).toBe(true);
  });

  it('tells someone without the custody role why they get no form', async () => {
    await send(message(s(), PEOPLE.responder, personal(PEOPLE.responder), 'bedrequest'));
    const [reply] = h.fake.posts();
    expect(FakeBotConnector.cardOf(reply!)).toBeNull();
    expect(reply?.activity.text).toMatch(/needs the custody or admin role/);
  });

  it('answers anything else with help', async () => {
    await send(message(s(), PEOPLE.sergeant, personal(PEOPLE.sergeant), 'hello'));
    expect(h.fake.posts()[0]?.activity.text).toMatch(/type "bedrequest"/);
  });
});

describe('submitting the form', () => {
  it('starts the request and turns the card into the live request, answering inside the invoke', async () => {
    const before = requests.starts.length;
    const workflowId = await startRequest();
    expect(requests.starts).toHaveLength(before + 1);
    expect(requests.starts.at(-1)?.input.child).toEqual(CHILD_NAME);
    expect(requests.starts.at(-1)?.input.requestingOfficer).toEqual({
      platform: 'teams',
      userId: AAD.sergeant,
      displayName: 'Sgt Example',
    });
    // The answer is in the invoke response: nothing was posted or edited on the connector.
    expect(h.fake.calls).toHaveLength(0);
    const refreshed = invokeCard(
      await send(
        execute(s(), PEOPLE.sergeant, personal(PEOPLE.sergeant), 'refresh', {
          workflowId,
          audience: 'custody',
        }),
      ),
    );
    expect(buttonTitles(refreshed)).toEqual([
      'Confirm transfer',
      'Child stays',
      'Amend court sitting',
      'Cancel request',
    ]);
    expect(JSON.stringify(refreshed)).not.toContain(CHILD_NAME.familyName);
  });

  it('shows errors on the card, naming the fields, and starts nothing', async () => {
    const before = requests.starts.length;
    const r = await send(
      execute(
        s(),
        PEOPLE.sergeant,
        personal(PEOPLE.sergeant),
        'bedrequest.submit',
        validForm({ age: '19', pncId: 'nope', courtDate: '' }),
      ),
    );
    const text = cardText(invokeCard(r));
    expect(text).toContain('Please correct these 3 fields:');
    expect(text).toContain('PNC ID: PNC ID must look like 13/123456A');
    expect(text).toContain('Age: At 18 or over this is not a juvenile transfer');
    expect(text).toContain('Next court sitting: Give the date of the next court sitting');
    expect(requests.starts).toHaveLength(before);
  });

  it('points a duplicate at the request already open', async () => {
    const form = validForm();
    const first = await send(
      execute(s(), PEOPLE.sergeant, personal(PEOPLE.sergeant), 'bedrequest.submit', form),
    );
    expect(cardText(invokeCard(first))).toContain('Request sent');
    const again = await send(
      execute(s(), PEOPLE.sergeant, personal(PEOPLE.sergeant), 'bedrequest.submit', form),
    );
    const card = invokeCard(again);
    const view = requests.views.get(`bed-request:NORTHAMPTON-CJC:${form.custodyRecordNumber}`)!;
    expect(cardText(card)).toContain(`already open (${view.caseRef})`);
    expect(cardText(card)).toContain(`Bed request ${view.caseRef}`);
    expect(
      requests.starts.filter((x) => x.input.custodyRecordNumber === form.custodyRecordNumber),
    ).toHaveLength(1);
  });

  it('refuses the form from someone without the custody role', async () => {
    const before = requests.starts.length;
    const r = await send(
      execute(s(), PEOPLE.responder, personal(PEOPLE.responder), 'bedrequest.submit', validForm()),
    );
    expect(cardText(invokeCard(r))).toMatch(/needs the custody or admin role/);
    expect(requests.starts).toHaveLength(before);
  });
});

describe('responder and custody buttons', () => {
  it('acknowledge: the card comes back updated at once, and the workflow is signalled once', async () => {
    const workflowId = await startRequest();
    const signals = requests.signals.length;
    const r = await click(PEOPLE.responder, 'acknowledge', workflowId);
    const card = invokeCard(r);
    expect(cardText(card)).toContain('Acknowledge: done.');
    expect(buttonTitles(card)).toEqual(['Offer bed', 'Decline', 'Need info', 'View details']);
    expect(requests.signals).toHaveLength(signals + 1);
    expect(requests.signals.at(-1)?.envelope).toMatchObject({
      actor: { platform: 'teams', userId: AAD.responder },
      action: { kind: 'acknowledge' },
      replyChannel: CHANNELS.edt,
    });
    expect(h.fake.calls).toHaveLength(0);
  });

  it('refuses the wrong role, the wrong authority and the wrong state on the card, changes nothing, and logs it', async () => {
    const workflowId = await startRequest();
    const signals = requests.signals.length;
    const cases: Array<[Person, string, Record<string, string>, RegExp]> = [
      [PEOPLE.sergeant, 'acknowledge', {}, /“Acknowledge” needs the responder role/],
      [
        PEOPLE.stranger,
        'offer_bed',
        { offer_accommodation: 'non_secure', offer_provider: 'Oak House', offer_transport: 'la_collects' },
        /needs the responder role/,
      ],
      [
        PEOPLE.mkResponder,
        'decline',
        { decline_reason: 'no_non_secure_placement' },
        /different local authority.*West Northamptonshire Council/,
      ],
      [
        PEOPLE.responder,
        'record_stay',
        { stay_reason: 'impracticable_other', stay_explanation: 'The van broke down on the way' },
        /needs the custody role/,
      ],
      [
        PEOPLE.responder,
        'confirm_transfer',
        { left_date: '2013-01-01', left_time: '10:00' },
        /needs the custody role/,
      ],
    ];
    for (const [person, verb, inputs, expected] of cases) {
      const card = invokeCard(await click(person, verb, workflowId, inputs));
      expect(cardText(card)).toMatch(expected);
      expect(cardText(card)).toMatch(/Nothing was changed/);
    }
    // Wrong state: a second acknowledgement (the first came another way, minutes ago); a transfer
    // with no bed offered.
    await requests.act(workflowId, {
      actionId: 'earlier',
      actor: { platform: 'teams', userId: AAD.responder, displayName: 'Duty social worker' },
      action: { kind: 'acknowledge' },
    });
    const twice = invokeCard(await click(PEOPLE.responder, 'acknowledge', workflowId));
    expect(cardText(twice)).toMatch(/already acknowledged by Duty social worker/);
    const early = invokeCard(
      await send(
        execute(s(), PEOPLE.sergeant, personal(PEOPLE.sergeant), 'confirm_transfer', {
          workflowId,
          audience: 'custody',
          left_date: new Date().toISOString().slice(0, 10),
          left_time: '00:01',
        }),
      ),
    );
    expect(cardText(early)).toMatch(/No bed has been offered yet/);
    // Nothing from the bot reached the workflow (the one signal is the earlier acknowledgement).
    expect(requests.signals).toHaveLength(signals + 1);
    // Every refusal is a row in the database audit log (the desk's pre-check).
    const refusals = (await h.store.listEvents(workflowId)).filter((e) => e.type === 'action_refused');
    expect(refusals.map((e) => e.data.code)).toEqual([
      'ROLE_NOT_PERMITTED',
      'ROLE_NOT_PERMITTED',
      'NOT_RESPONDER_FOR_AUTHORITY',
      'ROLE_NOT_PERMITTED',
      'ROLE_NOT_PERMITTED',
      'ALREADY_ACKNOWLEDGED',
      'NO_BED_OFFERED',
    ]);
  });

  it('treats a double-click as one click: one signal, no refusal', async () => {
    const workflowId = await startRequest();
    const signals = requests.signals.length;
    const [a, b] = await Promise.all([
      click(PEOPLE.responder, 'acknowledge', workflowId),
      click(PEOPLE.responder, 'acknowledge', workflowId),
    ]);
    const texts = [cardText(invokeCard(a)), cardText(invokeCard(b))];
    expect(texts.filter((t) => t.includes('Acknowledge: done.'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('Acknowledge: already sent.'))).toHaveLength(1);
    expect(texts.join('\n')).not.toMatch(/Nothing was changed/);
    expect(requests.signals).toHaveLength(signals + 1);
    // A different question from the same person is not a repeat.
    await click(PEOPLE.responder, 'request_info', workflowId, { info_question: 'First question here?' });
    await click(PEOPLE.responder, 'request_info', workflowId, { info_question: 'Second question here?' });
    expect(requests.signals).toHaveLength(signals + 3);
  });

  it('cancel: custody or admin may, a responder may not', async () => {
    const custodyClick = (person: Person, workflowId: string, reason: string) =>
      send(
        execute(s(), person, personal(person), 'cancel', {
          workflowId,
          audience: 'custody',
          cancel_reason: reason,
        }),
      );
    const first = await startRequest();
    expect(cardText(invokeCard(await custodyClick(PEOPLE.responder, first, 'bailed')))).toMatch(
      /needs the custody or admin role/,
    );
    const bailed = invokeCard(await custodyClick(PEOPLE.sergeant, first, 'bailed'));
    expect(cardText(bailed)).toContain('Closed: Released or bailed');
    expect(requests.views.get(first)?.outcome).toMatchObject({
      code: 'released_or_bailed',
      cancelReason: 'bailed',
    });
    const second = await startRequest();
    const byAdmin = invokeCard(await custodyClick(PEOPLE.lead, second, 'entered_in_error'));
    expect(cardText(byAdmin)).toContain('Closed: Cancelled: entered in error');
  });

  it('refuses a stay reason Note 16D rules out, with the law in words', async () => {
    const workflowId = await startRequest();
    const card = invokeCard(
      await send(
        execute(s(), PEOPLE.sergeant, personal(PEOPLE.sergeant), 'record_stay', {
          workflowId,
          audience: 'custody',
          stay_reason: 'child_behaviour',
          stay_explanation: 'Aggressive in the cell all evening',
        }),
      ),
    );
    expect(cardText(card)).toMatch(/behaviour cannot be the reason.*Note 16D/);
    expect(requests.views.get(workflowId)?.outcome).toBeUndefined();
  });

  it('shows bad button input on the card, naming the field, and sends nothing', async () => {
    const workflowId = await startRequest();
    const signals = requests.signals.length;
    const card = invokeCard(
      await click(PEOPLE.responder, 'offer_bed', workflowId, {
        offer_accommodation: 'non_secure',
        offer_provider: 'O',
        offer_transport: 'boat',
      }),
    );
    const text = cardText(card);
    expect(text).toContain('Offer bed: nothing was sent. Please correct:');
    expect(text).toContain('Provider or placement: Name the provider or placement');
    expect(text).toContain('Transport: Choose the transport');
    expect(requests.signals).toHaveLength(signals);
  });

  it('says so when the request does not exist or the engine does not answer', async () => {
    const missing = invokeCard(await click(PEOPLE.responder, 'acknowledge', 'bed-request:NOWHERE:NONE'));
    expect(cardText(missing)).toContain(REQUEST_NOT_FOUND_TEXT);
    const workflowId = await startRequest();
    requests.down = true;
    const down = invokeCard(await click(PEOPLE.responder, 'acknowledge', workflowId));
    expect(cardText(down)).toContain(ENGINE_UNAVAILABLE_TEXT);
  });

  it('answers within its invoke budget even when the engine is slow', async () => {
    const slow = await startBotHarness({ invokeBudgetMs: 150, store: h.store });
    try {
      const sp = slow.fakeRequests!;
      const form = validForm();
      const started = await post(
        slow.url,
        execute(slow.fake.serviceUrl, PEOPLE.sergeant, personal(PEOPLE.sergeant), 'bedrequest.submit', form),
      );
      expect(cardText(invokeCard(started))).toContain('Request sent');
      sp.delayMs = 2_000;
      const r = await post(
        slow.url,
        execute(slow.fake.serviceUrl, PEOPLE.responder, edt, 'acknowledge', {
          workflowId: `bed-request:NORTHAMPTON-CJC:${form.custodyRecordNumber}`,
          audience: 'responder',
        }),
      );
      expect(r.ms).toBeLessThan(1_000);
      expect(cardText(invokeCard(r))).toContain(ENGINE_UNAVAILABLE_TEXT);
      // The budget is for the whole invoke: a query that uses most of it leaves the signal the rest.
      sp.delayMs = 100;
      const both = await post(
        slow.url,
        execute(slow.fake.serviceUrl, PEOPLE.responder, edt, 'acknowledge', {
          workflowId: `bed-request:NORTHAMPTON-CJC:${form.custodyRecordNumber}`,
          audience: 'responder',
        }),
      );
      expect(both.ms).toBeLessThan(600);
      expect(cardText(invokeCard(both))).toMatch(/did not hear back from its workflow engine in time/);
    } finally {
      await slow.stop();
    }
  });

  it('answers a button it does not know with a card, not an error', async () => {
    const card = invokeCard(await click(PEOPLE.responder, 'launch_missiles', 'x'));
    expect(cardText(card)).toMatch(/older version of Concordat/);
  });
});

describe('View details', () => {
  it('shows the identity to a responder for the authority, only in their view, and writes the access log first', async () => {
    const workflowId = await startRequest();
    const card = invokeCard(await click(PEOPLE.responder, 'view_details', workflowId));
    const text = cardText(card);
    expect(text).toContain('Jordanna Quillfeather');
    expect(text).toContain(CHILD_NAME.dateOfBirth);
    expect(text).toContain('shown to you only');
    expect(card.refresh).toBeUndefined();
    expect(await h.store.listAccess(workflowId)).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ userId: AAD.responder }) as object,
        purpose: 'view_details',
      }),
    ]);
    expect(h.fake.calls).toHaveLength(0);
  });

  it('refuses anyone else on the card, shows nothing, and records the denial in the database', async () => {
    const workflowId = await startRequest();
    for (const person of [PEOPLE.mkResponder, PEOPLE.stranger]) {
      const card = invokeCard(await click(person, 'view_details', workflowId));
      expect(JSON.stringify(card)).not.toContain('Quillfeather');
      expect(cardText(card)).toMatch(/different local authority|not set up to do that/);
    }
    expect((await h.store.listAccess(workflowId)).map((a) => a.purpose)).toEqual(['denied', 'denied']);
    const refused = (await h.store.listEvents(workflowId)).filter((e) => e.type === 'action_refused');
    expect(refused.map((e) => [e.actor?.userId, e.data.kind, e.data.code])).toEqual([
      [AAD.mkResponder, 'view_details', 'NOT_RESPONDER_FOR_AUTHORITY'],
      [AAD.stranger, 'view_details', 'ROLE_NOT_PERMITTED'],
    ]);
  });
});

describe('the Action.Submit fallback for older Teams clients', () => {
  it('sends an accepted action to the workflow without posting anything', async () => {
    const workflowId = await startRequest();
    const signals = requests.signals.length;
    const r = await send(
      submit(s(), PEOPLE.responder, edt, { verb: 'acknowledge', workflowId, audience: 'responder' }),
    );
    expect(r.status).toBe(200);
    expect(requests.signals).toHaveLength(signals + 1);
    expect(h.fake.posts()).toHaveLength(0);
  });

  it('replies to a refused action in words, visible to the channel but naming no child', async () => {
    const workflowId = await startRequest();
    await send(submit(s(), PEOPLE.sergeant, edt, { verb: 'acknowledge', workflowId, audience: 'responder' }));
    const [reply] = h.fake.posts();
    expect(reply?.activity.text).toMatch(/needs the responder role/);
  });

  it('never posts the identity where others could see it', async () => {
    const workflowId = await startRequest();
    await send(
      submit(s(), PEOPLE.responder, edt, { verb: 'view_details', workflowId, audience: 'responder' }),
    );
    const [reply] = h.fake.posts();
    expect(reply?.activity.text).toMatch(/too old to show the child’s details privately/);
    expect(JSON.stringify(h.fake.calls)).not.toContain('Quillfeather');
    // The request form in a channel: errors come back without the identity typed.
    await send(
      submit(s(), PEOPLE.sergeant, edt, {
        ...validForm({ age: '9', givenName: 'Jordanna', familyName: 'Quillfeather' }),
        verb: 'bedrequest.submit',
      }),
    );
    const formReply = h.fake.posts().at(-1)!;
    expect(cardText(FakeBotConnector.cardOf(formReply))).toContain('Age: A child under 10');
    expect(JSON.stringify(formReply.activity)).not.toContain('Quillfeather');
  });
});

describe('/api/messages itself', () => {
  it('answers 404, 405 and 400 for the wrong path, method and body', async () => {
    expect((await fetch(`${h.url}/elsewhere`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${h.url}/api/messages`)).status).toBe(405);
    expect((await fetch(`${h.url}/api/messages`, { method: 'POST', body: 'not json' })).status).toBe(400);
    expect((await post(h.url, { type: 'message' })).status).toBe(400);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });
});

describe('privacy', () => {
  it('never wrote the child’s identity into a log line', () => {
    const all = h.rawLogs.join('\n');
    expect(all.length).toBeGreaterThan(1000);
    for (const value of Object.values(CHILD_NAME)) expect(all).not.toContain(value);
  });
});

describe('the request desk behind the Teams bot (issue 10)', () => {
  it('refuses "No secure bed available" as a decline of a non-secure request, changes nothing, and audits it', async () => {
    const workflowId = await startRequest();
    const signals = requests.signals.length;
    const card = invokeCard(
      await click(PEOPLE.responder, 'decline', workflowId, { decline_reason: 'no_secure_bed' }),
    );
    expect(cardText(card)).toMatch(/not a reason to decline this request/);
    expect(requests.signals).toHaveLength(signals);
    expect(requests.views.get(workflowId)?.declines).toEqual([]);
    const rows = (await h.store.listEvents(workflowId)).filter((e) => e.type === 'action_refused');
    expect(rows.map((e) => [e.actor?.userId, e.data.kind, e.data.code])).toEqual([
      [AAD.responder, 'decline', 'DECLINE_NO_SECURE_BED_NOT_SECURE_REQUEST'],
    ]);
  });

  it('audits a malformed card payload as a refusal', async () => {
    await send(execute(s(), PEOPLE.responder, edt, 'acknowledge', { audience: 'responder' }));
    const rows = (await h.store.listEvents('no-request')).filter(
      (e) => e.actor?.userId === AAD.responder && e.data.kind === 'acknowledge',
    );
    expect(rows.at(-1)?.data).toMatchObject({ code: 'INVALID_INPUT', source: 'malformed' });
  });

  it('lists a person’s open requests with the requests command', async () => {
    const workflowId = await startRequest();
    const caseRef = requests.views.get(workflowId)?.caseRef ?? '';
    h.fake.reset();
    await send(message(s(), PEOPLE.responder, personal(PEOPLE.responder), 'requests'));
    const posted = h.fake.posts()[0];
    const text = JSON.stringify(posted?.activity);
    expect(text).toContain('Open bed requests');
    expect(text).toContain(caseRef);
    expect(text).not.toContain('Quillfeather');
  });

  it('names the people who can act in refresh.userIds', async () => {
    const workflowId = await startRequest();
    const card = invokeCard(await click(PEOPLE.responder, 'refresh', workflowId));
    const userIds = (card as { refresh?: { userIds?: string[] } }).refresh?.userIds ?? [];
    expect(userIds).toContain(AAD.responder);
    expect(userIds).not.toContain(AAD.mkResponder);
    expect(userIds.length).toBeLessThanOrEqual(60);
  });

  it('the Submit fallback never echoes the identity, and a sent form becomes its summary', async () => {
    const bad = validForm({ pncId: '', ...CHILD_NAME, age: '' });
    await send(
      submit(s(), PEOPLE.sergeant, personal(PEOPLE.sergeant), { verb: 'bedrequest.submit', ...bad }),
    );
    const echoed = JSON.stringify(h.fake.posts().map((p) => p.activity));
    expect(echoed).not.toContain('Quillfeather');
    expect(echoed).not.toContain('Jordanna');
    h.fake.reset();
    const good = validForm({ pncId: '', ...CHILD_NAME, age: String(ageAt(CHILD_NAME.dateOfBirth)) });
    await send(
      submit(s(), PEOPLE.sergeant, personal(PEOPLE.sergeant), { verb: 'bedrequest.submit', ...good }),
    );
    const updates = h.fake.calls.filter((c) => c.kind === 'update');
    expect(JSON.stringify(updates)).toContain('Bed request submitted');
    expect(JSON.stringify(h.fake.calls)).not.toContain('Quillfeather');
  });
});
