import { expect } from 'vitest';
import { ACTION_IDS, VIEW_IDS } from '../../../../bots/slack/ids.js';
import {
  blockAction,
  el,
  slashCommand,
  viewSubmission,
  type ElementState,
} from '../../../fakes/slack/payloads.js';
import type { FakeSlackWebApi, StoredMessage } from '../../../fakes/slack/web-api-server.js';
import type { SlackDriver } from './driver.js';
import { buttonIds, requestForm } from './harness.js';
import { USERS } from './protocol.js';

/**
 * End-to-end paths through the bot as people use it, against the fake Slack. They find cards the
 * way a person would (by channel, custody record and wording), so they run unchanged against the
 * fake engine and against the real workflow on Temporal.
 */
export interface FlowContext {
  api: FakeSlackWebApi;
  driver: SlackDriver;
  /** Waits until background work (workflow, activities) has caught up; optional. */
  settle?: () => Promise<void>;
  timeoutMs?: number;
}

type OpenedView = { id: string; callback_id: string; private_metadata: string; blocks: unknown[] };

const topLevel = (m: StoredMessage) => m.threadTs === undefined;

export function cardsFor(api: FakeSlackWebApi, record: string) {
  const mine = api.messages.filter((m) => topLevel(m) && JSON.stringify(m.blocks).includes(record));
  return {
    responder: mine.filter((m) => / for .+: /.test(m.text) && m.text.startsWith('Bed request')),
    custody: mine.filter((m) => / at .+: /.test(m.text) && m.text.startsWith('Bed request')),
  };
}

async function oneCard(
  ctx: FlowContext,
  record: string,
  which: 'responder' | 'custody',
  until?: (m: StoredMessage) => boolean,
) {
  return ctx.api.waitFor(
    () => {
      const list = cardsFor(ctx.api, record)[which];
      const card = list.find((m) => m.channel.startsWith('C')) ?? list[0];
      return card && (!until || until(card)) ? card : undefined;
    },
    ctx.timeoutMs ?? 15_000,
    `${which} card for ${record}`,
  );
}

/** The modal opened after `since` calls to views.open. */
async function openedView(ctx: FlowContext, since: number, callbackId: string): Promise<OpenedView> {
  const call = await ctx.api.waitFor(
    () =>
      ctx.api
        .okCallsTo('views.open')
        .slice(since)
        .find((c) => (c.args.view as OpenedView).callback_id === callbackId),
    ctx.timeoutMs ?? 15_000,
    `modal ${callbackId}`,
  );
  const view = call.response?.view as OpenedView;
  return { ...(call.args.view as OpenedView), id: view.id };
}

export async function clickAndOpen(
  ctx: FlowContext,
  user: { id: string; name: string },
  card: StoredMessage,
  actionId: string,
  callbackId: string,
): Promise<OpenedView> {
  const since = ctx.api.okCallsTo('views.open').length;
  const value = (card.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>)
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id === actionId)?.value;
  expect(value, `button ${actionId} on the card`).toBeTruthy();
  const reply = await ctx.driver.interact(
    blockAction({ user, actionId, value: value ?? '', channel: card.channel, messageTs: card.ts }),
  );
  expect(reply.status).toBe(200);
  return openedView(ctx, since, callbackId);
}

export async function submit(
  ctx: FlowContext,
  user: { id: string; name: string },
  view: OpenedView,
  fields: Record<string, ElementState>,
) {
  return ctx.driver.interact(
    viewSubmission({
      user,
      callbackId: view.callback_id,
      viewId: view.id,
      privateMetadata: view.private_metadata,
      fields,
    }),
  );
}

/** `/bedrequest` → form → submission → both cards posted. Returns the custody record. */
export async function sergeantStartsRequest(ctx: FlowContext, overrides: Record<string, ElementState> = {}) {
  const since = ctx.api.okCallsTo('views.open').length;
  const ack = await ctx.driver.command(slashCommand({ user: USERS.sergeant, channel: 'C0CUSTODYNTH' }));
  expect(ack.status).toBe(200);
  const form = await openedView(ctx, since, VIEW_IDS.bedRequest);
  const fields = requestForm(overrides);
  const reply = await submit(ctx, USERS.sergeant, form, fields);
  expect(reply.body).toBe('');
  const record = (fields.custodyRecordNumber as { value: string }).value;
  const responder = await oneCard(ctx, record, 'responder');
  const custody = await oneCard(ctx, record, 'custody');
  expect(buttonIds(responder.blocks)).toContain(ACTION_IDS.offerBed);
  return { record, responder, custody };
}

