// An inspector's countersignature of the s.38(6) certificate (docs/legal-rules.md,
// "Countersignature by an inspector": a protocol option, not the law), on the time-skipping test
// server with the real worker, real activities and a PGlite store: the stay's certificate awaits
// countersignature; the inspectors are paged with a card (the certificate and a Countersign button)
// and re-paged on the protocol's timer; a non-inspector and the certifying sergeant are refused
// with coded failures; the countersignature is audited, makes the certificate final, shows on
// every card and in the outcome record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bedRequestWorkflowId, type BedRequestForm } from '../../../domain/bed-request.js';
import { availableActions } from '../../../domain/available-actions.js';
import { FailureCode } from '../../../domain/failures.js';
import type { Actor } from '../../../domain/people.js';
import type { Protocol } from '../../../domain/protocol.js';
import type { RequestView } from '../../../domain/request-view.js';
import { createBedRequestClient } from '../../../runtime/bed-request-client.js';
import { bedRequestWorkflow } from '../../../workflows/bed-request/bed-request-workflow.js';
import {
  PEOPLE,
  actAs,
  bedRequest,
  createHarness,
  eventually,
  testProtocol,
  viewWhen,
  type Harness,
} from '../../support/workflow-harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

const INSPECTOR: Actor = { platform: 'slack', userId: 'U0INSP', displayName: 'Insp. Grey' };
const INSPECTOR_TEAMS = '00000000-0000-0000-0000-0000000000e1';

/**
 * The test protocol: the example, with countersignature on (re-paged every 30 minutes), an
 * inspector on both platforms, and the sergeant also holding the inspector role (acting up), so
 * the rule against countersigning one's own certificate is what refuses them.
 */
function countersignProtocol(more: Array<{ name: string; slack: string }> = []): Protocol {
  return testProtocol((f) => {
    f.certificate = { countersignature: { required: true, pageAfter: '30m' } };
    f.people = [
      ...(f.people ?? []).map((p) =>
        p.slack === PEOPLE.sergeant.userId ? { ...p, roles: [...p.roles, 'inspector' as const] } : p,
      ),
      { name: 'Insp. Grey', slack: INSPECTOR.userId, teams: INSPECTOR_TEAMS, roles: ['inspector'] },
      ...more.map((p) => ({ ...p, roles: ['inspector' as const] })),
    ];
  });
}

let h: Harness;
let seq = 0;

beforeAll(async () => {
  // A Tuesday evening in January 2026 (GMT), out of office hours.
  h = await createHarness({
    startAt: '2026-01-06T19:00:00Z',
    taskQueue: 'bed-request-countersign',
    protocol: countersignProtocol(),
  });
});
afterAll(async () => {
  await h?.teardown();
});

async function open(over: Partial<BedRequestForm> = {}): Promise<string> {
  const now = await h.nowMs();
  seq += 1;
  const r = await h.client.start(
    bedRequest({
      custodyRecordNumber: `NC-CSIG-${String(seq).padStart(4, '0')}`,
      child: { pncId: `26/${400000 + seq}F` },
      chargedAt: iso(now - 10 * MIN),
      nextCourtSitting: iso(now + 15 * HOUR),
      ...over,
    }),
    iso(now),
  );
  expect(r.status).toBe('started');
  await eventually(() => h.client.view(r.workflowId));
  return r.workflowId;
}

const stay = (id: string) =>
  actAs(h, id, PEOPLE.sergeant, {
    kind: 'record_stay',
    reason: 'impracticable_medical',
    explanation: 'Taken to A&E at 19:10 with a head injury; still being treated',
  });

/** The inspectors' cards posted for this request (one per destination per page). */
const inspectorPosts = (id: string) =>
  h.chat
    .ofKind('request_card')
    .filter((s) => s.op === 'post' && s.message.view.workflowId === id && s.message.audience === 'inspector');

const events = (id: string) => h.store.listEvents(id);
const refusedCodes = async (id: string) =>
  (await events(id)).filter((e) => e.type === 'action_refused').map((e) => e.data.code);

