import type { FakeSocketMode } from '../../../fakes/slack/socket-mode-server.js';
import { postSigned } from '../../../fakes/slack/signing.js';

/** What the bot answered: the HTTP status and body, or the Socket Mode ack payload. */
export interface Reply {
  status: number;
  body: unknown;
}

/** Sends Slack's three kinds of traffic to the running bot, over HTTP or Socket Mode. */
export interface SlackDriver {
  readonly transport: 'http' | 'socket';
  command(payload: Record<string, unknown>): Promise<Reply>;
  interact(payload: Record<string, unknown>): Promise<Reply>;
  event(payload: Record<string, unknown>): Promise<Reply>;
}

export function formBody(payload: Record<string, unknown>): string {
  return new URLSearchParams(
    Object.entries(payload).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
}

export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export const FORM = 'application/x-www-form-urlencoded';

export function httpDriver(url: string, secret: string): SlackDriver {
  const send = async (body: string, contentType: string): Promise<Reply> => {
    const r = await postSigned(url, body, { secret, contentType });
    return { status: r.status, body: r.json ?? r.text };
  };
  return {
    transport: 'http',
    command: (p) => send(formBody(p), FORM),
    interact: (p) => send(interactionBody(p), FORM),
    event: (p) => send(JSON.stringify(p), 'application/json'),
  };
}

export function socketDriver(socket: FakeSocketMode): SlackDriver {
  const send = async (type: 'slash_commands' | 'interactive' | 'events_api', p: Record<string, unknown>) => {
    const ack = await socket.send(type, p);
    return { status: 200, body: Object.keys(ack).length ? ack : '' };
  };
  return {
    transport: 'socket',
    command: (p) => send('slash_commands', p),
    interact: (p) => send('interactive', p),
    event: (p) => send('events_api', p),
  };
}
