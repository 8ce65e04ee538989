// An inspector's countersignature of the s.38(6) certificate on Slack (docs/legal-rules.md,
// "Countersignature by an inspector": a protocol option), over real HTTP against the fake Slack,
// with the real bed-request workflow on the Temporal test server behind the desk: the stay's
// certificate goes to the inspector's DM with a Countersign button; a responder and the certifying
// sergeant are refused in words (coded failures, audited); the inspector presses it and the
// cards update in place to say who countersigned and when.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS, VIEW_IDS } from '../../../bots/slack/ids.js';
import { bedRequestWorkflowId } from '../../../domain/bed-request.js';
import { FailureCode } from '../../../domain/failures.js';
import type { Protocol } from '../../../domain/protocol.js';
import { blockAction, el } from '../../fakes/slack/payloads.js';
import type { StoredMessage } from '../../fakes/slack/web-api-server.js';
import { eventually } from '../../support/workflow-harness.js';
import { clickAndOpen, sergeantStartsRequest, submit, type FlowContext } from './support/flows.js';
import { buttonIds, startSlackHarness } from './support/harness.js';
import { testProtocol, USERS } from './support/protocol.js';
import { temporalEngine } from './support/temporal-engine.js';

const INSPECTOR = { id: 'U0INSP', name: 'Insp. Grey' };

/** The Slack test protocol with countersignature on, an inspector, and the sergeant acting up. */
function countersignProtocol(): Protocol {
  return testProtocol({
    slackOnly: true,
    edit(f) {
      f.certificate = { countersignature: { required: true, pageAfter: '2h' } };
      f.people = [
        ...(f.people ?? []).map((p) =>
          p.slack === USERS.sergeant.id ? { ...p, roles: [...p.roles, 'inspector' as const] } : p,
        ),
        { name: INSPECTOR.name, slack: INSPECTOR.id, roles: ['inspector'] },
      ];
    },
  });
}

type Harness = Awaited<ReturnType<typeof startSlackHarness<Awaited<ReturnType<typeof temporalEngine>>>>>;
let h: Harness;

beforeAll(async () => {
  h = await startSlackHarness({ transport: 'http', engine: temporalEngine, protocol: countersignProtocol() });
}, 180_000);
afterAll(async () => {
  await h?.close();
});

const ctx = (): FlowContext => ({ api: h.api, driver: h.driver, timeoutMs: 30_000 });
const events = (workflowId: string) => h.engine.store.listEvents(workflowId);
const textsTo = (user: string) =>
  [...h.api.okCallsTo('chat.postEphemeral'), ...h.api.okCallsTo('chat.postMessage')]
    .filter((c) => c.args.user === user || c.args.channel === user)
    .map((c) => String(c.args.text));
const inspectorCard = (record: string) =>
  h.api.messages.find(
    (m) =>
      m.threadTs === undefined &&
      m.text.startsWith('Countersignature of the s.38(6) certificate') &&
      JSON.stringify(m.blocks).includes(record),
  );
const press = (user: { id: string; name: string }, card: StoredMessage) =>
  h.driver.interact(
    blockAction({
      user,
      actionId: ACTION_IDS.countersign,
      value: buttonValue(card, ACTION_IDS.countersign),
      channel: card.channel,
      messageTs: card.ts,
    }),
  );

describe('inspector countersignature on Slack', () => {
  it('the inspector gets the certificate with a Countersign button; others are refused; pressing it updates the cards', async () => {
    const { record, custody } = await sergeantStartsRequest(ctx());
    const workflowId = bedRequestWorkflowId('northampton-cjc', record);
    const stay = await clickAndOpen(
      ctx(),
      USERS.sergeant,
      custody,
      ACTION_IDS.recordStay,
      VIEW_IDS.recordStay,
    );
    const recorded = await submit(ctx(), USERS.sergeant, stay, {
      reason: el.select('impracticable_medical'),
      explanation: el.text('Taken to A&E at 22:10 with a head injury; still being treated'),
    });
    expect(recorded.body).toBe('');

    // The page: the inspector's DM, naming the case, with the certificate and the button.
    const card = await h.api.waitFor(() => inspectorCard(record), 30_000, 'the inspector’s card');
    expect(card.channel.startsWith('D')).toBe(true);
    const caseRef = (await h.engine.client.view(workflowId))?.caseRef ?? '';
    expect(card.text).toContain(caseRef);
    expect(card.text).toMatch(/awaiting an inspector’s countersignature/);
    expect(JSON.stringify(card.blocks)).toContain('SECTION 38(6)');
    expect(buttonIds(card.blocks)).toEqual([ACTION_IDS.countersign]);
    // Only one such card: the certifying sergeant, though acting inspector, is not paged.
    expect(
      h.api.messages.filter((m) => m.text.startsWith('Countersignature') && m.text.includes(caseRef)),
    ).toHaveLength(1);

    // A responder presses it: refused in words, audited, nothing changed.
    expect((await press(USERS.responder, card)).status).toBe(200);
    await eventually(
      () => textsTo(USERS.responder.id).find((t) => /needs the inspector role/.test(t)),
      30_000,
    );
    // The certifying sergeant presses it: refused, their own certificate.
    expect((await press(USERS.sergeant, card)).status).toBe(200);
    await eventually(
      () => textsTo(USERS.sergeant.id).find((t) => /cannot countersign your own certificate/.test(t)),
      30_000,
    );
    const refused = (await events(workflowId)).filter((e) => e.type === 'action_refused').map((e) => e.data);
    expect(refused).toEqual([
      { kind: 'countersign', code: FailureCode.RoleNotPermitted, source: 'desk' },
      { kind: 'countersign', code: FailureCode.CountersignOwnCertificate, source: 'desk' },
    ]);
    expect((await h.engine.client.view(workflowId))?.stay?.countersignature?.status).toBe('awaiting');

    // The inspector presses it: the card updates in place, the button gone, who and when shown.
    expect((await press(INSPECTOR, card)).status).toBe(200);
    const updated = await h.api.waitFor(
      () => {
        const now = h.api.messages.find((m) => m.channel === card.channel && m.ts === card.ts);
        return now && /Certificate countersigned by Insp\. Grey at \d\d:\d\d/.test(now.text)
          ? now
          : undefined;
      },
      30_000,
      'the inspector’s card, countersigned',
    );
    expect(updated.updates).toBeGreaterThan(0);
    expect(buttonIds(updated.blocks)).toEqual([]);
    expect(JSON.stringify(updated.blocks)).toContain('Countersigned by inspector Insp. Grey (U0INSP)');
    // The sergeant's card in the suite's channel says so too, and keeps its own buttons.
    const custodyNow = await h.api.waitFor(
      () => {
        const now = h.api.messages.find((m) => m.channel === custody.channel && m.ts === custody.ts);
        return now && JSON.stringify(now.blocks).includes('Certificate countersigned by Insp. Grey')
          ? now
          : undefined;
      },
      30_000,
      'the custody card, countersigned',
    );
    expect(buttonIds(custodyNow.blocks)).toContain(ACTION_IDS.recordLeftCells);
    const row = await eventually(
      async () => (await events(workflowId)).find((e) => e.type === 'countersign'),
      30_000,
    );
    expect(row.actor?.userId).toBe(INSPECTOR.id);
    expect(row.data).toMatchObject({ certifiedBy: USERS.sergeant.id, stayReason: 'impracticable_medical' });
  });
});

function buttonValue(card: StoredMessage, actionId: string): string {
  const value = (card.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>)
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id === actionId)?.value;
  expect(value, `button ${actionId} on the card`).toBeTruthy();
  return value ?? '';
}
