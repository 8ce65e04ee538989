// The bed-request activities in an activity context (MockActivityEnvironment), against a real
// PGlite records store and a recording chat port.
import { randomBytes } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type OpenAndPostInput } from '../../activities/index.js';
import { firstView } from '../../domain/opening.js';
import { FailureCode } from '../../domain/failures.js';
import type { OutcomeCode } from '../../domain/outcomes.js';
import type { Actor } from '../../domain/people.js';
import type { Protocol } from '../../domain/protocol.js';
import type { RequestView } from '../../domain/request-view.js';
import { openStore, type Store } from '../../store/open-store.js';
import type { NewRequest, OutcomeRecord } from '../../store/records-store.js';
import { RecordingChatPort } from '../support/recording-chat-port.js';
import { bedRequest, testProtocol } from '../support/workflow-harness.js';

const SERGEANT: Actor = { platform: 'slack', userId: 'U0SERGEANT' };
const DAY = 86_400_000;

let store: Store;
let chat: RecordingChatPort;
let protocol: Protocol;
let acts: ReturnType<typeof createActivities>;
const mock = new MockActivityEnvironment();
/** Runs an activity in the mock activity context, keeping its types. */
const env = {
  run: <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
    mock.run<A, R, (...args: A) => Promise<R>>(fn, ...args),
};

beforeAll(async () => {
  store = await openStore({
    dataDir: 'memory://',
    secrets: { pseudonymKey: randomBytes(32), dataKey: randomBytes(32) },
  });
  chat = new RecordingChatPort();
  protocol = testProtocol();
  acts = createActivities({ chat, store, protocol: () => protocol });
});
afterAll(async () => {
  await store?.close();
});

function newRequest(n: number, pncId: string, chargedAt: string): NewRequest {
  return {
    workflowId: `bed-request:NORTHAMPTON-CJC:ACT-${n}`,
    custodyRecordNumber: `ACT-${n}`,
    custodySuiteId: 'northampton-cjc',
    localAuthorityId: 'west-northamptonshire',
    route: 'out_of_hours',
    outOfArea: false,
    age: 15,
    accommodation: 'non_secure',
    chargedAt,
    requestedAt: chargedAt,
    nextCourtSitting: new Date(Date.parse(chargedAt) + DAY / 2).toISOString(),
    requestingOfficer: SERGEANT,
    identity: { pncId },
  };
}

function outcome(r: NewRequest, code: OutcomeCode): OutcomeRecord {
  return {
    workflowId: r.workflowId,
    outcome: code,
    chargedAt: r.chargedAt,
    requestedAt: r.requestedAt,
    endedAt: r.nextCourtSitting,
    escalationLevel: 2,
    overnight: true,
    weekend: false,
    declineReasons: [],
    actors: { requested: SERGEANT, resolved: SERGEANT },
  };
}

const cardView = (workflowId: string) => ({ workflowId }) as unknown as RequestView;

describe('snapshotProtocol', () => {
  it('snapshots the route and ladder, and a later protocol edit does not touch it', async () => {
    const snap = await env.run(acts.snapshotProtocol, {
      request: { custodySuiteId: 'northampton-cjc', homeLocalAuthorityId: 'west-northamptonshire' },
      requestedAt: '2013-02-18T21:05:00Z',
    });
    expect(snap.routing).toMatchObject({ route: 'out_of_hours', reason: 'outside_office_hours' });
    expect(snap.responderDestinations.map((d) => d.address)).toEqual(['C0EDT', '19:edt@thread.tacv2']);
    const before = JSON.stringify(snap);
    protocol.ladder.steps[0]!.after = 1;
    protocol.custodySuites[0]!.name = 'Renamed';
    expect(JSON.stringify(snap)).toBe(before);
    protocol = testProtocol();
  });

  it('fails, not retryable, on an unknown custody suite or local authority', async () => {
    const err = await env
      .run(acts.snapshotProtocol, {
        request: { custodySuiteId: 'nowhere', homeLocalAuthorityId: 'west-northamptonshire' },
        requestedAt: '2013-02-18T21:05:00Z',
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: FailureCode.UnknownCustodySuite, nonRetryable: true });
    await expect(
      env.run(acts.snapshotProtocol, {
        request: { custodySuiteId: 'northampton-cjc', homeLocalAuthorityId: 'atlantis' },
        requestedAt: '2013-02-18T21:05:00Z',
      }),
    ).rejects.toMatchObject({ type: FailureCode.UnknownLocalAuthority });
  });
});

