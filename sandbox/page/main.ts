/**
 * The sandbox page (docs/sandbox.md): channels and DMs from the protocol, an act-as picker, Slack
 * (Block Kit, modals, App Home) or Teams (Adaptive Cards by Microsoft's renderer), live over
 * server-sent events. Every click goes to the sandbox server, which sends it to the real bot.
 */
import type * as AC from 'adaptivecards';
import { readState, renderBlocks, setMentionNames, type Json } from './block-kit.js';
import { prefillCard, prefillView, type Answers } from './prefill.js';

declare const AdaptiveCards: typeof AC;

interface Place {
  platform: 'slack' | 'teams';
  id: string;
  name: string;
  kind: string;
  person?: string;
}
interface Person {
  name: string;
  label: string;
  roles: string[];
  slack?: string;
  teams?: string;
}
interface Scenario {
  id: string;
  title: string;
  startAs: string;
  custodySuiteId: string;
  brief: string;
  steps: string[];
  form: Answers;
  expect: Array<{ what: string; where: string; says: string }>;
}
interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  threadTs?: string;
  user: string;
  edited: number;
}
interface SlackEphemeral {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks: unknown[];
}
interface SlackModal {
  id: string;
  user: string;
  view: Json;
  errors: Record<string, string>;
}
interface TeamsMessage {
  id: string;
  conversationId: string;
  replyToId?: string;
  from: string;
  activity: Json;
  versions: number;
  postedAt: number;
}
interface State {
  version: number;
  banner: string;
  directory: { forceName: string; places: Place[]; people: Person[] };
  scenarios: Scenario[];
  activeScenario?: { id: string; startedAt: number };
  slack: {
    messages: SlackMessage[];
    ephemerals: SlackEphemeral[];
    modals: SlackModal[];
    homes: Record<string, Json>;
  };
  teams: { messages: TeamsMessage[]; personal: Record<string, Json> };
  notices: Array<{ at: number; person: string; platform: string; text: string }>;
}

const $ = <T extends HTMLElement>(sel: string) => document.querySelector<T>(sel) as T;
const ui = {
  places: $('#places'),
  conversation: $('#conversation'),
  panel: $('#scenario-panel'),
  modals: $('#modal-layer'),
  actAs: $<HTMLSelectElement>('#act-as'),
  scenario: $<HTMLSelectElement>('#scenario'),
  start: $<HTMLButtonElement>('#start-scenario'),
  toast: $('#toast'),
};

let state: State | undefined;
const view = {
  platform: 'slack' as 'slack' | 'teams',
  person: '',
  place: '' as string,
  /** The App Home tab of the acting person (Slack). */
  home: false,
  scenario: undefined as { scenario: Scenario; startedAt: number } | undefined,
};
/** Rendered nodes kept while their content is unchanged, so typing in a form survives updates. */
const rendered = new Map<string, HTMLElement>();
let noticesSeen = 0;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

async function post(path: string, body: unknown): Promise<Json> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as Json;
  if (!res.ok) toast(str(json.error) || `The sandbox answered ${res.status}`);
  return json;
}

function toast(text: string): void {
  ui.toast.textContent = text;
  ui.toast.classList.add('show');
  setTimeout(() => ui.toast.classList.remove('show'), 5000);
}

function me(): Person | undefined {
  return state?.directory.people.find((p) => p.name === view.person);
}
function myId(): string | undefined {
  const p = me();
  return view.platform === 'slack' ? p?.slack : p?.teams;
}

