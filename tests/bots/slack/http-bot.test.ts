import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NOT_CUSTODY_TEXT } from '../../../bots/slack/commands/bed-request.js';
import { ACTION_IDS, VIEW_IDS } from '../../../bots/slack/ids.js';
import { bedRequestWorkflowId } from '../../../domain/bed-request.js';
import { appHomeOpened, blockAction, el, slashCommand, viewSubmission } from '../../fakes/slack/payloads.js';
import { postSigned, slackSignature } from '../../fakes/slack/signing.js';
import { FORM, interactionBody } from './support/driver.js';
import { buttonIds, fakeEngine, requestForm, SIGNING_SECRET, startSlackHarness } from './support/harness.js';
import { USERS } from './support/protocol.js';

type Harness = Awaited<ReturnType<typeof startSlackHarness<ReturnType<typeof fakeEngine>>>>;
let h: Harness;

beforeAll(async () => {
  h = await startSlackHarness({ transport: 'http', engine: fakeEngine });
});
afterAll(async () => h?.close());
beforeEach(() => h.api.reset());

const engine = () => h.engine.engine;

/** Submits a valid form as the sergeant and waits for both cards. */
async function startRequest(overrides: Parameters<typeof requestForm>[0] = {}) {
  const fields = requestForm(overrides);
  const reply = await h.driver.interact(
    viewSubmission({
      user: USERS.sergeant,
      callbackId: VIEW_IDS.bedRequest,
      fields,
      privateMetadata: JSON.stringify({ channel: 'C0CUSTODYNTH' }),
    }),
  );
  expect(reply).toEqual({ status: 200, body: '' });
  const record = (fields.custodyRecordNumber as { value: string }).value;
  const workflowId = bedRequestWorkflowId('northampton-cjc', record);
  await h.api.waitFor(() => engine().cardsOf(workflowId).custody, 5000, 'cards');
  await engine().settled();
  return { workflowId, record };
}

const ephemeralsTo = (user: string) =>
  h.api.okCallsTo('chat.postEphemeral').filter((c) => c.args.user === user);

async function waitForEphemeral(user: string, pattern: RegExp) {
  return h.api.waitFor(
    () => ephemeralsTo(user).find((c) => pattern.test(String(c.args.text))),
    5000,
    `ephemeral to ${user} matching ${pattern}`,
  );
}

describe('/bedrequest', () => {
  it('acks at once and opens the request form with the protocol’s suites and local authorities', async () => {
    const reply = await h.driver.command(slashCommand({ user: USERS.sergeant }));
    expect(reply).toEqual({ status: 200, body: '' });
    const open = await h.api.waitFor(() => h.api.callsTo('views.open')[0]);
    const view = open.args.view as { callback_id: string; blocks: Array<{ block_id?: string }> };
    expect(view.callback_id).toBe(VIEW_IDS.bedRequest);
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual(
      expect.arrayContaining([
        'custodyRecordNumber',
        'custodySuiteId',
        'child.pncId',
        'chargedAt',
        'nextCourtSitting',
      ]),
    );
    expect(JSON.stringify(view)).toContain('Milton Keynes City Council');
    expect(JSON.stringify(view)).toContain('Weekley Wood Justice Centre');
    expect(open.args.trigger_id).toMatch(/^trigger-cmd-/);
  });

  it('answers someone who is not custody in the ack, opens nothing, and still audits the refusal', async () => {
    const refused = () =>
      engine().events.filter((e) => e.type === 'action_refused' && e.eventId.includes(':start_request:'));
    const before = refused().length;
    const reply = await h.driver.command(slashCommand({ user: USERS.responder }));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', text: NOT_CUSTODY_TEXT });
    await h.api.waitFor(() => refused().length > before, 5_000, 'the refusal audited');
    expect(refused().at(-1)?.actor).toMatchObject({ platform: 'slack', userId: USERS.responder.id });
    expect(h.api.callsTo('views.open')).toHaveLength(0);
  });
});