/**
 * Asserts exactly one card per destination (the workflow may send the custody card both to the
 * suite's channel and to the sergeant's DM), each updated in place, and returns the channel ones.
 */
export function exactlyOneCardEach(ctx: FlowContext, record: string) {
  const cards = cardsFor(ctx.api, record);
  for (const [kind, list] of Object.entries(cards)) {
    expect(list.length, `${kind} cards`).toBeGreaterThan(0);
    const channels = list.map((m) => m.channel);
    expect(new Set(channels).size, `one ${kind} card per destination (${channels.join(', ')})`).toBe(
      list.length,
    );
  }
  const inChannel = (list: StoredMessage[]) =>
    (list.find((m) => m.channel.startsWith('C')) ?? list[0]) as StoredMessage;
  return { responder: inChannel(cards.responder), custody: inChannel(cards.custody) };
}

/** Slash command → responder Offer bed → sergeant Confirm transfer. */
export async function fullPath(ctx: FlowContext) {
  const { record, responder } = await sergeantStartsRequest(ctx);

  const offer = await clickAndOpen(ctx, USERS.responder, responder, ACTION_IDS.offerBed, VIEW_IDS.offerBed);
  expect(JSON.stringify(offer.blocks)).toContain('Provider or placement');
  const offered = await submit(ctx, USERS.responder, offer, {
    accommodation: el.radio('non_secure'),
    provider: el.text('Oak House children’s home'),
    transport: el.select('la_collects'),
    notes: el.text(null),
  });
  expect(offered.body).toBe('');
  // Confirm transfer is on the card before any offer (a transfer arranged by phone): wait for the offer.
  const custody = await oneCard(
    ctx,
    record,
    'custody',
    (m) =>
      buttonIds(m.blocks).includes(ACTION_IDS.confirmTransfer) &&
      JSON.stringify(m.blocks).includes('Oak House'),
  );

  const confirm = await clickAndOpen(
    ctx,
    USERS.sergeant,
    custody,
    ACTION_IDS.confirmTransfer,
    VIEW_IDS.confirmTransfer,
  );
  expect(JSON.stringify(confirm.blocks)).toMatch(/left until the court sitting/);
  const confirmed = await submit(ctx, USERS.sergeant, confirm, {
    leftCustodyAt: el.dateTime(Math.floor(Date.now() / 1000) - 60),
  });
  expect(confirmed.body).toBe('');
  await oneCard(ctx, record, 'custody', (m) => m.text.includes('Transferred to non-secure accommodation'));
  await oneCard(ctx, record, 'responder', (m) => m.text.includes('Transferred to non-secure accommodation'));
  await ctx.settle?.();
  const cards = exactlyOneCardEach(ctx, record);
  expect(buttonIds(cards.responder.blocks)).toEqual([]);
  expect(buttonIds(cards.custody.blocks)).toEqual([]);
  const thread = ctx.api.messages.filter((m) => m.threadTs === cards.custody.ts);
  expect(thread.map((m) => m.text).join('\n')).toMatch(/Bed offered/);
  return { record, cards };
}