describe('registerRequest', () => {
  it('returns only the case reference, the same one on a retry', async () => {
    const r = newRequest(1, '13/111111A', '2013-02-18T21:00:00.000Z');
    const first = await env.run(acts.registerRequest, r);
    const again = await env.run(acts.registerRequest, r);
    expect(Object.keys(first)).toEqual(['caseRef']);
    expect(first.caseRef).toMatch(/^CN-[0-9A-Z]{6,}$/);
    expect(again).toEqual(first);
    expect(await store.getIdentity(r.workflowId)).toEqual({ pncId: '13/111111A' });
  });
});

describe('openAndPost', () => {
  const request = (n: number) =>
    bedRequest({ custodyRecordNumber: `OPEN-${n}`, child: { pncId: `13/77777${n}A` } });
  const input = (n: number, over: { custodySuiteId?: string } = {}): OpenAndPostInput => {
    const r = { ...request(n), ...over };
    const workflowId = `bed-request:NORTHAMPTON-CJC:OPEN-${n}`;
    return {
      workflowId,
      request: r,
      requestedAt: '2013-02-18T21:05:00.000Z',
      registration: {
        workflowId,
        custodyRecordNumber: r.custodyRecordNumber,
        custodySuiteId: r.custodySuiteId,
        localAuthorityId: r.homeLocalAuthorityId,
        age: r.age,
        accommodation: r.accommodation,
        chargedAt: r.chargedAt,
        requestedAt: '2013-02-18T21:05:00.000Z',
        nextCourtSitting: r.nextCourtSitting,
        requestingOfficer: r.requestingOfficer,
        identity: r.child,
      },
      responderStep: 'card:responder',
    };
  };
  const responderCards = (workflowId: string) =>
    chat.sends.filter(
      (s) =>
        s.message.kind === 'request_card' &&
        s.message.audience === 'responder' &&
        s.message.view.workflowId === workflowId,
    );

  it('snapshots, registers with the route, and posts the responder card from the first view', async () => {
    chat.clear();
    const i = input(1);
    const opened = await env.run(acts.openAndPost, i);
    expect(opened.snapshot.routing.route).toBe('out_of_hours');
    expect(opened.caseRef).toMatch(/^CN-[0-9A-Z]{6,}$/);
    expect(opened.repeat).toEqual({ earlier: null, alert: null });
    expect(await store.getRequest(i.workflowId)).toMatchObject({ caseRef: opened.caseRef });
    // Both EDT destinations (Slack and Teams), each posted once, from the view the workflow keeps.
    expect(opened.posted).toEqual(['slack:C0EDT', 'teams:19:edt@thread.tacv2']);
    expect(opened.retryAfterMs).toBe(0);
    const { view } = firstView(i.request, {
      workflowId: i.workflowId,
      caseRef: opened.caseRef,
      snapshot: opened.snapshot,
      requestedAt: i.requestedAt,
      earlier: null,
    });
    expect(responderCards(i.workflowId).map((s) => [s.op, s.message])).toEqual([
      ['post', { kind: 'request_card', audience: 'responder', view }],
      ['post', { kind: 'request_card', audience: 'responder', view }],
    ]);
  });

  it('retried whole, registers once and updates its cards in place, never a second post', async () => {
    chat.clear();
    const i = input(2);
    const first = await env.run(acts.openAndPost, i);
    const again = await env.run(acts.openAndPost, i);
    expect(again.caseRef).toBe(first.caseRef);
    expect(responderCards(i.workflowId).map((s) => s.op)).toEqual(['post', 'post', 'update', 'update']);
  });

  it('leaves a card whose chat call failed to the workflow, and still opens', async () => {
    chat.clear();
    chat.failNext(1, FailureCode.ChatUnavailable);
    const i = input(3);
    const opened = await env.run(acts.openAndPost, i);
    // One of the two destinations failed; only the other is reported posted, and it alone has a card.
    expect(opened.posted).toHaveLength(1);
    const cards = responderCards(i.workflowId);
    expect(cards.map((s) => `${s.destination.platform}:${s.destination.address}`)).toEqual(opened.posted);
    expect(opened.retryAfterMs).toBe(0);
    expect(await store.getRequest(i.workflowId)).not.toBeNull();
  });

  it('fails on a store failure, so the whole opening is retried', async () => {
    const broken = createActivities({
      chat,
      store: new Proxy(store, {
        get(target, prop, receiver) {
          if (prop === 'saveDelivery') return () => Promise.reject(new Error('database is down'));
          return Reflect.get(target, prop, receiver) as unknown;
        },
      }),
      protocol: () => protocol,
    });
    await expect(env.run(broken.openAndPost, input(4))).rejects.toThrow('database is down');
  });

  it('fails, not retryable, on an unknown custody suite, before registering anything', async () => {
    const i = input(5, { custodySuiteId: 'nowhere' });
    await expect(env.run(acts.openAndPost, i)).rejects.toMatchObject({
      type: FailureCode.UnknownCustodySuite,
      nonRetryable: true,
    });
    expect(await store.getRequest(i.workflowId)).toBeNull();
  });
});

