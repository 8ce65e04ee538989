/**
 * The training sandbox (docs/sandbox.md): one loopback HTTP server that is, at once,
 *  - the Slack Web API the Slack bot is pointed at (`/slack/api/<method>`, SLACK_API_URL),
 *  - the Bot Connector the Teams bot answers through (`/teams/v3/…`, the activities' serviceUrl),
 *  - and the page (`/`) where a trainee acts as anyone in the protocol. The page's clicks reach
 *    the real bots as signed Slack requests and Teams invokes; what the bots send back is pushed
 *    to the page over server-sent events.
 * It refuses any host but loopback, and refuses to start under NODE_ENV=production (index.ts).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { z } from 'zod';
import type { Logger } from '../domain/logger.js';
import type { Directory, SandboxPerson } from './directory.js';
import type { Scenario } from './scenarios.js';
import { SlackRelay } from './slack/relay.js';
import { dmChannelOf, SlackWorkspace } from './slack/workspace.js';
import { personalConversationId, TeamsConnector, type TeamsPerson } from './teams/connector.js';

export const TRAINING_BANNER = 'TRAINING — not a real child';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export interface SandboxServerOptions {
  directory: Directory;
  scenarios: Scenario[];
  botToken: string;
  signingSecret: string;
  log: Logger;
}

const personRef = z.object({ person: z.string().min(1) });
const bodies = {
  slackCommand: personRef.extend({ channel: z.string().min(1), text: z.string().default('') }),
  slackAction: personRef.extend({
    container: z.union([
      z.object({
        type: z.literal('message'),
        channel: z.string(),
        ts: z.string(),
        threadTs: z.string().optional(),
        ephemeral: z.boolean().optional(),
      }),
      z.object({ type: z.literal('view'), viewId: z.string(), viewType: z.string() }),
    ]),
    action: z.object({
      actionId: z.string(),
      blockId: z.string(),
      type: z.string(),
      value: z.string().optional(),
      text: z.string().optional(),
      selectedOption: z.object({ value: z.string(), text: z.string() }).optional(),
    }),
  }),
  slackSubmit: personRef.extend({
    viewId: z.string(),
    values: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))),
  }),
  slackClose: personRef.extend({ viewId: z.string() }),
  slackHome: personRef,
  teamsSay: personRef.extend({
    conversation: z.string().min(1),
    text: z.string().min(1),
    replyToId: z.string().optional(),
  }),
  teamsExecute: personRef.extend({
    messageId: z.string(),
    verb: z.string(),
    data: z.record(z.string(), z.unknown()),
    trigger: z.enum(['manual', 'automatic']).default('manual'),
  }),
  teamsSubmit: personRef.extend({ messageId: z.string(), data: z.record(z.string(), z.unknown()) }),
  scenario: z.object({ id: z.string().min(1) }),
};

export interface SandboxServer {
  readonly url: string;
  readonly slackApiUrl: string;
  readonly teamsServiceUrl: string;
  readonly slack: SlackWorkspace;
  readonly teams: TeamsConnector;
  /** Tells the sandbox where the bots listen; installs the Teams app everywhere the protocol names. */
  connect(bots: { slackEventsUrl?: string; teamsMessagesUrl?: string }): Promise<void>;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startSandboxServer(
  options: SandboxServerOptions & { host: string; port: number; pageScript: () => Promise<string> },
): Promise<SandboxServer> {
  const { directory, log } = options;
  const clients = new Set<ServerResponse>();
  let version = 0;
  let pending: NodeJS.Timeout | undefined;
  const changed = () => {
    version += 1;
    // Many calls arrive together (a card and its thread): one push for them all.
    pending ??= setTimeout(() => {
      pending = undefined;
      for (const c of clients) c.write(`event: changed\ndata: ${version}\n\n`);
    }, 15);
  };
  const names = new Map<string, string>();
  for (const p of directory.people) if (p.slack) names.set(p.slack, p.name);
  const slack = new SlackWorkspace(options.botToken, names, changed);
  const teams = new TeamsConnector(changed);
  const relay = new SlackRelay(options.signingSecret);
  /** The scenario last started, so a reloaded page still sets expected against what happened. */
  let activeScenario: { id: string; startedAt: number } | undefined;
  const notices: Array<{ at: number; person: string; platform: string; text: string }> = [];

  const personOf = (name: string): SandboxPerson => {
    const p = directory.people.find((x) => x.name === name);
    if (!p) throw new HttpError(400, `No one called ${name} in the protocol`);
    return p;
  };
  const slackUser = (p: SandboxPerson) => {
    if (!p.slack) throw new HttpError(400, `${p.name} has no Slack ID in the protocol`);
    return { id: p.slack, name: p.name };
  };
  const teamsPerson = (p: SandboxPerson): TeamsPerson => {
    if (!p.teams) throw new HttpError(400, `${p.name} has no Teams ID in the protocol`);
    return { aadObjectId: p.teams, name: p.name };
  };
  const note = (person: string, platform: string, text: string) => {
    notices.push({ at: Date.now(), person, platform, text });
    changed();
  };

  const staticFiles: Record<string, { file: () => Promise<string | Buffer>; type: string }> = {
    '/': { file: () => readFile(join(here, 'page', 'index.html'), 'utf8'), type: 'text/html; charset=utf-8' },
    '/page.css': { file: () => readFile(join(here, 'page', 'page.css'), 'utf8'), type: 'text/css' },
    '/app.js': { file: options.pageScript, type: 'text/javascript; charset=utf-8' },
    '/adaptivecards.js': {
      file: () => readFile(require.resolve('adaptivecards/dist/adaptivecards.min.js')),
      type: 'text/javascript; charset=utf-8',
    },
  };

  async function act(path: string, raw: unknown): Promise<unknown> {
    switch (path) {
      case '/act/slack/command': {
        const b = bodies.slackCommand.parse(raw);
        const user = slackUser(personOf(b.person));
        const command = b.text.split(/\s+/)[0] ?? '';
        const rest = b.text.slice(command.length).trim();
        slack.postAsUser(b.channel, user.id, b.text);
        const answer = await relay.command({
          user,
          channel: b.channel,
          command,
          text: rest,
          triggerId: slack.newTrigger(user.id),
        });
        const json = answer.json as { text?: unknown } | null;
        const text = typeof json?.text === 'string' ? json.text : answer.json ? '' : answer.text;
        if (text)
          slack.ephemerals.push({ channel: b.channel, user: user.id, ts: slack.nextTs(), text, blocks: [] });
        changed();
        return { ok: answer.status < 400, status: answer.status };
      }
      case '/act/slack/action': {
        const b = bodies.slackAction.parse(raw);
        const user = slackUser(personOf(b.person));
        const c = b.container;
        const message =
          c.type === 'message'
            ? slack.messages.find((m) => m.channel === c.channel && m.ts === c.ts)
            : undefined;
        const answer = await relay.blockAction({
          user,
          triggerId: slack.newTrigger(user.id),
          container:
            c.type === 'message'
              ? {
                  type: 'message',
                  channel: c.channel,
                  ts: c.ts,
                  text: message?.text ?? '',
                  ...(c.threadTs ? { threadTs: c.threadTs } : {}),
                }
              : c,
          action: b.action,
        });
        return { ok: answer.status < 400, status: answer.status };
      }
      case '/act/slack/submit': {
        const b = bodies.slackSubmit.parse(raw);
        const user = slackUser(personOf(b.person));
        const modal = slack.modalOf(b.viewId);
        if (!modal || modal.user !== user.id) throw new HttpError(404, 'That form is no longer open');
        const answer = await relay.viewSubmission({
          user,
          triggerId: slack.newTrigger(user.id),
          viewId: modal.id,
          view: modal.view,
          values: b.values,
        });
        const json = (answer.json ?? {}) as {
          response_action?: string;
          errors?: Record<string, string>;
          view?: Record<string, unknown>;
        };
        if (answer.status >= 400) return { ok: false, status: answer.status };
        if (json.response_action === 'errors' && json.errors) {
          slack.setErrors(modal.id, json.errors);
          return { ok: false, errors: json.errors };
        }
        if (json.response_action === 'update' && json.view) slack.replaceModal(modal.id, json.view);
        else if (json.response_action === 'clear') slack.closeAllModals(user.id);
        else slack.closeModal(modal.id);
        return { ok: true };
      }
      case '/act/slack/close': {
        const b = bodies.slackClose.parse(raw);
        const user = slackUser(personOf(b.person));
        const modal = slack.modalOf(b.viewId);
        if (modal) {
          slack.closeModal(modal.id);
          if (modal.view.notify_on_close === true)
            await relay.viewClosed({ user, viewId: modal.id, view: modal.view });
        }
        return { ok: true };
      }
      case '/act/slack/home': {
        const b = bodies.slackHome.parse(raw);
        const user = slackUser(personOf(b.person));
        const answer = await relay.appHomeOpened(user.id, dmChannelOf(user.id));
        return { ok: answer.status < 400 };
      }
      case '/act/teams/say': {
        const b = bodies.teamsSay.parse(raw);
        const person = teamsPerson(personOf(b.person));
        const answer = await teams.say(person, b.conversation, b.text, b.replyToId);
        return { ok: answer.status < 400, status: answer.status };
      }
      case '/act/teams/execute': {
        const b = bodies.teamsExecute.parse(raw);
        const person = teamsPerson(personOf(b.person));
        const answer = await teams.invoke(person, b.messageId, b.verb, b.data, b.trigger);
        const words = teams.applyInvokeAnswer(b.messageId, answer, person.aadObjectId);
        if (words) note(b.person, 'teams', words);
        return { ok: answer.status < 400, status: answer.status, ...(words ? { notice: words } : {}) };
      }
      case '/act/teams/submit': {
        const b = bodies.teamsSubmit.parse(raw);
        const person = teamsPerson(personOf(b.person));
        const answer = await teams.submit(person, b.messageId, b.data);
        return { ok: answer.status < 400, status: answer.status };
      }
      case '/act/scenario': {
        const b = bodies.scenario.parse(raw);
        if (!options.scenarios.some((s) => s.id === b.id)) throw new HttpError(404, `No scenario ${b.id}`);
        activeScenario = { id: b.id, startedAt: Date.now() };
        changed();
        return { ok: true, ...activeScenario };
      }
      default:
        throw new HttpError(404, `No such action: ${path}`);
    }
  }

  const state = () => ({
    version,
    banner: TRAINING_BANNER,
    directory,
    scenarios: options.scenarios,
    activeScenario,
    slack: slack.state(),
    teams: teams.state(),
    notices,
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    const path = url.pathname;
    const raw = await readBody(req);
    if (path.startsWith('/slack/api/')) {
      slack.handle(req, res, path.slice('/slack/api/'.length), raw);
      return;
    }
    if (path.startsWith('/teams/v3/')) {
      if (teams.handle(req, res, path.slice('/teams'.length), raw)) return;
    }
    if (req.method === 'GET' && path === '/api/events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      res.write(`event: changed\ndata: ${version}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (req.method === 'GET' && path === '/api/state') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(state()));
      return;
    }
    if (req.method === 'POST' && path.startsWith('/act/')) {
      let body: unknown;
      try {
        body = JSON.parse(raw || '{}');
      } catch {
        throw new HttpError(400, 'Not JSON');
      }
      const out = await act(path, body);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
      return;
    }
    const file = req.method === 'GET' ? staticFiles[path] : undefined;
    if (file) {
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache' });
      res.end(await file.file());
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : err instanceof z.ZodError ? 400 : 500;
      const message =
        err instanceof z.ZodError
          ? err.issues.map((i) => i.path.join('.')).join(', ')
          : (err as Error).message;
      if (status === 500) log.warn({ err: message, path: req.url }, 'sandbox request failed');
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: message }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  slack.apiBase = `${url}/slack/api/`;
  teams.serviceUrl = `${url}/teams/`;

  return {
    url,
    slackApiUrl: `${url}/slack/api/`,
    teamsServiceUrl: `${url}/teams/`,
    slack,
    teams,
    async connect(bots) {
      if (bots.slackEventsUrl) relay.eventsUrl = bots.slackEventsUrl;
      if (bots.teamsMessagesUrl) {
        teams.messagesUrl = bots.teamsMessagesUrl;
        const installer = directory.people.find((p) => p.teams);
        if (installer?.teams) {
          const who = { aadObjectId: installer.teams, name: installer.name };
          for (const place of directory.places) {
            if (place.platform !== 'teams' || place.kind === 'dm') continue;
            await teams.install(who, place.id);
          }
        }
        for (const p of directory.people) {
          if (p.teams)
            await teams.install({ aadObjectId: p.teams, name: p.name }, personalConversationId(p.teams));
        }
      }
    },
    async stop() {
      if (pending) clearTimeout(pending);
      for (const c of clients) c.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
