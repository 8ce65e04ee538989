// `/bedrequest digest <from> <to>`: an admin asks for a leads digest now. The real bot over signed
// HTTP against the fake Slack Web API, with a recording fake behind the `digests` dependency.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIGEST_USAGE_TEXT } from '../../../bots/slack/commands/digest.js';
import {
  DIGEST_FAILED_TEXT,
  DIGEST_NOT_ADMIN_TEXT,
  DIGEST_UNAVAILABLE_TEXT,
} from '../../../desk/digest-now.js';
import { VIEW_IDS } from '../../../bots/slack/ids.js';
import { createLogger } from '../../../runtime/logger.js';
import { slashCommand } from '../../fakes/slack/payloads.js';
import { postSigned } from '../../fakes/slack/signing.js';
import { FakeDigests } from '../shared/fake-digests.js';
import { FORM, formBody } from './support/driver.js';
import { fakeEngine, SIGNING_SECRET, startSlackHarness } from './support/harness.js';
import { USERS } from './support/protocol.js';

type Harness = Awaited<ReturnType<typeof startSlackHarness<ReturnType<typeof fakeEngine>>>>;
let h: Harness;
const digests = new FakeDigests();
const logs: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  const log = createLogger(
    { level: 'debug', name: 'slack-digest-test' },
    { write: (s: string) => logs.push(JSON.parse(s) as Record<string, unknown>) },
  );
  h = await startSlackHarness({ transport: 'http', engine: fakeEngine, digests, log });
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.api.reset();
  digests.reset();
  logs.length = 0;
});

const ephemeralsTo = (user: string) =>
  h.api.okCallsTo('chat.postEphemeral').filter((c) => c.args.user === user);

async function ephemeral(user: string, pattern: RegExp) {
  return h.api.waitFor(
    () => ephemeralsTo(user).find((c) => pattern.test(String(c.args.text))),
    5000,
    `ephemeral to ${user} matching ${pattern}`,
  );
}

/** Lets any work the bot does after its ack finish, so "nothing happened" is really nothing. */
const settle = () => new Promise((r) => setTimeout(r, 100));

describe('/bedrequest digest, as an admin', () => {
  it('acks at once, starts the digest with the dates, the person and the trigger ID, and says so privately', async () => {
    const payload = slashCommand({ user: USERS.lead, text: 'digest 2026-11-01 2026-11-27' });
    const reply = await h.driver.command(payload);
    expect(reply).toEqual({ status: 200, body: '' });
    const said = await ephemeral(USERS.lead.id, /^Digest for/);
    expect(said.args.text).toBe('Digest for 1–27 Nov 2026 requested; it will arrive in the leads channels.');
    expect(said.args.channel).toBe('C0CUSTODYNTH');
    expect(digests.calls).toEqual([
      {
        from: '2026-11-01',
        to: '2026-11-27',
        requestedBy: { platform: 'slack', userId: USERS.lead.id, displayName: USERS.lead.name },
        requestId: payload.trigger_id,
      },
    ]);
    expect(h.api.callsTo('views.open')).toHaveLength(0);
    expect(logs.find((l) => l.event === 'digest_requested')).toMatchObject({
      userId: USERS.lead.id,
      status: 'started',
      from: '2026-11-01',
      to: '2026-11-27',
    });
  });

  it('accepts "from … to …" and a range across months', async () => {
    await h.driver.command(slashCommand({ user: USERS.lead, text: 'Digest from 2026-11-30 to 2026-12-02' }));
    await ephemeral(USERS.lead.id, /^Digest for 30 Nov – 2 Dec 2026 requested/);
    expect(digests.calls.map((c) => [c.from, c.to])).toEqual([['2026-11-30', '2026-12-02']]);
  });

  it('passes the same request ID when Slack redelivers the command, so nothing new starts', async () => {
    const payload = slashCommand({ user: USERS.lead, text: 'digest 2026-10-01 2026-10-31' });
    const body = formBody(payload);
    const now = Math.floor(Date.now() / 1000);
    // A redelivery is the same body under a new timestamp (so a new signature; an identical
    // signature would be refused as a replay before the bot saw it).
    const first = await postSigned(h.eventsUrl, body, {
      secret: SIGNING_SECRET,
      contentType: FORM,
      timestamp: now - 1,
    });
    expect(first.status).toBe(200);
    await ephemeral(USERS.lead.id, /^Digest for 1–31 Oct 2026 requested;/);
    const again = await postSigned(h.eventsUrl, body, {
      secret: SIGNING_SECRET,
      contentType: FORM,
      timestamp: now,
    });
    expect(again.status).toBe(200);
    await ephemeral(
      USERS.lead.id,
      /^Digest for 1–31 Oct 2026 was already requested; .*Nothing new was started/,
    );
    expect(digests.calls).toHaveLength(2);
    expect(digests.calls[0]?.requestId).toBe(payload.trigger_id);
    expect(digests.calls[1]?.requestId).toBe(payload.trigger_id);
  });

  it('shows the words of a range the digest client calls invalid, and says nothing was requested', async () => {
    await h.driver.command(slashCommand({ user: USERS.lead, text: 'digest 2026-11-27 2026-11-01' }));
    const said = await ephemeral(USERS.lead.id, /before the start date/);
    expect(said.args.text).toBe(
      'The end date 2026-11-01 is before the start date 2026-11-27: give the earlier date first. ' +
        'Nothing was requested.',
    );
    expect(digests.calls).toHaveLength(1);

    digests.next = { status: 'invalid', message: 'A range can cover at most 3660 days' };
    await h.driver.command(slashCommand({ user: USERS.lead, text: 'digest 2000-01-01 2026-11-01' }));
    await ephemeral(USERS.lead.id, /^A range can cover at most 3660 days\. Nothing was requested\.$/);
  });

  it('says plainly when the workflow engine does not answer', async () => {
    digests.next = new Error('connect ECONNREFUSED 127.0.0.1:7233');
    await h.driver.command(slashCommand({ user: USERS.lead, text: 'digest 2026-11-01 2026-11-27' }));
    await ephemeral(USERS.lead.id, new RegExp(`^${DIGEST_FAILED_TEXT.slice(0, 40)}`));
    expect(logs.some((l) => l.msg === 'could not request a digest')).toBe(true);
  });

  it.each([
    ['digest', /Give the first and the last day/],
    ['digest 2026-11-01', /Give the last day of the digest too/],
    ['digest 2026-11-01 2026-11-27 2026-12-01', /Give just two dates/],
    ['digest 1/11/2026 27/11/2026', /"1\/11\/2026" is not a date/],
    ['digest 2026-02-30 2026-03-01', /"2026-02-30" is not a date/],
    ['digest <!channel> 2026-03-01', /"&lt;!channel&gt;" is not a date/],
  ])(
    'answers bad or missing dates (%s) with the usage, in the ack, and starts nothing',
    async (text, problem) => {
      const reply = await h.driver.command(slashCommand({ user: USERS.lead, text }));
      expect(reply.status).toBe(200);
      const body = reply.body as { response_type: string; text: string };
      expect(body.response_type).toBe('ephemeral');
      expect(body.text).toMatch(problem);
      expect(body.text).toContain(DIGEST_USAGE_TEXT);
      expect(body.text).toContain('/bedrequest digest 2026-11-01 2026-11-27');
      await settle();
      expect(digests.calls).toHaveLength(0);
      expect(h.api.callsTo('views.open')).toHaveLength(0);
    },
  );
});