describe('deliver', () => {
  const destination = { platform: 'slack' as const, address: 'C0EDT' };

  it('posts once per (workflow, step, destination), then updates that message in place', async () => {
    chat.clear();
    const input = {
      workflowId: 'wf-deliver',
      step: 'card:responder',
      destination,
      message: {
        kind: 'request_card' as const,
        audience: 'responder' as const,
        view: cardView('wf-deliver'),
      },
    };
    const ref = await env.run(acts.deliver, input);
    const again = await env.run(acts.deliver, input);
    expect(again).toEqual(ref);
    expect(chat.sends.map((s) => s.op)).toEqual(['post', 'update']);
    expect(chat.sends[1]?.options.existing).toEqual(ref);
    expect(await store.getDelivery('wf-deliver', 'card:responder', 'slack:C0EDT')).toEqual(ref);
  });

  it('threads a note under the step it names, at the same destination', async () => {
    chat.clear();
    const card = await env.run(acts.deliver, {
      workflowId: 'wf-thread',
      step: 'card:custody',
      destination,
      message: { kind: 'request_card', audience: 'custody', view: cardView('wf-thread') },
    });
    await env.run(acts.deliver, {
      workflowId: 'wf-thread',
      step: 'note:1',
      destination,
      message: { kind: 'event_note', view: cardView('wf-thread'), event: { type: 'acknowledged' } },
      threadOfStep: 'card:custody',
    });
    expect(chat.sends[1]?.options).toEqual({
      threadOf: card,
      deliveryId: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
    });
  });

  it('a failed send stores nothing, so the retry posts exactly one message', async () => {
    chat.clear();
    chat.failNext(2);
    const input = {
      workflowId: 'wf-retry',
      step: 'esc:0:1',
      destination,
      message: { kind: 'request_card' as const, audience: 'responder' as const, view: cardView('wf-retry') },
    };
    for (let attempt = 1; attempt <= 2; attempt++) {
      await expect(env.run(acts.deliver, input)).rejects.toMatchObject({ type: FailureCode.ChatUnavailable });
      expect(await store.getDelivery('wf-retry', 'esc:0:1', 'slack:C0EDT')).toBeNull();
    }
    await env.run(acts.deliver, input);
    await env.run(acts.deliver, input); // a retry after success: an update, not a second post
    expect(chat.sends.map((s) => s.op)).toEqual(['post', 'update']);
    expect(chat.attempts).toBe(4);
  });
});

