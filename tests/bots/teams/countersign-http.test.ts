// An inspector's countersignature of the s.38(6) certificate on Teams (docs/legal-rules.md,
// "Countersignature by an inspector": a protocol option), over real HTTP in emulator mode, with the
// real bed-request workflow on the Temporal test server behind the desk and the fake Bot Connector:
// the stay's certificate goes to the inspector's personal chat with a Countersign button; a
// responder and the certifying sergeant are refused on the card (coded failures, audited); the
// inspector presses it and the cards update in place to say who countersigned and when.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { bedRequestWorkflowId } from '../../../domain/bed-request.js';
import { FailureCode } from '../../../domain/failures.js';
import type { Protocol, ProtocolFile } from '../../../domain/protocol.js';
import { parseProtocol } from '../../../runtime/config.js';
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
  type Where,
} from './support/teams-activities.js';
import { AAD, CHANNELS, TEAMS_PROTOCOL_YAML } from './support/teams-protocol.js';
import { sergeantChat, startTeamsWorkflowStack, type TeamsWorkflowStack } from './support/workflow-stack.js';

const TASK_QUEUE = 'teams-countersign';
const INSPECTOR = { aadObjectId: '00000000-0000-0000-0000-0000000000e1', name: 'Insp. Grey' };

/** The Teams test protocol with countersignature on, an inspector, and the sergeant acting up. */
function countersignProtocol(): Protocol {
  const file = parseYaml(TEAMS_PROTOCOL_YAML) as ProtocolFile;
  file.certificate = { countersignature: { required: true, pageAfter: '2h' } };
  file.people = [
    ...(file.people ?? []).map((p) =>
      p.teams === AAD.sergeant ? { ...p, roles: [...p.roles, 'inspector' as const] } : p,
    ),
    { name: INSPECTOR.name, teams: INSPECTOR.aadObjectId, roles: ['inspector'] },
  ];
  return parseProtocol(toYaml(file), 'teams countersign protocol');
}

let store: Store;
let fake: FakeBotConnector;
let url: string;
let protocol: Protocol;
let client: BedRequestClient;

const inspectorChat: Where = { kind: 'personal', person: INSPECTOR };

let stack: TeamsWorkflowStack;