function placesFor(platform: string): Place[] {
  return state?.directory.places.filter((p) => p.platform === platform) ?? [];
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function timeOf(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

// Sidebar

function renderPlaces(): void {
  if (!state) return;
  ui.places.replaceChildren();
  const mine = myId();
  const groups: Array<[string, Place[]]> = [
    ['Channels', placesFor(view.platform).filter((p) => p.kind !== 'dm')],
    ['Direct messages', placesFor(view.platform).filter((p) => p.kind === 'dm' && p.person === mine)],
  ];
  for (const [title, list] of groups) {
    ui.places.append(el('h2', undefined, title));
    for (const p of list) {
      const b = el('button', undefined, p.kind === 'dm' ? 'Concordat (direct messages)' : `# ${p.name}`);
      b.setAttribute('aria-current', String(!view.home && view.place === p.id));
      const count = messagesIn(p.id).length;
      if (count) b.append(el('span', 'badge', String(count)));
      b.addEventListener('click', () => {
        view.place = p.id;
        view.home = false;
        renderAll();
      });
      ui.places.append(b);
    }
  }
  if (view.platform === 'slack' && mine) {
    const b = el('button', undefined, 'App Home');
    b.setAttribute('aria-current', String(view.home));
    b.addEventListener('click', () => {
      view.home = true;
      renderAll();
      void post('/act/slack/home', { person: view.person });
    });
    ui.places.append(el('h2', undefined, 'Apps'), b);
  }
}

function messagesIn(placeId: string): Array<SlackMessage | TeamsMessage> {
  if (!state) return [];
  return view.platform === 'slack'
    ? state.slack.messages.filter((m) => m.channel === placeId && !m.threadTs)
    : state.teams.messages.filter((m) => m.conversationId === placeId && !m.replyToId);
}

// Slack

function slackCtx(container: Json, errors?: Record<string, string>) {
  return {
    idPrefix: `s${Math.random().toString(36).slice(2, 8)}`,
    ...(errors ? { errors } : {}),
    onAction: (action: Json) => void post('/act/slack/action', { person: view.person, container, action }),
  };
}

function slackMessageNode(m: SlackMessage, thread: SlackMessage[]): HTMLElement {
  const key = `slack|${m.channel}|${m.ts}|${m.edited}|${thread.map((t) => `${t.ts}:${t.edited}`).join(',')}`;
  const cached = rendered.get(key);
  if (cached) return cached;
  const node = el('article', 'msg');
  node.append(slackBody(m));
  if (thread.length) {
    const t = el('div', 'thread');
    t.setAttribute('aria-label', `Thread, ${thread.length} replies`);
    for (const r of thread) t.append(slackBody(r));
    node.append(t);
  }
  rendered.set(key, node);
  return node;
}

function slackBody(m: SlackMessage): HTMLElement {
  const body = el('div');
  const head = el('div');
  head.append(el('span', 'who', 'Concordat'), el('span', 'when', timeOf(Number(m.ts.split('.')[0]) * 1000)));
  if (m.edited) head.append(el('span', 'edited', ' (edited)'));
  body.append(head, el('div', 'card-banner', state?.banner ?? ''));
  if (m.blocks.length) {
    body.append(
      renderBlocks(
        m.blocks,
        slackCtx({
          type: 'message',
          channel: m.channel,
          ts: m.ts,
          ...(m.threadTs ? { threadTs: m.threadTs } : {}),
        }),
      ),
    );
  } else body.append(el('div', undefined, m.text));
  return body;
}

function renderSlackConversation(): void {
  if (!state) return;
  const mine = myId();
  if (view.home) {
    const home = mine ? state.slack.homes[mine] : undefined;
    const wrap = el('section', 'home');
    wrap.append(el('h2', undefined, 'Concordat — Home'), el('div', 'card-banner', state.banner));
    wrap.append(
      home
        ? renderBlocks(
            home.blocks,
            slackCtx({ type: 'view', viewId: `VHOME${mine ?? ''}`, viewType: 'home' }),
          )
        : el('p', undefined, 'Opening App Home…'),
    );
    ui.conversation.replaceChildren(wrap);
    return;
  }
  const place = placesFor('slack').find((p) => p.id === view.place);
  const list = el('div');
  const heading = el(
    'h2',
    undefined,
    place ? (place.kind === 'dm' ? 'Concordat (direct messages)' : `# ${place.name}`) : '',
  );
  const roots = state.slack.messages.filter((m) => m.channel === view.place && !m.threadTs);
  const items: Array<{ ts: string; node: HTMLElement }> = roots.map((m) => ({
    ts: m.ts,
    node: slackMessageNode(
      m,
      state!.slack.messages.filter((r) => r.channel === m.channel && r.threadTs === m.ts),
    ),
  }));
  for (const e of state.slack.ephemerals.filter((x) => x.channel === view.place && x.user === mine)) {
    const node = el('article', 'msg ephemeral');
    node.append(el('div', 'only', 'Only visible to you'));
    node.append(
      e.blocks.length
        ? renderBlocks(e.blocks, slackCtx({ type: 'message', channel: e.channel, ts: e.ts }))
        : el('div', undefined, e.text),
    );
    items.push({ ts: e.ts, node });
  }
  items.sort((a, b) => Number(a.ts) - Number(b.ts));
  list.append(...items.map((i) => i.node));
  ui.conversation.replaceChildren(heading, list, composer());
}

function renderSlackModal(): void {
  if (!state) return;
  const mine = myId();
  const top = state.slack.modals.filter((m) => m.user === mine).at(-1);
  if (!top || view.platform !== 'slack') {
    ui.modals.replaceChildren();
    return;
  }
  const key = `modal|${top.id}|${JSON.stringify(top.view).length}|${JSON.stringify(top.errors)}`;
  const existing = ui.modals.firstElementChild as HTMLElement | null;
  if (existing?.dataset.key === key) return;
  const previous = existing?.dataset.modalId === top.id ? existing : null;
  const backdrop = el('div', 'modal-backdrop');
  backdrop.dataset.key = key;
  backdrop.dataset.modalId = top.id;
  const dialog = el('div', 'modal');
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  const title = str((top.view.title as Json | undefined)?.text);
  dialog.setAttribute('aria-label', title);
  const active = view.scenario?.scenario;
  const shown = active && !previous ? prefillView(top.view, active.form) : top.view;
  const body = el('div', 'body');
  body.append(el('div', 'card-banner', state.banner));
  body.append(
    renderBlocks(shown.blocks, {
      ...slackCtx({ type: 'view', viewId: top.id, viewType: 'modal' }),
      errors: top.errors,
    }),
  );
  // After refused values come back with errors, keep what the person typed.
  if (previous) copyValues(previous, body);
  const foot = el('div', 'foot');
  const close = el('button', 'bk-button', str((top.view.close as Json | undefined)?.text) || 'Cancel');
  close.type = 'button';
  close.addEventListener(
    'click',
    () => void post('/act/slack/close', { person: view.person, viewId: top.id }),
  );
  foot.append(close);
  const submitText = str((top.view.submit as Json | undefined)?.text);
  if (submitText) {
    const submit = el('button', 'bk-button primary', submitText);
    submit.type = 'button';
    submit.addEventListener('click', () => {
      submit.disabled = true;
      void post('/act/slack/submit', {
        person: view.person,
        viewId: top.id,
        values: readState(body),
      }).finally(() => {
        submit.disabled = false;
      });
    });
    foot.append(submit);
  }
  dialog.append(el('h2', undefined, title), body, foot);
  backdrop.append(dialog);
  ui.modals.replaceChildren(backdrop);
}

function copyValues(from: HTMLElement, to: HTMLElement): void {
  const read = (root: HTMLElement) =>
    Array.from(
      root.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
        'input, select, textarea',
      ),
    );
  const a = read(from);
  const b = read(to);
  b.forEach((control, i) => {
    const old = a[i];
    if (!old) return;
    if (control instanceof HTMLInputElement && (control.type === 'radio' || control.type === 'checkbox')) {
      control.checked = (old as HTMLInputElement).checked;
    } else control.value = old.value;
  });
}

// Teams

function cardOf(activity: Json): Json | undefined {
  const attachments = Array.isArray(activity.attachments) ? (activity.attachments as Json[]) : [];
  const first = attachments[0];
  return first?.contentType === 'application/vnd.microsoft.card.adaptive'
    ? (first.content as Json)
    : undefined;
}

const hostConfig = {
  fontFamily: "'Segoe UI', system-ui, sans-serif",
  actions: {
    maxActions: 8,
    actionsOrientation: 'horizontal',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline' },
  },
};

/** Teams' card markdown (bold, italic, links, line breaks), for TextBlocks with it. */
function teamsMarkdown(text: string, result: { didProcess: boolean; outputHtml?: unknown }): void {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  result.outputHtml = escaped
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|\s)_([^_]+)_/g, '$1<em>$2</em>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2">$1</a>')
    .replace(/\n/g, '<br>');
  result.didProcess = true;
}