describe('/bedrequest digest, as anyone else', () => {
  it.each([
    ['a custody sergeant', USERS.sergeant],
    ['a responder', USERS.responder],
    ['someone not in the protocol', USERS.stranger],
  ])('refuses %s privately in the ack, logs it, and starts nothing', async (_who, user) => {
    const reply = await h.driver.command(slashCommand({ user, text: 'digest 2026-11-01 2026-11-27' }));
    expect(reply).toEqual({ status: 200, body: { response_type: 'ephemeral', text: DIGEST_NOT_ADMIN_TEXT } });
    await settle();
    expect(digests.calls).toHaveLength(0);
    expect(h.api.callsTo('views.open')).toHaveLength(0);
    expect(logs.find((l) => l.event === 'action_refused')).toMatchObject({
      userId: user.id,
      action: 'request_digest',
    });
  });
});

describe('/bedrequest without the sub-command', () => {
  it('still opens the request form, and asks for no digest', async () => {
    const reply = await h.driver.command(slashCommand({ user: USERS.sergeant }));
    expect(reply).toEqual({ status: 200, body: '' });
    const open = await h.api.waitFor(() => h.api.callsTo('views.open')[0]);
    expect((open.args.view as { callback_id: string }).callback_id).toBe(VIEW_IDS.bedRequest);
    expect(digests.calls).toHaveLength(0);
  });

  it('opens the form for an admin too, when the text is not "digest"', async () => {
    await h.driver.command(slashCommand({ user: USERS.lead, text: 'digests please' }));
    await h.api.waitFor(() => h.api.callsTo('views.open')[0]);
    expect(digests.calls).toHaveLength(0);
  });
});

describe('/bedrequest digest on a deployment without digests on demand', () => {
  it('tells the admin it is not available', async () => {
    const bare = await startSlackHarness({ transport: 'http', engine: fakeEngine });
    try {
      const reply = await bare.driver.command(
        slashCommand({ user: USERS.lead, text: 'digest 2026-11-01 2026-11-27' }),
      );
      expect(reply).toEqual({
        status: 200,
        body: { response_type: 'ephemeral', text: DIGEST_UNAVAILABLE_TEXT },
      });
    } finally {
      await bare.close();
    }
  });
});
