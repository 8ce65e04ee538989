import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Slack Web API on loopback. It records every call (method, arguments, token, HTTP status)
 * and keeps enough state to answer like Slack: messages by channel and ts (so chat.update can say
 * message_not_found), ephemerals, opened and published views. It can be told to fail the next
 * calls of a method with 429 + Retry-After, a 5xx, or an `ok:false` error.
 */

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  status: number;
  ok: boolean;
  /** What the fake answered (null for a fault). */
  response: Record<string, unknown> | null;
  /** When the call arrived (ms since the epoch). */
  at: number;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  threadTs: string | undefined;
  updates: number;
  /** Message metadata as posted (chat.postMessage `metadata`). */
  metadata?: { event_type: string; event_payload: Record<string, unknown> } | undefined;
  /** When it was posted (epoch seconds): `oldest` filters on this, as Slack filters on ts. */
  postedAtSec: number;
}

export type Fault = { status: 429; retryAfter: number } | { status: 500 | 502 | 503 } | { error: string };

export interface FakeSlackWebApi {
  /** Base URL for SLACK_API_URL / WebClient slackApiUrl, ending in /api/. */
  readonly url: string;
  readonly calls: RecordedCall[];
  readonly messages: StoredMessage[];
  callsTo(method: string): RecordedCall[];
  /** Successful calls only. */
  okCallsTo(method: string): RecordedCall[];
  /** The next calls of `method` answer these faults, in order, then normal service resumes. */
  failNext(method: string, ...faults: Fault[]): void;
  /** Members that usergroups.users.list answers for a user group. */
  setUserGroup(group: string, users: string[]): void;
  /** The ws:// URL apps.connections.open hands out (Socket Mode). */
  setSocketUrl(url: string): void;
  messagesIn(channel: string): StoredMessage[];
  /** Calls `listener` after every recorded call (benchmarks time the arrival of updates). */
  onCall(listener: (call: RecordedCall) => void): void;
  /** Waits until the predicate holds (polling), or throws after `timeoutMs`. */
  waitFor<T>(probe: () => T | undefined | null | false, timeoutMs?: number, what?: string): Promise<T>;
  reset(): void;
  close(): Promise<void>;
}

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
        // keep the string
      }
    }
    out[k] = v;
  }
  return out;
}

function parseMetadata(raw: unknown): StoredMessage['metadata'] {
  const value: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  if (!value || typeof value !== 'object') return undefined;
  const m = value as { event_type?: unknown; event_payload?: unknown };
  if (typeof m.event_type !== 'string') return undefined;
  return {
    event_type: m.event_type,
    event_payload: (m.event_payload && typeof m.event_payload === 'object' ? m.event_payload : {}) as Record<
      string,
      unknown
    >,
  };
}