function teamsCardNode(m: TeamsMessage, mine: string | undefined): HTMLElement {
  const personal = mine ? state?.teams.personal[`${m.id}|${mine}`] : undefined;
  const card = personal ?? cardOf(m.activity);
  const node = el('div');
  node.append(el('div', 'card-banner', state?.banner ?? ''));
  if (!card) {
    node.append(el('div', undefined, str(m.activity.text)));
    return node;
  }
  const active = view.scenario?.scenario;
  const json = active ? prefillCard(card, active.form) : card;
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = teamsMarkdown;
  const ac = new AdaptiveCards.AdaptiveCard();
  ac.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
  ac.onExecuteAction = (action) => {
    if (action instanceof AdaptiveCards.ExecuteAction) {
      void post('/act/teams/execute', {
        person: view.person,
        messageId: m.id,
        verb: action.verb,
        data: (action.data ?? {}) as Json,
      });
    } else if (action instanceof AdaptiveCards.SubmitAction) {
      void post('/act/teams/submit', {
        person: view.person,
        messageId: m.id,
        data: (action.data ?? {}) as Json,
      });
    }
  };
  ac.parse(json);
  const out = ac.render();
  const wrap = el('div', 'teams-card');
  if (out) wrap.append(out);
  node.append(wrap);
  return node;
}