describe('the request form', () => {
  it('starts the workflow, posts the responder and custody cards, and tells the sergeant', async () => {
    const before = engine().starts.length;
    const { workflowId, record } = await startRequest();
    expect(engine().starts).toHaveLength(before + 1);
    const started = engine().starts.at(-1);
    expect(started?.input.custodyRecordNumber).toBe(record);
    expect(started?.input.requestingOfficer).toMatchObject({ platform: 'slack', userId: USERS.sergeant.id });
    // The datetimepicker's Unix seconds become ISO with the Europe/London offset.
    expect(started?.input.chargedAt).toMatch(/T\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    const cards = engine().cardsOf(workflowId);
    expect(cards.responder?.conversationId).toBe('C0EDT');
    expect(cards.custody?.conversationId).toBe('C0CUSTODYNTH');
    const responderCard = h.api.messages.find((m) => m.ts === cards.responder?.messageId);
    expect(buttonIds(responderCard?.blocks ?? [])).toEqual([
      ACTION_IDS.acknowledge,
      ACTION_IDS.offerBed,
      ACTION_IDS.decline,
      ACTION_IDS.requestInfo,
      ACTION_IDS.viewDetails,
    ]);
    // No personal data on any card.
    for (const m of h.api.messages) {
      expect(JSON.stringify(m)).not.toMatch(/Jamie|Testchild|13\/123456A|Asthma/);
    }
    await waitForEphemeral(USERS.sergeant.id, /Bed request sent for custody record/);
  });

  const bad: Array<[string, Record<string, ReturnType<(typeof el)[keyof typeof el]>>, string, RegExp]> = [
    ['empty custody record', { custodyRecordNumber: el.text(null) }, 'custodyRecordNumber', /4 to 30/],
    ['bad custody record', { custodyRecordNumber: el.text('a b!') }, 'custodyRecordNumber', /4 to 30/],
    ['no custody suite', { custodySuiteId: el.select(null) }, 'custodySuiteId', /custody suite/i],
    [
      'unknown custody suite',
      { custodySuiteId: el.select('atlantis') },
      'custodySuiteId',
      /not in the protocol/,
    ],
    ['bad PNC ID', { 'child.pncId': el.text('123') }, 'child.pncId', /13\/123456A/],
    [
      'no identity at all',
      { 'child.pncId': el.text(null), 'child.givenName': el.text(null) },
      'child.pncId',
      /PNC ID, or the given name/,
    ],
    ['blank given name', { 'child.givenName': el.text('   ') }, 'child.givenName', /empty/],
    ['blank family name', { 'child.familyName': el.text('  ') }, 'child.familyName', /empty/],
    [
      'DOB not matching age',
      { 'child.dateOfBirth': el.date(`${new Date().getUTCFullYear() - 12}-06-15`) },
      'age',
      /date of birth makes the child 1[12] at charge, not 15/,
    ],
    [
      'DOB giving an adult',
      { 'child.dateOfBirth': el.date('2000-01-01') },
      'child.dateOfBirth',
      /makes the child \d+ at charge: a transfer is for a child aged 10 to 17/,
    ],
    ['missing age', { age: el.number(null) }, 'age', /whole number/],
    ['age 9', { age: el.number('9') }, 'age', /under 10/],
    ['age 18', { age: el.number('18') }, 'age', /18 or over/],
    ['age 15.5', { age: el.number('15.5') }, 'age', /whole number/],
    ['no home LA', { homeLocalAuthorityId: el.select(null) }, 'homeLocalAuthorityId', /local authority/],
    [
      'unknown home LA',
      { homeLocalAuthorityId: el.select('narnia') },
      'homeLocalAuthorityId',
      /not in the protocol/,
    ],
    ['no charge time', { chargedAt: el.dateTime(null) }, 'chargedAt', /time of charge/],
    ['no bail ground', { bailRefusalGround: el.select(null) }, 'bailRefusalGround', /bail/],
    [
      'made-up bail ground',
      { bailRefusalGround: el.select('looked_shifty') },
      'bailRefusalGround',
      /Invalid enum/,
    ],
    ['no court sitting', { nextCourtSitting: el.dateTime(null) }, 'nextCourtSitting', /court sitting/],
    [
      'court before charge',
      { nextCourtSitting: el.dateTime(Math.floor(Date.now() / 1000) - 7200) },
      'nextCourtSitting',
      /after the time of charge/,
    ],
    ['no accommodation', { accommodation: el.radio(null) }, 'accommodation', /non-secure or secure/],
    [
      'secure without justification',
      { accommodation: el.radio('secure') },
      'seriousHarmJustification',
      /serious harm/,
    ],
    [
      'secure at 11',
      {
        accommodation: el.radio('secure'),
        age: el.number('11'),
        seriousHarmJustification: el.text('x'.repeat(30)),
      },
      'accommodation',
      /12 or over/,
    ],
    ['needs too long', { needsAndRisks: el.text('x'.repeat(2001)) }, 'needsAndRisks', /2000/],
  ];

  it.each(bad)(
    'refuses %s inline, on its own field, and starts nothing',
    async (_name, overrides, field, message) => {
      const before = engine().starts.length;
      const reply = await h.driver.interact(
        viewSubmission({
          user: USERS.sergeant,
          callbackId: VIEW_IDS.bedRequest,
          fields: requestForm(overrides),
        }),
      );
      expect(reply.status).toBe(200);
      const body = reply.body as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe('errors');
      expect(body.errors[field]).toMatch(message);
      expect(engine().starts).toHaveLength(before);
    },
  );

  it('makes a double submit of the same modal a no-op, and points a second form at the open request', async () => {
    const fields = requestForm();
    const submission = viewSubmission({
      user: USERS.sergeant,
      callbackId: VIEW_IDS.bedRequest,
      fields,
      privateMetadata: JSON.stringify({ channel: 'C0CUSTODYNTH' }),
    });
    const before = engine().starts.length;
    const [a, b] = await Promise.all([
      h.driver.interact(submission),
      h.driver.interact({ ...submission, trigger_id: 'again' }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await waitForEphemeral(USERS.sergeant.id, /Bed request sent/);
    await engine().settled();
    expect(engine().starts).toHaveLength(before + 1);
    // A second modal (new view ID) for the same custody record: already open.
    const again = viewSubmission({
      user: USERS.sergeant,
      callbackId: VIEW_IDS.bedRequest,
      fields,
      privateMetadata: JSON.stringify({ channel: 'C0CUSTODYNTH' }),
    });
    expect((await h.driver.interact(again)).status).toBe(200);
    const dup = await waitForEphemeral(USERS.sergeant.id, /already open/);
    expect(String(dup.args.text)).toMatch(/CN-\d+/);
    expect(String(dup.args.text)).toContain('<#C0CUSTODYNTH>');
    const cardsPosted = h.api.okCallsTo('chat.postMessage').length;
    expect(cardsPosted).toBe(2);
  });

  it('refuses the form from someone who is not custody, inline', async () => {
    const reply = await h.driver.interact(
      viewSubmission({ user: USERS.responder, callbackId: VIEW_IDS.bedRequest, fields: requestForm() }),
    );
    expect(reply.body).toMatchObject({
      response_action: 'errors',
      errors: { custodyRecordNumber: NOT_CUSTODY_TEXT },
    });
  });
});

describe('card buttons', () => {
  it('acknowledges in one click: a signal with a stable action ID, both cards updated in place', async () => {
    const { workflowId } = await startRequest();
    const click = blockAction({ user: USERS.responder, actionId: ACTION_IDS.acknowledge, value: workflowId });
    const before = engine().signals.length;
    expect(await h.driver.interact(click)).toEqual({ status: 200, body: '' });
    await h.api.waitFor(() => h.api.okCallsTo('chat.update').length >= 2);
    const signal = engine().signals.at(-1);
    expect(engine().signals).toHaveLength(before + 1);
    expect(signal?.envelope).toMatchObject({
      actionId: `slack:${USERS.responder.id}:${click.actions[0]?.action_ts}`,
      actor: { platform: 'slack', userId: USERS.responder.id },
      action: { kind: 'acknowledge' },
      replyChannel: 'C0EDT',
    });
    await engine().settled();
    const card = h.api.messages.find((m) => m.ts === engine().cardsOf(workflowId).responder?.messageId);
    expect(buttonIds(card?.blocks ?? [])).not.toContain(ACTION_IDS.acknowledge);
    // The note went into the custody card's thread.
    expect(h.api.messages.some((m) => m.threadTs === engine().cardsOf(workflowId).custody?.messageId)).toBe(
      true,
    );
  });

  it('treats a double-click as one click: one signal, no refusal', async () => {
    const { workflowId } = await startRequest();
    const before = engine().signals.length;
    const click = () =>
      blockAction({ user: USERS.responder, actionId: ACTION_IDS.acknowledge, value: workflowId });
    await Promise.all([h.driver.interact(click()), h.driver.interact(click())]);
    await h.api.waitFor(() => h.api.okCallsTo('chat.update').length >= 2);
    await engine().settled();
    expect(engine().signals).toHaveLength(before + 1);
    expect(engine().refusals.filter((r) => r.workflowId === workflowId)).toHaveLength(0);
    expect(ephemeralsTo(USERS.responder.id)).toHaveLength(0);
  });

  it('refuses a wrong-role click privately, logs it, and sends no signal', async () => {
    const { workflowId } = await startRequest();
    const before = engine().signals.length;
    await h.driver.interact(
      blockAction({ user: USERS.sergeant, actionId: ACTION_IDS.acknowledge, value: workflowId }),
    );
    await waitForEphemeral(USERS.sergeant.id, /needs the responder role/);
    // A responder for another local authority cannot even open the Offer modal.
    await h.driver.interact(
      blockAction({ user: USERS.mkResponder, actionId: ACTION_IDS.offerBed, value: workflowId }),
    );
    await waitForEphemeral(USERS.mkResponder.id, /different local authority.*West Northamptonshire Council/);
    // Someone not in the protocol at all.
    await h.driver.interact(
      blockAction({ user: USERS.stranger, actionId: ACTION_IDS.decline, value: workflowId }),
    );
    await waitForEphemeral(USERS.stranger.id, /not set up to do that/);
    // (Confirm transfer before any offer is no refusal: it asks what was arranged by phone,
    // docs/legal-rules.md, "A transfer arranged by phone".)
    expect(engine().signals).toHaveLength(before);
    expect(h.api.callsTo('views.open')).toHaveLength(0);
    expect(h.api.callsTo('chat.update')).toHaveLength(0);
  });

  it('answers a button naming no known request, and a malformed click, without a crash', async () => {
    const before = engine().signals.length;
    await h.driver.interact(
      blockAction({ user: USERS.responder, actionId: ACTION_IDS.acknowledge, value: 'bed-request:NOPE:1' }),
    );
    await waitForEphemeral(USERS.responder.id, /could not be found/);
    const reply = await h.driver.interact({
      ...blockAction({ user: USERS.responder, actionId: ACTION_IDS.acknowledge, value: '' }),
    });
    expect(reply.status).toBe(200);
    expect(engine().signals).toHaveLength(before);
  });

  it('shows identity to an authorised responder only, with an access-log row', async () => {
    const { workflowId } = await startRequest();
    const logged = engine().accessLog.length;
    await h.driver.interact(
      blockAction({ user: USERS.responder, actionId: ACTION_IDS.viewDetails, value: workflowId }),
    );
    const shown = await waitForEphemeral(USERS.responder.id, /Details for CN-/);
    expect(JSON.stringify(shown.args.blocks)).toContain('Jamie Testchild');
    expect(JSON.stringify(shown.args.blocks)).toContain('13/123456A');
    expect(engine().accessLog).toHaveLength(logged + 1);
    expect(engine().accessLog.at(-1)).toMatchObject({
      workflowId,
      actor: { userId: USERS.responder.id },
      purpose: 'view_details',
    });
    // Wrong local authority, and a stranger: refused, logged as denied, nothing shown.
    await h.driver.interact(
      blockAction({ user: USERS.mkResponder, actionId: ACTION_IDS.viewDetails, value: workflowId }),
    );
    await h.driver.interact(
      blockAction({ user: USERS.stranger, actionId: ACTION_IDS.viewDetails, value: workflowId }),
    );
    await waitForEphemeral(USERS.mkResponder.id, /different local authority/);
    await waitForEphemeral(USERS.stranger.id, /not set up/);
    const purposes = engine()
      .accessLog.slice(logged)
      .map((e) => e.purpose);
    expect(purposes).toEqual(['view_details', 'denied', 'denied']);
    for (const c of h.api.callsTo('chat.postEphemeral').filter((c) => c.args.user !== USERS.responder.id)) {
      expect(JSON.stringify(c.args)).not.toContain('Jamie');
    }
  });
});

describe('App Home', () => {
  it('lists the responder’s open requests with status and age, and tells a stranger how to get access', async () => {
    const { workflowId } = await startRequest();
    const caseRef = engine().views.get(workflowId)?.caseRef ?? '';
    expect((await h.driver.event(appHomeOpened(USERS.responder.id))).status).toBe(200);
    const published = await h.api.waitFor(() =>
      h.api.callsTo('views.publish').find((c) => c.args.user_id === USERS.responder.id),
    );
    const text = JSON.stringify(published.args.view);
    expect(text).toContain(caseRef);
    expect(text).toMatch(/open for \d+m/);
    expect(text).toContain('Waiting for the duty team to acknowledge');
    expect(text).not.toContain('Jamie');
    await h.driver.event(appHomeOpened(USERS.mkResponder.id));
    const mk = await h.api.waitFor(() =>
      h.api.callsTo('views.publish').find((c) => c.args.user_id === USERS.mkResponder.id),
    );
    expect(JSON.stringify(mk.args.view)).not.toContain(caseRef);
    await h.driver.event(appHomeOpened(USERS.stranger.id));
    const s = await h.api.waitFor(() =>
      h.api.callsTo('views.publish').find((c) => c.args.user_id === USERS.stranger.id),
    );
    expect(JSON.stringify(s.args.view)).toContain('not in the Concordat protocol file');
  });
});

describe('request authenticity', () => {
  function ackClickBody(workflowId: string) {
    return interactionBody(
      blockAction({ user: USERS.responder, actionId: ACTION_IDS.acknowledge, value: workflowId }),
    );
  }

  it('refuses a forged signature, a stale or future timestamp, and a replay, with no effect', async () => {
    const { workflowId } = await startRequest();
    const before = engine().signals.length;
    const now = Math.floor(Date.now() / 1000);
    const forged = await postSigned(h.eventsUrl, ackClickBody(workflowId), {
      secret: 'not-the-secret',
      contentType: FORM,
    });
    const stale = await postSigned(h.eventsUrl, ackClickBody(workflowId), {
      secret: SIGNING_SECRET,
      contentType: FORM,
      timestamp: now - 360, // well outside 5 minutes even if the clock ticks between requests
    });
    const ahead = await postSigned(h.eventsUrl, ackClickBody(workflowId), {
      secret: SIGNING_SECRET,
      contentType: FORM,
      timestamp: now + 360,
    });
    const unsigned = await fetch(h.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: ackClickBody(workflowId),
    });
    expect([forged.status, stale.status, ahead.status, unsigned.status]).toEqual([401, 401, 401, 401]);
    // A body altered after signing.
    const body = ackClickBody(workflowId);
    const tampered = await postSigned(h.eventsUrl, body.replace('U0RESPONDER', 'U0EDTMGR'), {
      secret: SIGNING_SECRET,
      contentType: FORM,
      timestamp: now,
      signature: slackSignature(SIGNING_SECRET, now, body),
    });
    expect(tampered.status).toBe(401);
    // The same signed body twice: the first counts, the replay is refused.
    const first = await postSigned(h.eventsUrl, body, {
      secret: SIGNING_SECRET,
      contentType: FORM,
      timestamp: now,
    });
    const replay = await postSigned(h.eventsUrl, body, {
      secret: SIGNING_SECRET,
      contentType: FORM,
      timestamp: now,
    });
    expect([first.status, replay.status]).toEqual([200, 401]);
    await engine().settled();
    await new Promise((r) => setTimeout(r, 50));
    expect(engine().signals).toHaveLength(before + 1);
    expect(h.api.okCallsTo('chat.update')).toHaveLength(2);
  });

  it('serves a health check and 404s other paths', async () => {
    expect((await fetch(h.eventsUrl.replace('/slack/events', '/healthz'))).status).toBe(200);
    expect((await fetch(h.eventsUrl.replace('/slack/events', '/nope'), { method: 'POST' })).status).toBe(404);
  });
});
