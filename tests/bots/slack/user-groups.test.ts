// Roles mapped to a Slack user group: a member of the EDT rota group acts as a responder without
// being listed by name, the group travels with the actor so the workflow's check agrees, and a
// non-member is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS, VIEW_IDS } from '../../../bots/slack/ids.js';
import { SlackUserGroups } from '../../../bots/slack/user-groups.js';
import { rolesFor } from '../../../domain/authorise.js';
import { bedRequestWorkflowId } from '../../../domain/bed-request.js';
import type { Person, Protocol } from '../../../domain/protocol.js';
import { createLogger } from '../../../runtime/logger.js';
import { blockAction, viewSubmission } from '../../fakes/slack/payloads.js';
import { fakeEngine, requestForm, startSlackHarness } from './support/harness.js';
import { testProtocol, USERS } from './support/protocol.js';

const ROTA = 'S0EDTROTA';
const member = { id: 'U0ROTAMEMBER', name: 'rota.member' };
const outsider = { id: 'U0OUTSIDER', name: 'outsider' };

function protocolWithRota(): Protocol {
  const p = testProtocol();
  const rota: Person = {
    name: 'EDT rota',
    slackUserGroup: ROTA,
    roles: ['responder'],
    localAuthorities: ['west-northamptonshire'],
  };
  return { ...p, people: [...p.people, rota] };
}

type Harness = Awaited<ReturnType<typeof startSlackHarness<ReturnType<typeof fakeEngine>>>>;
let h: Harness;

beforeAll(async () => {
  h = await startSlackHarness({
    transport: 'http',
    engine: fakeEngine,
    protocol: protocolWithRota(),
    userGroups: { [ROTA]: [member.id] },
  });
});
afterAll(async () => h?.close());

describe('roles through Slack user groups', () => {
  it('lets a member of a mapped group act as a responder, and refuses a non-member', async () => {
    const fields = requestForm({});
    await h.driver.interact(
      viewSubmission({
        user: USERS.sergeant,
        callbackId: VIEW_IDS.bedRequest,
        fields,
        privateMetadata: JSON.stringify({ channel: 'C0CUSTODYNTH' }),
      }),
    );
    const record = (fields.custodyRecordNumber as { value: string }).value;
    const workflowId = bedRequestWorkflowId('northampton-cjc', record);
    await h.api.waitFor(() => h.engine.engine.cardsOf(workflowId).responder, 5000, 'the responder card');
    await h.engine.engine.settled();
    expect(h.api.okCallsTo('usergroups.users.list')[0]?.args).toMatchObject({ usergroup: ROTA });

    const before = h.engine.engine.signals.length;
    await h.driver.interact(
      blockAction({ user: outsider, actionId: ACTION_IDS.acknowledge, value: workflowId }),
    );
    await h.api.waitFor(
      () => h.api.okCallsTo('chat.postEphemeral').find((c) => c.args.user === outsider.id),
      5000,
      'the outsider refused privately',
    );
    expect(h.engine.engine.signals).toHaveLength(before);

    await h.driver.interact(
      blockAction({ user: member, actionId: ACTION_IDS.acknowledge, value: workflowId }),
    );
    const signal = await h.api.waitFor(() =>
      h.engine.engine.signals.find((s) => s.envelope.actor.userId === member.id),
    );
    expect(signal.envelope.actor.groups).toEqual([ROTA]);
    // The workflow resolves roles from the same actor, so it accepts what the edge accepted.
    expect(rolesFor(protocolWithRota().people, signal.envelope.actor)).toEqual([
      { role: 'responder', localAuthorityIds: ['west-northamptonshire'] },
    ]);
  });
});

describe('SlackUserGroups', () => {
  it('keeps a group’s last members when Slack cannot be read, and merges a user’s groups', async () => {
    let fail = false;
    const lists: Record<string, string[]> = { S1: ['U1', 'U2'], S2: ['U2'] };
    const client = {
      usergroups: {
        users: {
          list: ({ usergroup }: { usergroup: string }) =>
            fail
              ? Promise.reject(new Error('ratelimited'))
              : Promise.resolve({ ok: true, users: lists[usergroup] }),
        },
      },
    };
    const groups = new SlackUserGroups(client as never, ['S1', 'S2'], createLogger({ level: 'silent' }));
    await groups.refresh();
    expect(groups.groupsOf('U2')).toEqual(['S1', 'S2']);
    expect(groups.groupsOf('U3')).toEqual([]);
    fail = true;
    await groups.refresh();
    expect(groups.groupsOf('U1')).toEqual(['S1']);
    expect(groups.groupsOf('U2')).toEqual(['S1', 'S2']);
  });
});
