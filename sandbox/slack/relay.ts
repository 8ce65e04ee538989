/**
 * What the sandbox page's clicks become on the Slack side: the payloads Slack sends an app
 * (slash command, block_actions, view_submission, view_closed, app_home_opened), form-encoded
 * or JSON as Slack sends each, and signed with the v0 scheme
 * (`v0=HMAC-SHA256(signing secret, "v0:<timestamp>:<body>")`), posted to the real bot's
 * /slack/events. The bot checks the signature exactly as it does for Slack.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { SANDBOX_TEAM } from './workspace.js';

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** A fresh signing secret for one sandbox run (handed to the bot as SLACK_SIGNING_SECRET). */
export const newSigningSecret = () => randomBytes(16).toString('hex');

export interface RelayAnswer {
  status: number;
  text: string;
  json: unknown;
}

export interface SlackUserRef {
  id: string;
  name: string;
}

export class SlackRelay {
  eventsUrl = '';
  private n = 0;

  constructor(private readonly signingSecret: string) {}

  private next(): number {
    this.n += 1;
    return this.n;
  }

  private async post(body: string, contentType: string): Promise<RelayAnswer> {
    if (!this.eventsUrl) throw new Error('The Slack bot is not connected to the sandbox yet');
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(this.eventsUrl, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': slackSignature(this.signingSecret, ts, body),
      },
      body,
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, text, json };
  }

  /** An interactive payload: form-encoded `payload=<json>`, as Slack posts it. */
  private interactive(payload: unknown): Promise<RelayAnswer> {
    return this.post(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  }

  private user(u: SlackUserRef) {
    return { id: u.id, username: u.name, name: u.name, team_id: SANDBOX_TEAM };
  }

  command(opts: {
    user: SlackUserRef;
    channel: string;
    command: string;
    text: string;
    triggerId: string;
  }): Promise<RelayAnswer> {
    const body = new URLSearchParams({
      token: 'sandbox',
      team_id: SANDBOX_TEAM,
      team_domain: 'sandbox',
      channel_id: opts.channel,
      channel_name: opts.channel,
      user_id: opts.user.id,
      user_name: opts.user.name,
      command: opts.command,
      text: opts.text,
      api_app_id: 'A0SANDBOX',
      response_url: 'http://sandbox.invalid/response',
      trigger_id: opts.triggerId,
    }).toString();
    return this.post(body, 'application/x-www-form-urlencoded');
  }

  blockAction(opts: {
    user: SlackUserRef;
    triggerId: string;
    /** A message's channel and ts, or a view (App Home, a modal). */
    container:
      | { type: 'message'; channel: string; ts: string; threadTs?: string; text: string }
      | { type: 'view'; viewId: string; viewType: string };
    action: {
      actionId: string;
      blockId: string;
      type: string;
      value?: string;
      text?: string;
      selectedOption?: { value: string; text: string };
    };
  }): Promise<RelayAnswer> {
    const n = this.next();
    const c = opts.container;
    const a = opts.action;
    const actionTs = `${Math.floor(Date.now() / 1000)}.${String(n).padStart(6, '0')}`;
    return this.interactive({
      type: 'block_actions',
      team: { id: SANDBOX_TEAM, domain: 'sandbox' },
      user: this.user(opts.user),
      api_app_id: 'A0SANDBOX',
      token: 'sandbox',
      trigger_id: opts.triggerId,
      ...(c.type === 'message'
        ? {
            container: {
              type: 'message',
              message_ts: c.ts,
              channel_id: c.channel,
              is_ephemeral: false,
              ...(c.threadTs ? { thread_ts: c.threadTs } : {}),
            },
            channel: { id: c.channel, name: c.channel },
            message: {
              type: 'message',
              ts: c.ts,
              text: c.text,
              ...(c.threadTs ? { thread_ts: c.threadTs } : {}),
            },
          }
        : { container: { type: 'view', view_id: c.viewId }, view: { id: c.viewId, type: c.viewType } }),
      response_url: 'http://sandbox.invalid/actions',
      actions: [
        {
          action_id: a.actionId,
          block_id: a.blockId,
          type: a.type,
          action_ts: actionTs,
          ...(a.value !== undefined ? { value: a.value } : {}),
          ...(a.text ? { text: { type: 'plain_text', text: a.text, emoji: true } } : {}),
          ...(a.selectedOption
            ? {
                selected_option: {
                  value: a.selectedOption.value,
                  text: { type: 'plain_text', text: a.selectedOption.text },
                },
              }
            : {}),
        },
      ],
    });
  }

  viewSubmission(opts: {
    user: SlackUserRef;
    triggerId: string;
    viewId: string;
    view: Record<string, unknown>;
    values: Record<string, Record<string, unknown>>;
  }): Promise<RelayAnswer> {
    return this.interactive({
      type: 'view_submission',
      team: { id: SANDBOX_TEAM, domain: 'sandbox' },
      user: this.user(opts.user),
      api_app_id: 'A0SANDBOX',
      token: 'sandbox',
      trigger_id: opts.triggerId,
      view: {
        ...opts.view,
        id: opts.viewId,
        team_id: SANDBOX_TEAM,
        private_metadata: typeof opts.view.private_metadata === 'string' ? opts.view.private_metadata : '',
        state: { values: opts.values },
        hash: `h${this.next()}`,
        app_id: 'A0SANDBOX',
      },
      response_urls: [],
    });
  }

  viewClosed(opts: {
    user: SlackUserRef;
    viewId: string;
    view: Record<string, unknown>;
  }): Promise<RelayAnswer> {
    return this.interactive({
      type: 'view_closed',
      team: { id: SANDBOX_TEAM, domain: 'sandbox' },
      user: this.user(opts.user),
      api_app_id: 'A0SANDBOX',
      token: 'sandbox',
      view: { ...opts.view, id: opts.viewId },
      is_cleared: false,
    });
  }

  appHomeOpened(user: string, channel: string): Promise<RelayAnswer> {
    const n = this.next();
    const now = Math.floor(Date.now() / 1000);
    return this.post(
      JSON.stringify({
        token: 'sandbox',
        team_id: SANDBOX_TEAM,
        api_app_id: 'A0SANDBOX',
        event: { type: 'app_home_opened', user, channel, tab: 'home', event_ts: `${now}.${n}` },
        type: 'event_callback',
        event_id: `Ev${now}${n}`,
        event_time: now,
      }),
      'application/json',
    );
  }
}
