/**
 * The sandbox's Microsoft Teams: a Bot Connector service (the part of the Bot Framework REST API
 * the Teams bot calls: POST /v3/conversations, POST /v3/conversations/{id}/activities[/{replyTo}],
 * PUT /v3/conversations/{id}/activities/{id}, GET /v3/teams/{id}/conversations) that keeps each
 * conversation's messages as a person would see them, and the other direction: activities, shaped
 * as Teams sends them, posted to the real bot's /api/messages with `serviceUrl` pointing here.
 * The bot runs in its local emulator mode (no app ID, no tenant), so neither side signs tokens.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const TEAMS_BOT = { id: '28:concordat-sandbox', name: 'Concordat' };
export const SANDBOX_TENANT = 'sandbox-tenant';
export const SANDBOX_TEAM_ID = '19:sandbox-team@thread.tacv2';

export interface TeamsPerson {
  aadObjectId: string;
  name: string;
}

export interface TeamsMessage {
  id: string;
  /** The channel or chat (a thread's root message keeps the channel's ID). */
  conversationId: string;
  /** Set on a reply in a channel thread: the root message's ID. */
  replyToId?: string;
  /** 'bot', or the AAD object ID of the person who wrote it. */
  from: string;
  activity: Record<string, unknown>;
  versions: number;
  postedAt: number;
}

export interface TeamsState {
  messages: TeamsMessage[];
  /** Cards as each person sees them after a Universal Actions refresh: `${messageId}|${aad}`. */
  personal: Record<string, Record<string, unknown>>;
}

export const personalConversationId = (aad: string) => `a:sandbox-personal-${aad}`;

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Splits `19:x@thread.tacv2;messageid=123` into the channel and the thread's root. */
function splitThread(id: string): { base: string; root?: string } {
  const i = id.indexOf(';messageid=');
  return i === -1 ? { base: id } : { base: id.slice(0, i), root: id.slice(i + ';messageid='.length) };
}

export interface InvokeAnswer {
  status: number;
  body: unknown;
}

export class TeamsConnector {
  readonly messages: TeamsMessage[] = [];
  readonly personal = new Map<string, Record<string, unknown>>();
  serviceUrl = '';
  messagesUrl = '';
  private seq = 0;

  constructor(private readonly changed: () => void) {}

  state(): TeamsState {
    return { messages: this.messages, personal: Object.fromEntries(this.personal) };
  }

  message(id: string): TeamsMessage | undefined {
    return this.messages.find((m) => m.id === id);
  }

  private nextId(): string {
    this.seq += 1;
    return `${Date.now()}${String(this.seq).padStart(4, '0')}`;
  }

  private store(conversationId: string, activity: Record<string, unknown>, from: string, replyTo?: string) {
    const { base, root } = splitThread(conversationId);
    const replyToId = root ?? replyTo;
    const id = this.nextId();
    // A reply to a channel post lands in its thread; a reply in a 1:1 chat is just the next message.
    const inThread = replyToId && base.startsWith('19:') ? replyToId : undefined;
    const rootOf = inThread ? (this.message(inThread)?.replyToId ?? inThread) : undefined;
    this.messages.push({
      id,
      conversationId: base,
      ...(rootOf ? { replyToId: rootOf } : {}),
      from,
      activity,
      versions: 1,
      postedAt: Date.now(),
    });
    this.changed();
    return id;
  }

  /** A person's own message in a conversation, kept so the page shows what they typed. */
  postAsPerson(conversationId: string, person: TeamsPerson, text: string): string {
    return this.store(
      conversationId,
      { type: 'message', text, from: { name: person.name } },
      person.aadObjectId,
    );
  }