describe('notifyPerson and appendEvent', () => {
  it('tells one person privately, with the coded refusal', async () => {
    chat.clear();
    await env.run(acts.notifyPerson, {
      person: { platform: 'slack', userId: 'U0RESPONDER', channel: 'C0EDT' },
      refusal: {
        code: FailureCode.OfferAlreadyAccepted,
        params: { by: 'EDT worker', at: '2013-02-18T22:00:00Z' },
      },
    });
    expect(chat.notifications).toHaveLength(1);
    expect(chat.notifications[0]?.refusal.code).toBe(FailureCode.OfferAlreadyAccepted);
  });

  it('appends an audit event once per event ID', async () => {
    const event = {
      eventId: 'wf-audit:1',
      workflowId: 'wf-audit',
      type: 'escalated',
      at: '2013-02-18T22:05:00.000Z',
      data: { level: 2 },
    };
    await env.run(acts.appendEvent, event);
    await env.run(acts.appendEvent, event);
    expect((await store.listEvents('wf-audit')).map((e) => e.eventId)).toEqual(['wf-audit:1']);
  });
});

describe('recordOutcome and repeat detention', () => {
  const windowMs = 365 * DAY;

  it('alerts on the second and later detentions of the same child in the window, not the first', async () => {
    const pnc = '13/222222B';
    const old = newRequest(10, pnc, '2011-12-01T21:00:00.000Z'); // outside the 12-month window
    const first = newRequest(11, pnc, '2013-02-18T21:00:00.000Z');
    const transferred = newRequest(12, pnc, '2013-02-20T21:00:00.000Z'); // not a detention
    const second = newRequest(13, pnc, '2013-02-25T21:00:00.000Z');
    const third = newRequest(14, pnc, '2013-03-04T21:00:00.000Z');
    for (const r of [old, first, transferred, second, third]) await env.run(acts.registerRequest, r);

    expect(
      await env.run(acts.recordOutcome, {
        outcome: outcome(old, 'detained_no_bed_non_secure'),
        repeatWindowMs: windowMs,
      }),
    ).toEqual({ repeatAlert: null });
    expect(
      await env.run(acts.recordOutcome, {
        outcome: outcome(first, 'detained_no_bed_non_secure'),
        repeatWindowMs: windowMs,
      }),
    ).toEqual({ repeatAlert: null });
    expect(
      await env.run(acts.recordOutcome, {
        outcome: outcome(transferred, 'transferred_non_secure'),
        repeatWindowMs: windowMs,
      }),
    ).toEqual({ repeatAlert: null });

    const r2 = await env.run(acts.recordOutcome, {
      outcome: outcome(second, 'detained_no_bed_non_secure'),
      repeatWindowMs: windowMs,
    });
    expect(r2.repeatAlert?.windowDays).toBe(365);
    expect(
      r2.repeatAlert?.detentions.map((d) => [d.custodyRecordNumber, d.outcome, d.custodySuiteName]),
    ).toEqual([
      ['ACT-11', 'detained_no_bed_non_secure', 'Northampton Criminal Justice Centre'],
      ['ACT-13', 'detained_no_bed_non_secure', 'Northampton Criminal Justice Centre'],
    ]);
    const registered = await store.getRequest(second.workflowId);
    expect(r2.repeatAlert?.childRef).toBe(registered?.childPseudonym.slice(0, 10));
    expect(JSON.stringify(r2)).not.toContain(pnc);

    const r3 = await env.run(acts.recordOutcome, {
      outcome: outcome(third, 'court_before_transfer'),
      repeatWindowMs: windowMs,
    });
    expect(r3.repeatAlert?.detentions.map((d) => d.custodyRecordNumber)).toEqual([
      'ACT-11',
      'ACT-13',
      'ACT-14',
    ]);

    // A retried recordOutcome writes nothing new and answers the same.
    const again = await env.run(acts.recordOutcome, {
      outcome: outcome(second, 'detained_no_bed_non_secure'),
      repeatWindowMs: windowMs,
    });
    expect(again.repeatAlert?.detentions).toHaveLength(2);
    expect((await store.getOutcome(second.workflowId))?.outcome).toBe('detained_no_bed_non_secure');
  });
});