function teamsMessageNode(m: TeamsMessage, thread: TeamsMessage[], mine: string | undefined): HTMLElement {
  const personalKey = (x: TeamsMessage) => (mine && state?.teams.personal[`${x.id}|${mine}`] ? 'p' : '');
  const key = `teams|${m.id}|${m.versions}${personalKey(m)}|${thread.map((t) => `${t.id}:${t.versions}${personalKey(t)}`).join(',')}|${mine ?? ''}`;
  const cached = rendered.get(key);
  if (cached) return cached;
  const node = el('article', 'msg');
  const body = (x: TeamsMessage) => {
    const b = el('div');
    const head = el('div');
    const who =
      x.from === 'bot'
        ? 'Concordat'
        : (state?.directory.people.find((p) => p.teams === x.from)?.name ?? x.from);
    head.append(el('span', 'who', who), el('span', 'when', timeOf(x.postedAt)));
    if (x.versions > 1) head.append(el('span', 'edited', ' (edited)'));
    b.append(head);
    if (x.from === 'bot') b.append(teamsCardNode(x, mine));
    else b.append(el('div', undefined, str(x.activity.text)));
    return b;
  };
  node.append(body(m));
  if (thread.length) {
    const t = el('div', 'thread');
    t.setAttribute('aria-label', `Thread, ${thread.length} replies`);
    for (const r of thread) t.append(body(r));
    node.append(t);
  }
  rendered.set(key, node);
  return node;
}

function renderTeamsConversation(): void {
  if (!state) return;
  const mine = myId();
  const place = placesFor('teams').find((p) => p.id === view.place);
  const heading = el(
    'h2',
    undefined,
    place ? (place.kind === 'dm' ? 'Concordat (chat)' : `# ${place.name}`) : '',
  );
  const list = el('div');
  const all = state.teams.messages;
  for (const m of all.filter((x) => x.conversationId === view.place && !x.replyToId)) {
    list.append(
      teamsMessageNode(
        m,
        all.filter((r) => r.replyToId === m.id),
        mine,
      ),
    );
  }
  ui.conversation.replaceChildren(heading, list, composer());
}

// Composer: a slash command in Slack, a message to the bot in Teams.

let draft = '';
function composer(): HTMLElement {
  const form = el('form', 'composer');
  const input = el('input');
  input.setAttribute('aria-label', 'Message');
  input.placeholder =
    view.platform === 'slack' ? 'Type /bedrequest to start a request' : 'Type bedrequest to start a request';
  input.value = draft;
  input.addEventListener('input', () => (draft = input.value));
  const send = el('button', 'bk-button primary', 'Send');
  send.type = 'submit';
  form.append(input, send);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    draft = '';
    input.value = '';
    void sendText(text);
  });
  return form;
}

async function sendText(text: string): Promise<void> {
  if (view.platform === 'slack') {
    await post('/act/slack/command', {
      person: view.person,
      channel: view.place,
      text: text.startsWith('/') ? text : `/${text}`,
    });
  } else {
    await post('/act/teams/say', { person: view.person, conversation: view.place, text });
  }
}

// Scenarios

function renderScenarioPanel(): void {
  if (!state) return;
  const s = view.scenario;
  if (!s) {
    ui.panel.replaceChildren(
      el('h2', undefined, 'Training'),
      el(
        'p',
        undefined,
        'Pick a scenario above and press “Start scenario”, or act as anyone and use the channels freely.',
      ),
    );
    return;
  }
  const out: HTMLElement[] = [
    el('h2', undefined, s.scenario.title),
    el('p', undefined, s.scenario.brief),
    el('h3', undefined, 'What to do'),
  ];
  const ol = el('ol');
  for (const step of s.scenario.steps) ol.append(el('li', undefined, step));
  out.push(ol, el('h3', undefined, 'What the protocol expects, and what happened'));
  const ul = el('ul', 'expect');
  for (const e of s.scenario.expect) {
    const when = happened(e, s.startedAt);
    const li = el(
      'li',
      when ? 'done' : 'waiting',
      `${e.what}${when ? ` — at ${timeOf(when)}` : ' — not yet'}`,
    );
    ul.append(li);
  }
  out.push(ul);
  ui.panel.replaceChildren(...out);
}

function textOfJson(v: unknown): string {
  return JSON.stringify(v ?? '');
}

