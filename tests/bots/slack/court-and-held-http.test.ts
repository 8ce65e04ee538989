// Issue 11, items 2, 3 and 8 on Slack, over real HTTP against the fake Slack, with the real
// bed-request workflow on the Temporal test server behind the desk: "Amend court sitting" (the
// amendment reaches the workflow, is audited, and the card shows the new sitting; a sitting already
// passed or before the charge is refused in the form's ack), "Child left the cells" after a stay
// (refused inline without a choice, a time in the future refused, then recorded and the request
// ends), and Confirm transfer with no offer in chat: a transfer arranged by phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS, VIEW_IDS } from '../../../bots/slack/ids.js';
import { formatTime } from '../../../bots/shared/view-text.js';
import { bedRequestWorkflowId } from '../../../domain/bed-request.js';
import { FailureCode } from '../../../domain/failures.js';
import { el } from '../../fakes/slack/payloads.js';
import type { StoredMessage } from '../../fakes/slack/web-api-server.js';
import { eventually } from '../../support/workflow-harness.js';
import { cardsFor, clickAndOpen, sergeantStartsRequest, submit, type FlowContext } from './support/flows.js';
import { buttonIds, startSlackHarness } from './support/harness.js';
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
const ZONE = 'Europe/London';
const view = (workflowId: string) => h.engine.client.view(workflowId);
const events = (workflowId: string) => h.engine.store.listEvents(workflowId);
const errorsOf = (reply: { body: unknown }) =>
  reply.body as { response_action?: string; errors?: Record<string, string> };

/** The custody card in the suite's channel, once `until` holds. */
function custodyCard(record: string, until: (m: StoredMessage) => boolean): Promise<StoredMessage> {
  return h.api.waitFor(
    () => cardsFor(h.api, record).custody.find((m) => m.channel.startsWith('C') && until(m)),
    30_000,
    `custody card for ${record}`,
  );
}

describe('Amend court sitting', () => {
  it('reaches the workflow, is audited, and the card shows the new sitting; a past sitting or one before the charge is refused in the ack', async () => {
    const chargedSec = nowSec() - HOUR;
    const { record, custody } = await sergeantStartsRequest(ctx(), { chargedAt: el.dateTime(chargedSec) });
    const workflowId = bedRequestWorkflowId('northampton-cjc', record);
    const before = (await view(workflowId))?.nextCourtSitting ?? '';
    expect(buttonIds(custody.blocks)).toContain(ACTION_IDS.amendCourtSitting);
    const form = await clickAndOpen(
      ctx(),
      USERS.sergeant,
      custody,
      ACTION_IDS.amendCourtSitting,
      VIEW_IDS.amendCourtSitting,
    );
    expect(JSON.stringify(form.blocks)).toContain(formatTime(before, ZONE));

    for (const [seconds, message] of [
      [nowSec() - 10 * 60, /already passed/],
      [chargedSec - HOUR, /after the time of charge/],
    ] as const) {
      const reply = errorsOf(
        await submit(ctx(), USERS.sergeant, form, {
          nextCourtSitting: el.dateTime(seconds),
          reason: el.text('Typed the wrong day'),
        }),
      );
      expect(reply.response_action).toBe('errors');
      expect(reply.errors?.nextCourtSitting).toMatch(message);
    }
    // No reason: refused on its own field.
    const noReason = errorsOf(
      await submit(ctx(), USERS.sergeant, form, {
        nextCourtSitting: el.dateTime(nowSec() + 20 * HOUR),
        reason: el.text(null),
      }),
    );
    expect(Object.keys(noReason.errors ?? {})).toEqual(['reason']);
    expect((await view(workflowId))?.nextCourtSitting).toBe(before);
    expect((await events(workflowId)).map((e) => e.type)).not.toContain('amend_court_sitting');

    // Whole minutes: the picker gives seconds, the form works to the minute.
    const laterSec = Math.floor((nowSec() + 20 * HOUR) / 60) * 60;
    const later = new Date(laterSec * 1000).toISOString();
    const ok = await submit(ctx(), USERS.sergeant, form, {
      nextCourtSitting: el.dateTime(laterSec),
      reason: el.text('Listed for the afternoon youth court'),
    });
    expect(ok.body).toBe('');
    const amended = await eventually(async () => {
      const v = await view(workflowId);
      return v && Date.parse(v.nextCourtSitting) === Date.parse(later) ? v : undefined;
    }, 30_000);
    expect(amended.courtSittingAmendments).toMatchObject([
      { from: before, reason: 'Listed for the afternoon youth court', by: { userId: USERS.sergeant.id } },
    ]);
    const row = await eventually(async () =>
      (await events(workflowId)).find((e) => e.type === 'amend_court_sitting'),
    );
    expect(row.actor).toMatchObject({ userId: USERS.sergeant.id });
    expect(row.data).toMatchObject({ from: before, reason: 'Listed for the afternoon youth court' });
    expect(Date.parse(String(row.data.to))).toBe(Date.parse(later));
    // The card (edited in place) shows the new sitting.
    const updated = await custodyCard(record, (m) =>
      JSON.stringify(m.blocks).includes(formatTime(later, ZONE)),
    );
    expect(updated.ts).toBe(custody.ts);
    // The old sitting appears only in the audited amendment on the timeline.
    expect(JSON.stringify(updated.blocks)).toContain(
      `from ${formatTime(before, ZONE)} to ${formatTime(later, ZONE)} (Listed for the afternoon youth court)`,
    );
  });
});

