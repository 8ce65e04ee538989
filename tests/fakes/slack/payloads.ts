/**
 * Builders for the payloads Slack sends, in the shapes Slack documents. The same objects go over
 * HTTP (form-encoded, signed) and over Socket Mode (inside an envelope).
 */
export interface SlackUser {
  id: string;
  name?: string;
}

let counter = 0;
const next = () => {
  counter += 1;
  return counter;
};

export function slashCommand(opts: { user: SlackUser; channel?: string; command?: string; text?: string }) {
  return {
    token: 'legacy-verification-token',
    team_id: 'T0TEAM',
    team_domain: 'test',
    channel_id: opts.channel ?? 'C0CUSTODYNTH',
    channel_name: 'custody',
    user_id: opts.user.id,
    user_name: opts.user.name ?? opts.user.id.toLowerCase(),
    command: opts.command ?? '/bedrequest',
    text: opts.text ?? '',
    api_app_id: 'A0FAKE',
    response_url: 'https://hooks.slack.test/commands/1',
    trigger_id: `trigger-cmd-${next()}`,
  };
}

export function blockAction(opts: {
  user: SlackUser;
  actionId: string;
  value: string;
  channel?: string;
  messageTs?: string;
  actionTs?: string;
}) {
  const n = next();
  return {
    type: 'block_actions',
    team: { id: 'T0TEAM', domain: 'test' },
    user: {
      id: opts.user.id,
      username: opts.user.name ?? opts.user.id,
      name: opts.user.name ?? opts.user.id,
      team_id: 'T0TEAM',
    },
    api_app_id: 'A0FAKE',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: opts.messageTs ?? '1700000000.000001',
      channel_id: opts.channel ?? 'C0EDT',
      is_ephemeral: false,
    },
    trigger_id: `trigger-act-${n}`,
    channel: { id: opts.channel ?? 'C0EDT', name: 'edt' },
    message: { type: 'message', ts: opts.messageTs ?? '1700000000.000001', text: 'card' },
    response_url: 'https://hooks.slack.test/actions/1',
    actions: [
      {
        action_id: opts.actionId,
        block_id: 'concordat.card_actions',
        text: { type: 'plain_text', text: 'x', emoji: true },
        value: opts.value,
        type: 'button',
        action_ts: opts.actionTs ?? `${1_700_000_000 + n}.${String(n).padStart(6, '0')}`,
      },
    ],
  };
}

/** One element's submitted state, by kind. */
export const el = {
  text: (value: string | null) => ({ type: 'plain_text_input', value }),
  select: (value: string | null) => ({
    type: 'static_select',
    selected_option: value === null ? null : { text: { type: 'plain_text', text: value }, value },
  }),
  radio: (value: string | null) => ({
    type: 'radio_buttons',
    selected_option: value === null ? null : { text: { type: 'plain_text', text: value }, value },
  }),
  number: (value: string | null) => ({ type: 'number_input', value }),
  date: (value: string | null) => ({ type: 'datepicker', selected_date: value }),
  dateTime: (seconds: number | null) => ({ type: 'datetimepicker', selected_date_time: seconds }),
};

export type ElementState = ReturnType<(typeof el)[keyof typeof el]>;

/** `{ blockId: element }` → Slack's `state.values` (`{ blockId: { value: element } }`). */
export function stateValues(fields: Record<string, ElementState>) {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { value: v }]));
}

export function viewSubmission(opts: {
  user: SlackUser;
  callbackId: string;
  fields: Record<string, ElementState>;
  privateMetadata?: string;
  viewId?: string;
}) {
  return {
    type: 'view_submission',
    team: { id: 'T0TEAM', domain: 'test' },
    user: {
      id: opts.user.id,
      username: opts.user.name ?? opts.user.id,
      name: opts.user.name ?? opts.user.id,
      team_id: 'T0TEAM',
    },
    api_app_id: 'A0FAKE',
    token: 'legacy-verification-token',
    trigger_id: `trigger-view-${next()}`,
    view: {
      id: opts.viewId ?? `VSUB${String(next()).padStart(6, '0')}`,
      team_id: 'T0TEAM',
      type: 'modal',
      callback_id: opts.callbackId,
      private_metadata: opts.privateMetadata ?? '',
      blocks: [],
      state: { values: stateValues(opts.fields) },
      hash: 'h',
      title: { type: 'plain_text', text: 't' },
      app_id: 'A0FAKE',
      bot_id: 'BBOT',
    },
    response_urls: [],
  };
}

export function appHomeOpened(user: string) {
  const n = next();
  return {
    token: 'legacy-verification-token',
    team_id: 'T0TEAM',
    api_app_id: 'A0FAKE',
    event: {
      type: 'app_home_opened',
      user,
      channel: `D${user.slice(1)}`,
      tab: 'home',
      event_ts: `${1_700_000_000 + n}.000100`,
    },
    type: 'event_callback',
    event_id: `Ev${String(n).padStart(8, '0')}`,
    event_time: 1_700_000_000 + n,
  };
}