/** Slash command → responder Decline → sergeant Child stays (a Note 16D reason refused inline first). */
export async function declinePath(ctx: FlowContext) {
  const { record, responder } = await sergeantStartsRequest(ctx);

  const decline = await clickAndOpen(ctx, USERS.responder, responder, ACTION_IDS.decline, VIEW_IDS.decline);
  // "Other" with no notes is refused inline.
  const bare = await submit(ctx, USERS.responder, decline, {
    reason: el.select('other'),
    notes: el.text(null),
  });
  expect(bare.body).toMatchObject({
    response_action: 'errors',
    errors: { notes: expect.stringMatching(/Explain/) as unknown },
  });
  const declined = await submit(ctx, USERS.responder, decline, {
    reason: el.select('no_non_secure_placement'),
    notes: el.text('Nothing in county tonight'),
  });
  expect(declined.body).toBe('');
  const custody = await oneCard(ctx, record, 'custody', (m) => m.text.includes('Declined'));

  const stay = await clickAndOpen(ctx, USERS.sergeant, custody, ACTION_IDS.recordStay, VIEW_IDS.recordStay);
  expect(JSON.stringify(stay.blocks)).not.toContain('no_secure_bed_serious_harm');
  const behaviour = await submit(ctx, USERS.sergeant, stay, {
    reason: el.select('child_behaviour'),
    explanation: el.text('The child was abusive to staff all evening'),
  });
  expect(behaviour.body).toMatchObject({
    response_action: 'errors',
    errors: { reason: expect.stringMatching(/Note 16D/) as unknown },
  });
  const stays = await submit(ctx, USERS.sergeant, stay, {
    reason: el.select('no_accommodation_provided'),
    explanation: el.text('EDT declined: no non-secure placement available in county tonight'),
  });
  expect(stays.body).toBe('');
  // A stay is not the end: held, bed still sought, with the certificate on the custody card and
  // "Child left the cells" in place of "Child stays" (docs/legal-rules.md).
  const held = await oneCard(ctx, record, 'custody', (m) =>
    m.text.includes('Held in custody, bed still sought'),
  );
  expect(JSON.stringify(held.blocks)).toContain('THE LOCAL AUTHORITY PROVIDED NO ACCOMMODATION');
  expect(buttonIds(held.blocks)).toContain(ACTION_IDS.recordLeftCells);
  expect(buttonIds(held.blocks)).not.toContain(ACTION_IDS.recordStay);
  const left = await clickAndOpen(
    ctx,
    USERS.sergeant,
    held,
    ACTION_IDS.recordLeftCells,
    VIEW_IDS.recordLeftCells,
  );
  const unchosen = await submit(ctx, USERS.sergeant, left, {
    leftFor: el.radio(null),
    leftAt: el.dateTime(Math.floor(Date.now() / 1000) - 60),
  });
  expect(unchosen.body).toMatchObject({
    response_action: 'errors',
    errors: { leftFor: 'Choose how the child left' },
  });
  const recorded = await submit(ctx, USERS.sergeant, left, {
    leftFor: el.radio('court'),
    leftAt: el.dateTime(Math.floor(Date.now() / 1000) - 60),
  });
  expect(recorded.body).toBe('');
  const closed = await oneCard(ctx, record, 'custody', (m) => m.text.includes('no non-secure bed provided'));
  expect(JSON.stringify(closed.blocks)).toContain('THE LOCAL AUTHORITY PROVIDED NO ACCOMMODATION');
  expect(JSON.stringify(closed.blocks)).toContain('left for court');
  await oneCard(ctx, record, 'responder', (m) => m.text.includes('no non-secure bed provided'));
  await ctx.settle?.();
  const cards = exactlyOneCardEach(ctx, record);
  expect(buttonIds(cards.custody.blocks)).toEqual([]);
  expect(JSON.stringify(cards.responder.blocks)).not.toContain('CERTIFICATE');
  return { record, cards };
}

/** Responder Need info → the question lands in the sergeant's thread with Answer → answered. */
export async function questionPath(ctx: FlowContext) {
  const { record, responder } = await sergeantStartsRequest(ctx);
  const ask = await clickAndOpen(
    ctx,
    USERS.responder,
    responder,
    ACTION_IDS.requestInfo,
    VIEW_IDS.requestInfo,
  );
  const short = await submit(ctx, USERS.responder, ask, { question: el.text('why') });
  expect(short.body).toMatchObject({ response_action: 'errors' });
  expect(
    (
      await submit(ctx, USERS.responder, ask, {
        question: el.text('Does the child need medication tonight?'),
      })
    ).body,
  ).toBe('');
  const custody = await oneCard(ctx, record, 'custody', (m) =>
    buttonIds(m.blocks).includes(ACTION_IDS.answerInfo),
  );
  const note = await ctx.api.waitFor(
    () =>
      ctx.api.messages.find(
        (m) => m.threadTs === custody.ts && m.text.includes('Does the child need medication'),
      ),
    ctx.timeoutMs ?? 15_000,
    'question in the sergeant thread',
  );
  expect(buttonIds(note.blocks)).toEqual([ACTION_IDS.answerInfo]);
  // Answer from the note in the thread.
  const answer = await clickAndOpen(ctx, USERS.sergeant, note, ACTION_IDS.answerInfo, VIEW_IDS.answerInfo);
  expect(JSON.stringify(answer.blocks)).toContain('Does the child need medication tonight?');
  expect(
    (await submit(ctx, USERS.sergeant, answer, { answer: el.text('Yes: inhaler, in the property bag') }))
      .body,
  ).toBe('');
  await ctx.api.waitFor(
    () =>
      ctx.api.messages.find(
        (m) => m.threadTs === custody.ts && m.text.includes('inhaler, in the property bag'),
      ),
    ctx.timeoutMs ?? 15_000,
    'answer in the sergeant thread',
  );
  await oneCard(ctx, record, 'custody', (m) => !buttonIds(m.blocks).includes(ACTION_IDS.answerInfo));
  await ctx.settle?.();
  exactlyOneCardEach(ctx, record);
}