describe('Child left the cells', () => {
  it('after a stay: no choice refused inline, a time in the future refused and audited, then recorded and the request ends', async () => {
    const { record, custody } = await sergeantStartsRequest(ctx());
    const workflowId = bedRequestWorkflowId('northampton-cjc', record);
    const stay = await clickAndOpen(
      ctx(),
      USERS.sergeant,
      custody,
      ACTION_IDS.recordStay,
      VIEW_IDS.recordStay,
    );
    expect(
      (
        await submit(ctx(), USERS.sergeant, stay, {
          reason: el.select('impracticable_extreme_weather'),
          explanation: el.text('Roads closed by snow between the suite and every placement tonight'),
        })
      ).body,
    ).toBe('');
    const held = await custodyCard(record, (m) => buttonIds(m.blocks).includes(ACTION_IDS.recordLeftCells));
    expect(buttonIds(held.blocks)).not.toContain(ACTION_IDS.recordStay);
    const left = await clickAndOpen(
      ctx(),
      USERS.sergeant,
      held,
      ACTION_IDS.recordLeftCells,
      VIEW_IDS.recordLeftCells,
    );
    const unchosen = errorsOf(
      await submit(ctx(), USERS.sergeant, left, {
        leftFor: el.radio(null),
        leftAt: el.dateTime(nowSec() - 60),
      }),
    );
    expect(unchosen.errors).toEqual({ leftFor: 'Choose how the child left' });

    // Two hours ahead: the desk's pre-check refuses it against the live request, privately.
    const future = await submit(ctx(), USERS.sergeant, left, {
      leftFor: el.radio('bailed'),
      leftAt: el.dateTime(nowSec() + 2 * HOUR),
    });
    expect(future.body).toBe('');
    const refused = await eventually(async () =>
      (await events(workflowId)).find(
        (e) =>
          e.type === 'action_refused' &&
          e.data.kind === 'record_left_cells' &&
          e.data.code === FailureCode.LeftCellsInFuture,
      ),
    );
    expect(refused.actor).toMatchObject({ userId: USERS.sergeant.id });
    expect((await view(workflowId))?.outcome).toBeUndefined();

    const leftSec = Math.floor((nowSec() - 120) / 60) * 60;
    const recorded = await submit(ctx(), USERS.sergeant, left, {
      leftFor: el.radio('bailed'),
      leftAt: el.dateTime(leftSec),
    });
    expect(recorded.body).toBe('');
    const outcome = await eventually(() => h.engine.store.getOutcome(workflowId), 30_000);
    expect(outcome).toMatchObject({
      stayReason: 'impracticable_extreme_weather',
      leftCellsFor: 'bailed',
      leftCellsAssumed: false,
    });
    expect(Date.parse(String(outcome.leftCellsAt))).toBe(leftSec * 1000);
    const row = await eventually(async () =>
      (await events(workflowId)).find((e) => e.type === 'record_left_cells'),
    );
    expect(row.data).toMatchObject({ leftFor: 'bailed' });
    const closed = await custodyCard(record, (m) => buttonIds(m.blocks).length === 0);
    expect(closed.ts).toBe(custody.ts);
  });
});

describe('Confirm transfer with no offer in chat (arranged by phone)', () => {
  it('asks what was arranged, refuses a missing provider and transport inline, then records it as arranged outside chat', async () => {
    const { record, custody } = await sergeantStartsRequest(ctx());
    const workflowId = bedRequestWorkflowId('northampton-cjc', record);
    const confirm = await clickAndOpen(
      ctx(),
      USERS.sergeant,
      custody,
      ACTION_IDS.confirmTransfer,
      VIEW_IDS.confirmTransfer,
    );
    expect(JSON.stringify(confirm.blocks)).toContain('arranged outside chat (by phone)');
    const missing = errorsOf(
      await submit(ctx(), USERS.sergeant, confirm, {
        'arrangedOutsideChat.accommodation': el.radio('non_secure'),
        'arrangedOutsideChat.provider': el.text(null),
        'arrangedOutsideChat.transport': el.select(null),
        leftCustodyAt: el.dateTime(nowSec() - 60),
      }),
    );
    expect(missing.response_action).toBe('errors');
    expect(Object.keys(missing.errors ?? {}).sort()).toEqual([
      'arrangedOutsideChat.provider',
      'arrangedOutsideChat.transport',
    ]);
    expect(missing.errors?.['arrangedOutsideChat.transport']).toBe('Choose the transport');
    expect((await view(workflowId))?.outcome).toBeUndefined();

    const leftSec = Math.floor((nowSec() - 60) / 60) * 60;
    const ok = await submit(ctx(), USERS.sergeant, confirm, {
      'arrangedOutsideChat.accommodation': el.radio('non_secure'),
      'arrangedOutsideChat.provider': el.text('Willow Lodge (arranged by phone with EDT)'),
      'arrangedOutsideChat.transport': el.select('police_convey'),
      leftCustodyAt: el.dateTime(leftSec),
    });
    expect(ok.body).toBe('');
    const outcome = await eventually(async () => (await view(workflowId))?.outcome, 30_000);
    expect(outcome).toMatchObject({
      code: 'transferred_non_secure',
      leftCellsFor: 'transfer',
      arrangedOutsideChat: {
        accommodation: 'non_secure',
        provider: 'Willow Lodge (arranged by phone with EDT)',
        transport: 'police_convey',
      },
    });
    expect(Date.parse(outcome.leftCellsAt ?? '')).toBe(leftSec * 1000);
    const row = await eventually(async () =>
      (await events(workflowId)).find((e) => e.type === 'confirm_transfer'),
    );
    expect(row.data).toMatchObject({ arrangedOutsideChat: true, accommodation: 'non_secure' });
    const closed = await custodyCard(
      record,
      (m) => m.text.includes('Transferred to non-secure accommodation') && buttonIds(m.blocks).length === 0,
    );
    expect(JSON.stringify(closed.blocks)).toContain('Willow Lodge');
  });
});
