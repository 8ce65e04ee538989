// `digest <from> <to>` typed to the Teams bot: an admin asks for a leads digest now. The real bot
// over HTTP (emulator mode) with the fake Bot Connector, and a recording fake behind `digests`.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIGEST_NOT_ADMIN_TEXT, DIGEST_UNAVAILABLE_TEXT } from '../../../desk/digest-now.js';
import { DIGEST_USAGE_TEXT } from '../../../bots/teams/handlers/digest-command.js';
import { FakeBotConnector } from '../../fakes/teams/fake-bot-connector.js';
import { FakeDigests } from '../shared/fake-digests.js';
import { startBotHarness, type BotHarness } from './support/bot-harness.js';
import { PEOPLE, message, post, type Person, type Where } from './support/teams-activities.js';
import { AAD, CHANNELS } from './support/teams-protocol.js';

let h: BotHarness;
const digests = new FakeDigests();
const personal = (person: Person): Where => ({ kind: 'personal', person });
const leadsChannel: Where = { kind: 'channel', channelId: CHANNELS.leads };

beforeAll(async () => {
  h = await startBotHarness({ digests });
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(() => {
  h.fake.reset();
  digests.reset();
  h.logs.length = 0;
});

const s = () => h.fake.serviceUrl;

/** Sends a message and returns the one reply the bot posted in the conversation. */
async function say(person: Person, where: Where, text: string) {
  const activity = message(s(), person, where, text);
  const r = await post(h.url, activity);
  expect(r.status).toBe(200);
  const replies = h.fake.posts();
  expect(replies).toHaveLength(1);
  const reply = replies[0]!;
  h.fake.reset();
  return { activity, reply, text: String(reply.activity.text) };
}

describe('digest, from an admin', () => {
  it('starts the digest with the dates, the person and the activity ID, and replies in the conversation', async () => {
    const { activity, reply, text } = await say(
      PEOPLE.lead,
      personal(PEOPLE.lead),
      'digest 2026-11-01 2026-11-27',
    );
    expect(text).toBe('Digest for 1–27 Nov 2026 requested; it will arrive in the leads channel.');
    expect(FakeBotConnector.cardOf(reply)).toBeNull();
    expect(reply.conversationId).toBe(activity.conversation.id);
    expect(digests.calls).toEqual([
      {
        from: '2026-11-01',
        to: '2026-11-27',
        requestedBy: { platform: 'teams', userId: AAD.lead, displayName: PEOPLE.lead.name },
        requestId: activity.id,
      },
    ]);
    expect(h.logs.find((l) => l.event === 'digest_requested')).toMatchObject({
      userId: AAD.lead,
      status: 'started',
    });
  });

  it('answers after an @mention in a channel, and to "/digest" from the command list', async () => {
    const first = await say(PEOPLE.lead, leadsChannel, '<at>Concordat</at> digest 2026-12-30 2027-01-02');
    expect(first.text).toBe(
      'Digest for 30 Dec 2026 – 2 Jan 2027 requested; it will arrive in the leads channel.',
    );
    expect(first.reply.conversationId).toContain(CHANNELS.leads);
    const second = await say(PEOPLE.lead, personal(PEOPLE.lead), '/digest from 2026-11-05 to 2026-11-05');
    expect(second.text).toMatch(/^Digest for 5 Nov 2026 requested;/);
    expect(digests.calls.map((c) => [c.from, c.to])).toEqual([
      ['2026-12-30', '2027-01-02'],
      ['2026-11-05', '2026-11-05'],
    ]);
  });

  it('passes the same request ID when the same activity is delivered again, so nothing new starts', async () => {
    const activity = message(s(), PEOPLE.lead, personal(PEOPLE.lead), 'digest 2026-10-01 2026-10-31');
    await post(h.url, activity);
    await post(h.url, activity);
    const texts = h.fake.posts().map((m) => String(m.activity.text));
    expect(texts).toEqual([
      'Digest for 1–31 Oct 2026 requested; it will arrive in the leads channel.',
      'Digest for 1–31 Oct 2026 was already requested; it will arrive in the leads channel. Nothing new was started.',
    ]);
    expect(digests.calls.map((c) => c.requestId)).toEqual([activity.id, activity.id]);
  });

  it('shows the words of a range the digest client calls invalid', async () => {
    const { text } = await say(PEOPLE.lead, personal(PEOPLE.lead), 'digest 2026-11-27 2026-11-01');
    expect(text).toBe(
      'The end date 2026-11-01 is before the start date 2026-11-27: give the earlier date first. ' +
        'Nothing was requested.',
    );
    expect(digests.calls).toHaveLength(1);
  });

  it('says plainly when the workflow engine does not answer', async () => {
    digests.next = new Error('14 UNAVAILABLE: connection refused');
    const { text } = await say(PEOPLE.lead, personal(PEOPLE.lead), 'digest 2026-11-01 2026-11-27');
    expect(text).toMatch(/could not request the digest just now.*Nothing was requested/);
  });

  it.each([
    ['digest', /Give the first and the last day/],
    ['digest 2026-11-01', /Give the last day of the digest too/],
    ['digest 01/11/2026 27/11/2026', /"01\/11\/2026" is not a date/],
    ['digest 2026-11-31 2026-12-01', /"2026-11-31" is not a date/],
  ])('answers bad or missing dates (%s) with the usage, and starts nothing', async (typed, problem) => {
    const { text } = await say(PEOPLE.lead, personal(PEOPLE.lead), typed);
    expect(text).toMatch(problem);
    expect(text).toContain(DIGEST_USAGE_TEXT);
    expect(text).toContain('"digest 2026-11-01 2026-11-27"');
    expect(digests.calls).toHaveLength(0);
  });
});

describe('digest, from anyone else', () => {
  it.each([
    ['a custody sergeant', PEOPLE.sergeant],
    ['a responder', PEOPLE.responder],
    ['someone not in the protocol', PEOPLE.stranger],
  ])('refuses %s in plain words, logs it, and starts nothing', async (_who, person) => {
    const { text } = await say(person, personal(person), 'digest 2026-11-01 2026-11-27');
    expect(text).toBe(DIGEST_NOT_ADMIN_TEXT);
    expect(digests.calls).toHaveLength(0);
    expect(h.logs.find((l) => l.event === 'action_refused')).toMatchObject({
      userId: person.aadObjectId,
      action: 'request_digest',
    });
  });
});

describe('the other commands', () => {
  it('still answer as before: bedrequest gives the form, anything else gets help that mentions digest', async () => {
    const form = await say(PEOPLE.sergeant, personal(PEOPLE.sergeant), 'bedrequest');
    expect(FakeBotConnector.cardOf(form.reply)).not.toBeNull();
    const help = await say(PEOPLE.lead, personal(PEOPLE.lead), 'digests?');
    expect(help.text).toMatch(/type "bedrequest"/);
    expect(help.text).toContain('"digest 2026-11-01 2026-11-27"');
    expect(digests.calls).toHaveLength(0);
  });
});

describe('digest on a deployment without digests on demand', () => {
  it('tells the admin it is not available', async () => {
    const bare = await startBotHarness({ store: h.store });
    try {
      await post(
        bare.url,
        message(bare.fake.serviceUrl, PEOPLE.lead, personal(PEOPLE.lead), 'digest 2026-11-01 2026-11-27'),
      );
      expect(bare.fake.posts().map((m) => m.activity.text)).toEqual([DIGEST_UNAVAILABLE_TEXT]);
    } finally {
      await bare.stop();
    }
  });
});
