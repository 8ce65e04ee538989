/**
 * The sandbox's Slack workspace: the part of the Slack Web API that the Slack bot calls
 * (auth.test, conversations.open/history/replies, chat.postMessage/update/postEphemeral,
 * views.open/push/update/publish, users.info, usergroups.users.list, chat.getPermalink and the
 * file upload pair), answering as Slack does, and keeping what a person would see: messages by
 * channel and thread, each person's ephemeral notes, their open modals and their App Home.
 * The bot is pointed here by SLACK_API_URL (docs/sandbox.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const SANDBOX_TEAM = 'T0SANDBOX';
export const SANDBOX_BOT_USER = 'U0CONCORDAT';
export const SANDBOX_BOT_ID = 'B0CONCORDAT';

export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  threadTs?: string;
  /** Who posted: the bot, or a person (a slash command echo). */
  user: string;
  edited: number;
  metadata?: unknown;
  postedAtSec: number;
}

export interface SlackEphemeral {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks: unknown[];
  threadTs?: string;
}

export interface SlackModal {
  id: string;
  user: string;
  view: Record<string, unknown>;
  /** Inline errors from the last submission, by block ID. */
  errors: Record<string, string>;
}

export interface SlackWorkspaceState {
  messages: SlackMessage[];
  ephemerals: SlackEphemeral[];
  modals: SlackModal[];
  homes: Record<string, Record<string, unknown>>;
}

/** A DM channel's ID for a user, as conversations.open answers it. */
export const dmChannelOf = (user: string) => `D${user.replace(/^[UW]/, '')}`;