describe('an inspector countersigns the certificate (protocol option)', () => {
  it('pages the inspectors, re-pages every 30 minutes, refuses a non-inspector and the certifying sergeant, and audits the countersignature', async () => {
    const id = await open(); // 19:00
    await stay(id);
    const held = await viewWhen(h, id, (v) => v.stay?.countersignature?.status === 'awaiting');
    expect(held.status).toBe('held_bed_sought');

    // The first page: a card to the inspector on both platforms, naming the case and carrying the
    // certificate and the Countersign button. Not to the sergeant who certified (who holds the role).
    await eventually(() => inspectorPosts(id).length >= 2 || undefined);
    const first = inspectorPosts(id);
    expect(first.map((s) => s.destination.address).sort()).toEqual(
      [INSPECTOR_TEAMS, INSPECTOR.userId].sort(),
    );
    const card = first[0]?.message;
    if (card?.kind !== 'request_card') throw new Error('no inspector card');
    expect(card.view.caseRef).toBe(held.caseRef);
    expect(card.view.stay?.certificate).toContain('SECTION 38(6)');
    expect(availableActions(card.view, card.audience).map((a) => a.kind)).toEqual(['countersign']);
    const stayRow = (await events(id)).find((e) => e.type === 'record_stay');
    expect(stayRow?.data).toMatchObject({ reason: 'impracticable_medical', countersignature: 'awaiting' });
    expect((await events(id)).filter((e) => e.type === 'countersign_paged').map((e) => e.data.page)).toEqual([
      1,
    ]);

    // Nobody countersigns: 30 minutes on, a second page to the same inspectors.
    await h.advanceTo('2026-01-06T19:31:00Z');
    await eventually(() => inspectorPosts(id).length >= 4 || undefined);
    const paged = await viewWhen(h, id, (v) => v.stay?.countersignature?.pagedAt.length === 2);
    const pagedAt = paged.stay?.countersignature?.pagedAt ?? [];
    expect(Date.parse(pagedAt[1] ?? '') - Date.parse(pagedAt[0] ?? '')).toBe(30 * MIN);
    expect((await events(id)).filter((e) => e.type === 'countersign_paged').map((e) => e.data.page)).toEqual([
      1, 2,
    ]);

    // A responder may not countersign; nor may the sergeant who certified, though acting inspector.
    await actAs(h, id, PEOPLE.responder, { kind: 'countersign' });
    await actAs(h, id, PEOPLE.sergeant, { kind: 'countersign' });
    await eventually(async () => ((await refusedCodes(id)).length >= 2 ? true : undefined));
    expect(await refusedCodes(id)).toEqual([
      FailureCode.RoleNotPermitted,
      FailureCode.CountersignOwnCertificate,
    ]);
    expect(
      h.chat.notifications
        .filter((n) => n.refusal.code === FailureCode.CountersignOwnCertificate)
        .map((n) => n.person.userId),
    ).toEqual([PEOPLE.sergeant.userId]);
    expect((await h.client.view(id))?.stay?.countersignature?.status).toBe('awaiting');

    // The inspector countersigns at 19:40: audited (who, when, which certificate), final.
    await h.advanceTo('2026-01-06T19:40:00Z');
    await actAs(h, id, INSPECTOR, { kind: 'countersign' });
    const signed = await viewWhen(h, id, (v) => v.stay?.countersignature?.status === 'countersigned');
    const c = signed.stay?.countersignature;
    if (c?.status !== 'countersigned') throw new Error('not countersigned');
    expect(c.by.userId).toBe(INSPECTOR.userId);
    expect(signed.stay?.certificate).toMatch(
      /Countersigned by inspector Insp\. Grey \(U0INSP\) at Tue 6 Jan 2026, 19:4\d GMT\.$/,
    );
    const row = await eventually(async () => (await events(id)).find((e) => e.type === 'countersign'));
    expect(row.actor?.userId).toBe(INSPECTOR.userId);
    expect(row.data).toMatchObject({
      certifiedBy: PEOPLE.sergeant.userId,
      certifiedAt: held.stay?.at,
      stayReason: 'impracticable_medical',
      countersignedAt: c.at,
      pages: 2,
    });
    expect(String(row.data.fingerprint)).toMatch(/^[0-9a-f]{8}$/);

    // Every card shows it, the inspectors' cards lose their button, and the thread hears of it.
    await eventually(
      () =>
        h.chat
          .ofKind('request_card')
          .some(
            (s) =>
              s.op === 'update' &&
              s.message.view.workflowId === id &&
              s.message.audience === 'custody' &&
              s.message.view.stay?.countersignature?.status === 'countersigned',
          ) || undefined,
    );
    const inspectorUpdates = await eventually(() => {
      const updates = h.chat
        .ofKind('request_card')
        .filter(
          (s) =>
            s.op === 'update' &&
            s.message.view.workflowId === id &&
            s.message.audience === 'inspector' &&
            s.message.view.stay?.countersignature?.status === 'countersigned',
        );
      return updates.length >= 4 ? updates : undefined; // two pages × two destinations
    });
    for (const u of inspectorUpdates) expect(availableActions(u.message.view, 'inspector')).toEqual([]);
    await eventually(() =>
      h.chat
        .ofKind('event_note')
        .some(
          (s) => s.message.view.workflowId === id && s.message.event.type === 'certificate_countersigned',
        ),
    );

    // No more pages once countersigned.
    const postsBefore = inspectorPosts(id).length;
    await h.advanceTo('2026-01-06T21:00:00Z');
    expect(inspectorPosts(id).length).toBe(postsBefore);
    expect((await events(id)).filter((e) => e.type === 'countersign_paged')).toHaveLength(2);
    // A second countersignature is refused as already given.
    await actAs(h, id, INSPECTOR, { kind: 'countersign' });
    await eventually(async () => ((await refusedCodes(id)).length >= 3 ? true : undefined));
    expect((await refusedCodes(id))[2]).toBe(FailureCode.CertificateAlreadyCountersigned);

    // The child leaves for court: the outcome record carries the countersignature.
    await actAs(h, id, PEOPLE.sergeant, {
      kind: 'record_left_cells',
      leftFor: 'court',
      leftAt: '2026-01-06T20:55:00Z',
    });
    const final = await h.result<RequestView>(id);
    expect(final.outcome?.certificateCountersignature?.status).toBe('countersigned');
    const rec = await h.store.getOutcome(id);
    expect(rec).toMatchObject({
      outcome: 'detained_impracticable',
      certificateCountersignature: 'countersigned',
      certificateCountersignedAt: new Date(c.at).toISOString(),
    });
    expect(rec?.actors.countersigned?.userId).toBe(INSPECTOR.userId);
    expect(rec?.certificate).toContain('Countersigned by inspector Insp. Grey');
  });

  it('the child leaves before anyone countersigns: the re-pages stop and the outcome says it was awaiting', async () => {
    const id = await open();
    await stay(id);
    await eventually(() => inspectorPosts(id).length >= 2 || undefined);
    const now = await h.nowMs();
    await actAs(h, id, PEOPLE.sergeant, { kind: 'record_left_cells', leftFor: 'bailed', leftAt: iso(now) });
    const final = await h.result<RequestView>(id);
    expect(final.outcome?.certificateCountersignature).toMatchObject({ status: 'awaiting' });
    const rec = await h.store.getOutcome(id);
    expect(rec?.certificateCountersignature).toBe('awaiting');
    expect(rec?.certificateCountersignedAt).toBeUndefined();
    expect(rec?.actors.countersigned).toBeUndefined();
  });

  it('the pages carry across continue-as-new: re-paged in the new run, every card updated when countersigned', async () => {
    const now = await h.nowMs();
    seq += 1;
    const request = bedRequest({
      custodyRecordNumber: `NC-CSIG-CAN${seq}`,
      child: { pncId: `26/${400000 + seq}G` },
      chargedAt: iso(now - 10 * MIN),
      nextCourtSitting: iso(now + 15 * HOUR),
    });
    const id = bedRequestWorkflowId(request.custodySuiteId, request.custodyRecordNumber);
    const handle = await h.temporal.workflow.start(bedRequestWorkflow, {
      taskQueue: h.taskQueue,
      workflowId: id,
      args: [{ request, requestedAt: iso(now), continueAsNewAtHistoryLength: 60 }],
    });
    await eventually(() => h.client.view(id));
    await stay(id);
    await viewWhen(h, id, (v) => v.stay?.countersignature?.pagedAt.length === 1);
    // Two and a half hours unsigned: re-paged every 30 minutes, the run continued as new on the way.
    await h.advance(2 * HOUR + 31 * MIN);
    const paged = await viewWhen(h, id, (v) => (v.stay?.countersignature?.pagedAt.length ?? 0) >= 6);
    expect((await h.temporal.workflow.getHandle(id).describe()).runId).not.toBe(handle.firstExecutionRunId);
    const pagedAt = paged.stay?.countersignature?.pagedAt ?? [];
    expect(pagedAt.slice(1).map((t, i) => Date.parse(t) - Date.parse(pagedAt[i] ?? ''))).toEqual(
      Array.from({ length: pagedAt.length - 1 }, () => 30 * MIN),
    );
    await actAs(h, id, INSPECTOR, { kind: 'countersign' });
    await viewWhen(h, id, (v) => v.stay?.countersignature?.status === 'countersigned');
    // Every page's card, those of the first run too, is updated in place to say so.
    const pages = pagedAt.length;
    await eventually(() => {
      const updated = h.chat
        .ofKind('request_card')
        .filter(
          (s) =>
            s.op === 'update' &&
            s.message.view.workflowId === id &&
            s.message.audience === 'inspector' &&
            s.message.view.stay?.countersignature?.status === 'countersigned',
        );
      return updated.length >= pages * 2 || undefined;
    });
    await actAs(h, id, PEOPLE.sergeant, { kind: 'cancel', reason: 'bailed', notes: '' });
    const final = await h.result<RequestView>(id);
    expect(final.outcome?.certificateCountersignature?.status).toBe('countersigned');
  });

  it('a re-page that fell due before the inspector countersigned is owed first, even when the action arrives before its timer', async () => {
    const id = await open();
    await stay(id);
    const held = await viewWhen(h, id, (v) => v.stay?.countersignature?.pagedAt.length === 1);
    const firstPage = Date.parse(held.stay?.countersignature?.pagedAt[0] ?? '');
    // The inspector's client stamped the press 31 minutes on; the workflow hears of it first.
    const late = createBedRequestClient(h.temporal, {
      taskQueue: h.taskQueue,
      actionClock: () => firstPage + 31 * MIN,
    });
    await late.act(id, {
      actionId: `owed-countersign-${seq}`,
      actor: INSPECTOR,
      action: { kind: 'countersign' },
    });
    const signed = await viewWhen(h, id, (v) => v.stay?.countersignature?.status === 'countersigned');
    // Paged again before the countersignature: at its due time, or at the press's stamp when another
    // owed page (a review at a fixed time) moved the clock there first.
    const pagedAt = (signed.stay?.countersignature?.pagedAt ?? []).map((t) => Date.parse(t));
    expect(pagedAt).toHaveLength(2);
    expect(pagedAt[0]).toBe(firstPage);
    expect(pagedAt[1]).toBeGreaterThanOrEqual(firstPage + 30 * MIN);
    expect(pagedAt[1]).toBeLessThanOrEqual(firstPage + 31 * MIN);
    const types = await eventually(async () => {
      const t = (await events(id)).map((e) => e.type);
      return t.includes('countersign') ? t : undefined;
    });
    expect(types.lastIndexOf('countersign_paged')).toBeLessThan(types.indexOf('countersign'));
    await actAs(h, id, PEOPLE.sergeant, { kind: 'cancel', reason: 'bailed', notes: '' });
    await h.result(id);
  });

  it('the roster is live: an inspector rostered after the stay is paged at the next re-page, and may countersign', async () => {
    const id = await open();
    await stay(id);
    await eventually(() => inspectorPosts(id).length >= 2 || undefined);
    expect(inspectorPosts(id).map((s) => s.destination.address)).not.toContain('U0INSP2');
    const relief: Actor = { platform: 'slack', userId: 'U0INSP2', displayName: 'Insp. Relief' };
    h.setProtocol(countersignProtocol([{ name: 'Insp. Relief', slack: relief.userId }]));
    try {
      await h.advance(31 * MIN);
      await eventually(
        () => inspectorPosts(id).some((s) => s.destination.address === relief.userId) || undefined,
      );
      await actAs(h, id, relief, { kind: 'countersign' });
      const signed = await viewWhen(h, id, (v) => v.stay?.countersignature?.status === 'countersigned');
      expect(
        signed.stay?.countersignature?.status === 'countersigned' && signed.stay.countersignature.by.userId,
      ).toBe(relief.userId);
      await actAs(h, id, PEOPLE.sergeant, { kind: 'cancel', reason: 'bailed', notes: '' });
      await h.result(id);
    } finally {
      h.setProtocol(countersignProtocol());
    }
  });

  it('a protocol that does not ask for it: the certificate is final at once and nobody is paged', async () => {
    h.setProtocol(testProtocol());
    try {
      const id = await open();
      await stay(id);
      const held = await viewWhen(h, id, (v) => v.status === 'held_bed_sought');
      expect(held.stay?.countersignature).toBeUndefined();
      await h.advance(HOUR);
      expect(inspectorPosts(id)).toEqual([]);
      expect((await events(id)).map((e) => e.type)).not.toContain('countersign_paged');
      await actAs(h, id, INSPECTOR, { kind: 'countersign' });
      await eventually(async () => ((await refusedCodes(id)).length >= 1 ? true : undefined));
      // The shipped protocol has no inspector: the role is refused before the state is looked at.
      expect(await refusedCodes(id)).toEqual([FailureCode.RoleNotPermitted]);
      await actAs(h, id, PEOPLE.sergeant, { kind: 'cancel', reason: 'bailed', notes: '' });
      await h.result(id);
    } finally {
      h.setProtocol(countersignProtocol());
    }
  });
});