export async function startFakeSlackWebApi(): Promise<FakeSlackWebApi> {
  const calls: RecordedCall[] = [];
  const messages: StoredMessage[] = [];
  const faults = new Map<string, Fault[]>();
  const listeners: Array<(call: RecordedCall) => void> = [];
  const record = (entry: Omit<RecordedCall, 'at'>) => {
    const call = { ...entry, at: Date.now() };
    calls.push(call);
    for (const l of listeners) l(call);
  };
  let socketUrl = '';
  const userGroups = new Map<string, string[]>();
  let seq = 0;
  let viewSeq = 0;
  let uploads = 0;
  let base = '';

  const dmFor = (user: string) => `D${user.replace(/^[UW]/, '')}`;
  const nextTs = () => {
    seq += 1;
    return `${1_700_000_000 + seq}.${String(seq).padStart(6, '0')}`;
  };

  function answer(method: string, args: Record<string, unknown>, token: string | undefined) {
    const str = (k: string) => {
      const v = args[k];
      return typeof v === 'string' ? v : '';
    };
    switch (method) {
      case 'auth.test':
        return token?.startsWith('xoxb-')
          ? {
              ok: true,
              user_id: 'UBOTUSER',
              bot_id: 'BBOT',
              team_id: 'T0TEAM',
              team: 'Test',
              url: 'https://test.slack.com/',
            }
          : { ok: false, error: 'invalid_auth' };
      case 'apps.connections.open':
        return token?.startsWith('xapp-')
          ? { ok: true, url: socketUrl }
          : { ok: false, error: 'invalid_auth' };
      case 'usergroups.users.list': {
        const users = userGroups.get(str('usergroup'));
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: dmFor(str('users').split(',')[0] ?? '') } };
      case 'chat.postMessage': {
        let channel = str('channel');
        if (/^[UW]/.test(channel)) channel = dmFor(channel);
        if (channel === '' || channel.startsWith('CMISSING'))
          return { ok: false, error: 'channel_not_found' };
        const msg: StoredMessage = {
          channel,
          ts: nextTs(),
          text: str('text'),
          blocks: Array.isArray(args.blocks) ? (args.blocks as unknown[]) : [],
          threadTs: str('thread_ts') || undefined,
          updates: 0,
          metadata: parseMetadata(args.metadata),
          postedAtSec: Date.now() / 1000,
        };
        messages.push(msg);
        return { ok: true, channel, ts: msg.ts, message: { text: msg.text, ts: msg.ts } };
      }
      case 'conversations.history':
      case 'conversations.replies': {
        const oldest = Number(str('oldest') || '0');
        const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
        const found = messages.filter(
          (m) =>
            m.channel === str('channel') &&
            m.postedAtSec >= oldest &&
            (method === 'conversations.history' ? !m.threadTs : m.threadTs === str('ts')),
        );
        return {
          ok: true,
          messages: found.map((m) => ({
            ts: m.ts,
            text: m.text,
            ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
          })),
        };
      }
      case 'chat.update': {
        const msg = messages.find((m) => m.channel === str('channel') && m.ts === str('ts'));
        if (!msg) return { ok: false, error: 'message_not_found' };
        msg.text = str('text');
        msg.blocks = Array.isArray(args.blocks) ? (args.blocks as unknown[]) : [];
        msg.updates += 1;
        return { ok: true, channel: msg.channel, ts: msg.ts };
      }
      case 'chat.postEphemeral':
        if (str('channel').startsWith('CMISSING')) return { ok: false, error: 'channel_not_found' };
        return { ok: true, message_ts: nextTs() };
      case 'views.open':
      case 'views.push':
        viewSeq += 1;
        return { ok: true, view: { id: `V${String(viewSeq).padStart(8, '0')}`, ...(args.view as object) } };
      case 'views.update':
      case 'views.publish':
        return {
          ok: true,
          view: { id: str('view_id') || `VHOME${str('user_id')}`, ...(args.view as object) },
        };
      case 'files.getUploadURLExternal':
        uploads += 1;
        return { ok: true, upload_url: `${base}upload/F${uploads}`, file_id: `F${uploads}` };
      case 'files.completeUploadExternal':
        return { ok: true, files: Array.isArray(args.files) ? args.files : [] };
      case 'chat.getPermalink':
        return {
          ok: true,
          permalink: `https://test.slack.com/archives/${str('channel')}/p${str('message_ts').replace('.', '')}`,
        };
      default:
        return { ok: true };
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = url.pathname.replace(/^\/api\//, '');
    // File bytes posted to an upload URL are multipart: record the size, not the bytes.
    const args = method.startsWith('upload/') ? { bytes: raw.length } : parseArgs(req, raw);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ')
      ? auth.slice(7)
      : typeof args.token === 'string'
        ? args.token
        : undefined;
    const queue = faults.get(method);
    const fault = queue?.shift();
    if (fault) {
      if ('status' in fault) {
        record({ method, args, token, status: fault.status, ok: false, response: null });
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (fault.status === 429) headers['retry-after'] = String(fault.retryAfter);
        res.writeHead(fault.status, headers);
        res.end(
          JSON.stringify({ ok: false, error: fault.status === 429 ? 'ratelimited' : 'internal_error' }),
        );
        return;
      }
      record({
        method,
        args,
        token,
        status: 200,
        ok: false,
        response: { ok: false, error: fault.error },
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: fault.error }));
      return;
    }
    const body = answer(method, args, token);
    record({ method, args, token, status: 200, ok: body.ok, response: body });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}/api/`;

  return {
    url: base,
    calls,
    messages,
    setUserGroup: (group, users) => void userGroups.set(group, users),
    callsTo: (method) => calls.filter((c) => c.method === method),
    okCallsTo: (method) => calls.filter((c) => c.method === method && c.ok),
    failNext(method, ...list) {
      faults.set(method, [...(faults.get(method) ?? []), ...list]);
    },
    setSocketUrl(url) {
      socketUrl = url;
    },
    messagesIn: (channel) => messages.filter((m) => m.channel === channel),
    onCall(listener) {
      listeners.push(listener);
    },
    async waitFor(probe, timeoutMs = 10_000, what = 'condition') {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const v = probe();
        if (v) return v;
        if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    reset() {
      calls.length = 0;
      messages.length = 0;
      faults.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