function parseArgs(req: IncomingMessage, raw: string): Record<string, unknown> {
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    try {
      return JSON.parse(raw || '{}') as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (/^[[{]/.test(v)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // a string that only looks like JSON
      }
    }
    out[k] = v;
  }
  return out;
}

export class SlackWorkspace {
  readonly messages: SlackMessage[] = [];
  readonly ephemerals: SlackEphemeral[] = [];
  readonly modals: SlackModal[] = [];
  readonly homes = new Map<string, Record<string, unknown>>();
  /** trigger_id → the user whose click or command it came from (views.open needs it). */
  private readonly triggers = new Map<string, string>();
  private seq = 0;
  private viewSeq = 0;
  /** The Web API base URL (ending in /api/), for the file upload URLs handed out. */
  apiBase = '';

  constructor(
    readonly botToken: string,
    private readonly names: ReadonlyMap<string, string>,
    private readonly changed: () => void,
  ) {}

  nextTs(): string {
    this.seq += 1;
    const sec = Math.floor(Date.now() / 1000);
    return `${sec}.${String(this.seq).padStart(6, '0')}`;
  }

  newTrigger(user: string): string {
    this.seq += 1;
    const id = `${this.seq}.sandbox.${Math.random().toString(36).slice(2, 10)}`;
    this.triggers.set(id, user);
    return id;
  }

  modalOf(id: string): SlackModal | undefined {
    return this.modals.find((m) => m.id === id);
  }

  /** A person's open modals, the top one last. */
  modalsOf(user: string): SlackModal[] {
    return this.modals.filter((m) => m.user === user);
  }

  closeModal(id: string): void {
    const i = this.modals.findIndex((m) => m.id === id);
    if (i !== -1) this.modals.splice(i, 1);
    this.changed();
  }

  closeAllModals(user: string): void {
    for (let i = this.modals.length - 1; i >= 0; i--)
      if (this.modals[i]?.user === user) this.modals.splice(i, 1);
    this.changed();
  }

  setErrors(id: string, errors: Record<string, string>): void {
    const m = this.modalOf(id);
    if (m) m.errors = errors;
    this.changed();
  }

  replaceModal(id: string, view: Record<string, unknown>): void {
    const m = this.modalOf(id);
    if (m) {
      m.view = view;
      m.errors = {};
    }
    this.changed();
  }

  /** A person's own line in a channel (the slash command they typed), as Slack shows it to them. */
  postAsUser(channel: string, user: string, text: string): void {
    this.ephemerals.push({ channel, user, ts: this.nextTs(), text, blocks: [] });
    this.changed();
  }

  state(): SlackWorkspaceState {
    return {
      messages: this.messages,
      ephemerals: this.ephemerals,
      modals: this.modals,
      homes: Object.fromEntries(this.homes),
    };
  }

  private openView(user: string, view: Record<string, unknown>): Record<string, unknown> {
    this.viewSeq += 1;
    const id = `V${String(this.viewSeq).padStart(8, '0')}`;
    this.modals.push({ id, user, view, errors: {} });
    return { id, ...view };
  }

  /** Answers one Web API method, as Slack would. */
  answer(method: string, args: Record<string, unknown>, token: string | undefined): Record<string, unknown> {
    const str = (k: string) => {
      const v = args[k];
      return typeof v === 'string' ? v : '';
    };
    const blocks = () => (Array.isArray(args.blocks) ? (args.blocks as unknown[]) : []);
    if (method.startsWith('sandbox-upload/')) return { ok: true };
    if (token !== this.botToken) return { ok: false, error: 'invalid_auth' };
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          user_id: SANDBOX_BOT_USER,
          bot_id: SANDBOX_BOT_ID,
          team_id: SANDBOX_TEAM,
          team: 'Concordat sandbox',
          url: 'http://sandbox.invalid/',
        };
      case 'usergroups.users.list':
        return { ok: false, error: 'no_such_subteam' };
      case 'users.info': {
        const id = str('user');
        return { ok: true, user: { id, name: id.toLowerCase(), real_name: this.names.get(id) ?? id } };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: dmChannelOf(str('users').split(',')[0] ?? '') } };
      case 'chat.postMessage': {
        let channel = str('channel');
        if (/^[UW]/.test(channel)) channel = dmChannelOf(channel);
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const threadTs = str('thread_ts');
        const msg: SlackMessage = {
          channel,
          ts: this.nextTs(),
          text: str('text'),
          blocks: blocks(),
          ...(threadTs ? { threadTs } : {}),
          user: SANDBOX_BOT_USER,
          edited: 0,
          ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
          postedAtSec: Date.now() / 1000,
        };
        this.messages.push(msg);
        this.changed();
        return { ok: true, channel, ts: msg.ts, message: { text: msg.text, ts: msg.ts } };
      }
      case 'chat.update': {
        const msg = this.messages.find((m) => m.channel === str('channel') && m.ts === str('ts'));
        if (!msg) return { ok: false, error: 'message_not_found' };
        msg.text = str('text') || msg.text;
        if (Array.isArray(args.blocks)) msg.blocks = blocks();
        if (args.metadata !== undefined) msg.metadata = args.metadata;
        msg.edited += 1;
        this.changed();
        return { ok: true, channel: msg.channel, ts: msg.ts };
      }
      case 'chat.postEphemeral': {
        let channel = str('channel');
        if (/^[UW]/.test(channel)) channel = dmChannelOf(channel);
        const ts = this.nextTs();
        const threadTs = str('thread_ts');
        this.ephemerals.push({
          channel,
          user: str('user'),
          ts,
          text: str('text'),
          blocks: blocks(),
          ...(threadTs ? { threadTs } : {}),
        });
        this.changed();
        return { ok: true, message_ts: ts };
      }
      case 'conversations.history':
      case 'conversations.replies': {
        const oldest = Number(str('oldest') || '0');
        const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
        const found = this.messages.filter(
          (m) =>
            m.channel === str('channel') &&
            m.postedAtSec >= oldest &&
            (method === 'conversations.history'
              ? !m.threadTs
              : m.threadTs === str('ts') || m.ts === str('ts')),
        );
        return {
          ok: true,
          has_more: false,
          messages: [...found].reverse().map((m) => ({
            type: 'message',
            ts: m.ts,
            text: m.text,
            ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
          })),
        };
      }
      case 'views.open':
      case 'views.push': {
        const user = this.triggers.get(str('trigger_id'));
        if (!user) return { ok: false, error: 'invalid_trigger_id' };
        const view = (args.view ?? {}) as Record<string, unknown>;
        const opened = this.openView(user, view);
        this.changed();
        return { ok: true, view: opened };
      }
      case 'views.update': {
        const m = this.modalOf(str('view_id'));
        if (!m) return { ok: false, error: 'not_found' };
        m.view = (args.view ?? {}) as Record<string, unknown>;
        m.errors = {};
        this.changed();
        return { ok: true, view: { id: m.id, ...m.view } };
      }
      case 'views.publish': {
        const view = (args.view ?? {}) as Record<string, unknown>;
        this.homes.set(str('user_id'), view);
        this.changed();
        return { ok: true, view: { id: `VHOME${str('user_id')}`, ...view } };
      }
      case 'chat.getPermalink':
        return { ok: true, permalink: `#${str('channel')}/${str('message_ts')}` };
      case 'files.getUploadURLExternal':
        this.seq += 1;
        return { ok: true, upload_url: `${this.apiBase}sandbox-upload/${this.seq}`, file_id: `F${this.seq}` };
      case 'files.completeUploadExternal':
        return { ok: true, files: Array.isArray(args.files) ? args.files : [] };
      default:
        return { ok: true };
    }
  }

  /** Serves one POST /api/<method> request. */
  handle(req: IncomingMessage, res: ServerResponse, method: string, raw: string): void {
    const args = parseArgs(req, raw);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ')
      ? auth.slice(7)
      : typeof args.token === 'string'
        ? args.token
        : undefined;
    const body = this.answer(method, args, token);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}