/** When a message matching the expectation arrived (on the current platform), if it has. */
function happened(e: { where: string; says: string }, since: number): number | undefined {
  if (!state) return undefined;
  const places = placesFor(view.platform).filter((p) => p.name.toLowerCase().includes(e.where.toLowerCase()));
  const ids = new Set(places.map((p) => p.id));
  const says = e.says.toLowerCase();
  if (view.platform === 'slack') {
    const m = state.slack.messages.find(
      (x) =>
        ids.has(x.channel) &&
        Number(x.ts) * 1000 >= since - 1000 &&
        (x.text + textOfJson(x.blocks)).toLowerCase().includes(says),
    );
    return m ? Number(m.ts) * 1000 : undefined;
  }
  const m = state.teams.messages.find(
    (x) =>
      ids.has(x.conversationId) &&
      x.postedAt >= since - 1000 &&
      textOfJson(x.activity).toLowerCase().includes(says),
  );
  return m?.postedAt;
}

async function startScenario(): Promise<void> {
  const s = state?.scenarios.find((x) => x.id === ui.scenario.value);
  if (!s || !state) return;
  const started = await post('/act/scenario', { id: s.id });
  view.scenario = {
    scenario: s,
    startedAt: typeof started.startedAt === 'number' ? started.startedAt : Date.now(),
  };
  view.person = s.startAs;
  ui.actAs.value = s.startAs;
  const custody = placesFor(view.platform).find((p) => p.kind === 'custody');
  if (custody) view.place = custody.id;
  view.home = false;
  renderAll();
  await sendText(view.platform === 'slack' ? '/bedrequest' : 'bedrequest');
}

// Everything

function renderAll(): void {
  if (!state) return;
  document.body.classList.toggle('teams', view.platform === 'teams');
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('.switch button'))) {
    b.setAttribute('aria-pressed', String(b.dataset.platform === view.platform));
  }
  if (!placesFor(view.platform).some((p) => p.id === view.place))
    view.place = placesFor(view.platform)[0]?.id ?? '';
  renderPlaces();
  if (view.platform === 'slack') renderSlackConversation();
  else renderTeamsConversation();
  renderSlackModal();
  renderScenarioPanel();
  const fresh = state.notices.slice(noticesSeen).filter((n) => n.person === view.person);
  noticesSeen = state.notices.length;
  const last = fresh.at(-1);
  if (last) toast(last.text);
}

function fillPickers(): void {
  if (!state) return;
  ui.actAs.replaceChildren(
    ...state.directory.people.map((p) => {
      const o = el('option', undefined, p.label);
      o.value = p.name;
      return o;
    }),
  );
  view.person ||= state.directory.people[0]?.name ?? '';
  ui.actAs.value = view.person;
  ui.scenario.replaceChildren(
    ...state.scenarios.map((s) => {
      const o = el('option', undefined, s.title);
      o.value = s.id;
      return o;
    }),
  );
  document.title = `Concordat sandbox — ${state.directory.forceName} — ${state.banner}`;
}

async function refresh(): Promise<void> {
  const res = await fetch('/api/state');
  const first = !state;
  state = (await res.json()) as State;
  if (first) {
    fillPickers();
    setMentionNames([
      ...state.directory.places
        .filter((p) => p.platform === 'slack')
        .map((p): [string, string] => [p.id, p.name]),
      ...state.directory.people.filter((p) => p.slack).map((p): [string, string] => [p.slack ?? '', p.name]),
    ]);
  }
  const active = state.activeScenario;
  const scenario = active ? state.scenarios.find((s) => s.id === active.id) : undefined;
  if (active && scenario && view.scenario?.startedAt !== active.startedAt) {
    view.scenario = { scenario, startedAt: active.startedAt };
    ui.scenario.value = scenario.id;
  }
  // Forget rendered nodes no longer current, so the cache does not grow without end.
  if (rendered.size > 2000) rendered.clear();
  renderAll();
}

ui.actAs.addEventListener('change', () => {
  view.person = ui.actAs.value;
  view.home = false;
  renderAll();
});
ui.start.addEventListener('click', () => void startScenario());
for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('.switch button'))) {
  b.addEventListener('click', () => {
    view.platform = b.dataset.platform === 'teams' ? 'teams' : 'slack';
    view.place = '';
    view.home = false;
    renderAll();
  });
}

let refreshing: Promise<void> | undefined;
let again = false;
function scheduleRefresh(): void {
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = refresh().finally(() => {
    refreshing = undefined;
    if (again) {
      again = false;
      scheduleRefresh();
    }
  });
}
const events = new EventSource('/api/events');
events.addEventListener('changed', () => scheduleRefresh());