beforeAll(async () => {
  protocol = countersignProtocol();
  stack = await startTeamsWorkflowStack({
    protocol,
    taskQueue: TASK_QUEUE,
    withPeople: true,
    installs: [{ person: INSPECTOR, where: inspectorChat }],
  });
  ({ store, fake, url, client } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

const press = async (person: { aadObjectId: string; name: string }, workflowId: string) =>
  invokeCard(
    await post(
      url,
      execute(fake.serviceUrl, person, { kind: 'personal', person }, 'countersign', {
        workflowId,
        audience: 'inspector',
      }),
    ),
  );

/** The cards in a conversation naming this case, with their latest text. */
const cardsIn = (conversationId: string, caseRef: string): StoredMessage[] =>
  fake.postsIn(conversationId).filter((m) => cardText(FakeBotConnector.cardOf(m)).includes(caseRef));

describe('inspector countersignature on Teams', () => {
  it('the inspector gets the certificate with a Countersign button; others are refused; pressing it updates the cards', async () => {
    const form = validForm();
    const sent = invokeCard(
      await post(url, execute(fake.serviceUrl, PEOPLE.sergeant, sergeantChat, 'bedrequest.submit', form)),
    );
    expect(cardText(sent)).toContain('Request sent');
    const workflowId = bedRequestWorkflowId('northampton-cjc', form.custodyRecordNumber ?? '');
    const opened = await eventually(() => client.view(workflowId), 30_000);
    const stayCard = invokeCard(
      await post(
        url,
        execute(fake.serviceUrl, PEOPLE.sergeant, sergeantChat, 'record_stay', {
          workflowId,
          audience: 'custody',
          stay_reason: 'impracticable_medical',
          stay_explanation: 'Taken to A&E at 22:10 with a head injury; still being treated',
        }),
      ),
    );
    expect(cardText(stayCard)).toMatch(/awaiting an inspector’s countersignature/);

    // The page: the inspector's personal chat, naming the case, with the certificate and the button.
    const inspectorConversation = `a:personal-${INSPECTOR.aadObjectId}`;
    const page = await fake.waitFor(
      () =>
        cardsIn(inspectorConversation, opened.caseRef).find((m) =>
          buttonTitles(FakeBotConnector.cardOf(m)).includes('Countersign'),
        ),
      30_000,
      'the inspector’s card',
    );
    const pageCard = FakeBotConnector.cardOf(page);
    expect(cardText(pageCard)).toContain('SECTION 38(6)');
    expect(cardText(pageCard)).toMatch(/awaiting an inspector’s countersignature/);
    expect(buttonTitles(pageCard)).toEqual(['Countersign']);
    // Teams refreshes it for the inspector only, never the certifying sergeant (who holds the role).
    expect((pageCard as { refresh?: { userIds?: string[] } }).refresh?.userIds).toEqual([
      INSPECTOR.aadObjectId,
    ]);
    // The sergeant's own chat has the request's card, but no Countersign on it.
    const sergeantCards = cardsIn(`a:personal-${AAD.sergeant}`, opened.caseRef);
    expect(sergeantCards.length).toBeGreaterThan(0);
    for (const m of sergeantCards)
      expect(buttonTitles(FakeBotConnector.cardOf(m))).not.toContain('Countersign');

    // A responder presses it, then the certifying sergeant: each refused on the card, audited.
    expect(cardText(await press(PEOPLE.responder, workflowId))).toMatch(/needs the inspector role/);
    expect(cardText(await press(PEOPLE.sergeant, workflowId))).toMatch(
      /cannot countersign your own certificate/,
    );
    const refused = (await store.listEvents(workflowId)).filter((e) => e.type === 'action_refused');
    expect(refused.map((e) => e.data)).toEqual([
      { kind: 'countersign', code: FailureCode.RoleNotPermitted, source: 'desk' },
      { kind: 'countersign', code: FailureCode.CountersignOwnCertificate, source: 'desk' },
    ]);
    expect((await client.view(workflowId))?.stay?.countersignature?.status).toBe('awaiting');

    // The inspector presses it: the answer is the card as it now is, and the posted cards update.
    const answered = await press(INSPECTOR, workflowId);
    expect(cardText(answered)).toMatch(/Countersign: done\./);
    expect(cardText(answered)).toMatch(/Certificate countersigned by Insp\. Grey at \d\d:\d\d/);
    expect(buttonTitles(answered)).toEqual([]);
    const updated = await fake.waitFor(
      () => {
        const now = fake.messages.get(page.id);
        return now && /Certificate countersigned by Insp\. Grey/.test(cardText(FakeBotConnector.cardOf(now)))
          ? now
          : undefined;
      },
      30_000,
      'the inspector’s card, countersigned',
    );
    expect(updated.versions.length).toBeGreaterThan(1);
    expect(buttonTitles(FakeBotConnector.cardOf(updated))).toEqual([]);
    expect(cardText(FakeBotConnector.cardOf(updated))).toContain('Countersigned by inspector Insp. Grey');
    // The sergeant's card in the suite's channel says so too.
    await fake.waitFor(
      () =>
        cardsIn(CHANNELS.custody, opened.caseRef).find((m) =>
          /Certificate countersigned by Insp\. Grey/.test(cardText(FakeBotConnector.cardOf(m))),
        ),
      30_000,
      'the custody card, countersigned',
    );
    const row = await eventually(
      async () => (await store.listEvents(workflowId)).find((e) => e.type === 'countersign'),
      30_000,
    );
    expect(row.actor?.userId).toBe(INSPECTOR.aadObjectId);
    expect(row.data).toMatchObject({ certifiedBy: AAD.sergeant, stayReason: 'impracticable_medical' });
  });
});