  /** Serves a Bot Connector call; false when the path is not the connector's. */
  handle(req: IncomingMessage, res: ServerResponse, path: string, raw: string): boolean {
    const method = req.method ?? 'GET';
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      return true;
    };
    const teams = /^\/v3\/teams\/([^/]+)\/conversations\/?$/.exec(path);
    if (teams && method === 'GET') {
      return reply(200, { conversations: [{ id: decodeURIComponent(teams[1] ?? ''), name: 'General' }] });
    }
    const m = /^\/v3\/conversations(?:\/([^/]+)\/activities(?:\/([^/]+))?)?\/?$/.exec(path);
    if (!m) return false;
    const conversationId = m[1] ? decodeURIComponent(m[1]) : undefined;
    const activityId = m[2] ? decodeURIComponent(m[2]) : undefined;
    const activity = asRecord(body);
    if (!conversationId && method === 'POST') {
      // A new 1:1 conversation (a page to a person): the person's personal chat with the bot.
      const members = Array.isArray(activity.members) ? activity.members.map(asRecord) : [];
      const member = members[0];
      const aad =
        (typeof member?.aadObjectId === 'string' && member.aadObjectId) ||
        (typeof member?.id === 'string' ? member.id.replace(/^29:/, '') : '');
      const id = personalConversationId(aad);
      const first = asRecord(activity.activity);
      if (Object.keys(first).length) this.store(id, first, 'bot');
      return reply(201, { id, serviceUrl: this.serviceUrl });
    }
    if (!conversationId) return reply(405, { error: { code: 'BadMethod' } });
    if (method === 'PUT' && activityId) {
      const existing = this.message(activityId);
      if (!existing) return reply(404, { error: { code: 'NotFound', message: 'no such activity' } });
      existing.activity = activity;
      existing.versions += 1;
      for (const key of [...this.personal.keys()])
        if (key.startsWith(`${activityId}|`)) this.personal.delete(key);
      this.changed();
      return reply(200, { id: activityId });
    }
    if (method === 'DELETE' && activityId) {
      const i = this.messages.findIndex((x) => x.id === activityId);
      if (i !== -1) this.messages.splice(i, 1);
      this.changed();
      return reply(200, {});
    }
    if (method !== 'POST') return reply(405, { error: { code: 'BadMethod' } });
    if (activity.type && activity.type !== 'message') return reply(200, { id: this.nextId() });
    const id = this.store(conversationId, activity, 'bot', activityId);
    return reply(201, { id });
  }

  // Activities to the bot, shaped as Teams sends them.

  private base(person: TeamsPerson, conversationId: string) {
    const isChannel = conversationId.startsWith('19:');
    return {
      id: `f:${randomUUID()}`,
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      timestamp: new Date().toISOString(),
      from: { id: `29:${person.aadObjectId}`, aadObjectId: person.aadObjectId, name: person.name },
      recipient: TEAMS_BOT,
      conversation: isChannel
        ? { id: conversationId, conversationType: 'channel', isGroup: true, tenantId: SANDBOX_TENANT }
        : { id: conversationId, conversationType: 'personal', tenantId: SANDBOX_TENANT },
      channelData: isChannel
        ? {
            tenant: { id: SANDBOX_TENANT },
            team: { id: SANDBOX_TEAM_ID },
            channel: { id: splitThread(conversationId).base },
          }
        : { tenant: { id: SANDBOX_TENANT } },
      locale: 'en-GB',
    };
  }

  async post(activity: unknown): Promise<InvokeAnswer> {
    if (!this.messagesUrl) throw new Error('The Teams bot is not connected to the sandbox yet');
    const res = await fetch(this.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // plain text
    }
    return { status: res.status, body };
  }

  /** The app is installed in a channel (or a person's personal scope): the bot keeps the reference. */
  install(person: TeamsPerson, conversationId: string): Promise<InvokeAnswer> {
    const b = this.base(person, conversationId);
    return this.post({
      ...b,
      type: 'conversationUpdate',
      membersAdded: [{ id: TEAMS_BOT.id }],
      channelData: {
        ...b.channelData,
        ...(conversationId.startsWith('19:') ? { eventType: 'teamMemberAdded' } : {}),
      },
    });
  }

  /** A message typed to the bot (in a channel thread when `replyToId` is set). */
  say(person: TeamsPerson, conversationId: string, text: string, replyToId?: string): Promise<InvokeAnswer> {
    // A new channel post starts its own thread (Teams addresses it as `<channel>;messageid=<id>`).
    const id = this.postAsPerson(
      replyToId ? `${conversationId};messageid=${replyToId}` : conversationId,
      person,
      text,
    );
    const root = replyToId ?? (conversationId.startsWith('19:') ? id : undefined);
    const conv = root ? `${conversationId};messageid=${root}` : conversationId;
    return this.post({ ...this.base(person, conv), id, type: 'message', text, textFormat: 'plain' });
  }

  /** An Action.Execute press: the `adaptiveCard/action` invoke, for the message the card is on. */
  invoke(
    person: TeamsPerson,
    messageId: string,
    verb: string,
    data: Record<string, unknown>,
    trigger: 'manual' | 'automatic' = 'manual',
  ): Promise<InvokeAnswer> {
    const msg = this.message(messageId);
    const conversationId = msg
      ? msg.replyToId
        ? `${msg.conversationId};messageid=${msg.replyToId}`
        : msg.conversationId
      : personalConversationId(person.aadObjectId);
    return this.post({
      ...this.base(person, conversationId),
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: messageId,
      value: { action: { type: 'Action.Execute', verb, data }, trigger },
    });
  }

  /** An Action.Submit press (a card without Universal Actions): a message carrying the data. */
  submit(person: TeamsPerson, messageId: string, data: Record<string, unknown>): Promise<InvokeAnswer> {
    const msg = this.message(messageId);
    const conversationId = msg?.conversationId ?? personalConversationId(person.aadObjectId);
    return this.post({
      ...this.base(person, conversationId),
      type: 'message',
      value: data,
      replyToId: messageId,
    });
  }

  /**
   * What Teams does with an invoke's answer: a card replaces the card on that message for the
   * person who pressed (everyone else sees the message as the bot last updated it); a message
   * answer is shown to them as a notice, returned here.
   */
  applyInvokeAnswer(messageId: string, answer: InvokeAnswer, viewer: string): string | undefined {
    const body = asRecord(answer.body);
    if (body.type === 'application/vnd.microsoft.card.adaptive' && this.message(messageId)) {
      this.personal.set(`${messageId}|${viewer}`, asRecord(body.value));
      this.changed();
      return undefined;
    }
    if (body.type === 'application/vnd.microsoft.activity.message')
      return typeof body.value === 'string' ? body.value : JSON.stringify(body.value ?? '');
    if (answer.status >= 400) return `The bot answered ${answer.status}`;
    return undefined;
  }
}
