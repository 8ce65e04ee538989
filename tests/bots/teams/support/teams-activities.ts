import { randomUUID } from 'node:crypto';
import { AAD, TENANT } from './teams-protocol.js';

/**
 * Bot Framework activities shaped as Microsoft Teams sends them, for posting to /api/messages.
 * `serviceUrl` is the fake Bot Connector, so everything the bot sends back lands there.
 */

export const BOT = { id: '28:concordat-bot', name: 'Concordat' };

export interface Person {
  aadObjectId: string;
  name: string;
}

export const PEOPLE = {
  sergeant: { aadObjectId: AAD.sergeant, name: 'Sgt Example' },
  responder: { aadObjectId: AAD.responder, name: 'Duty social worker' },
  lead: { aadObjectId: AAD.lead, name: 'Force custody lead' },
  mkResponder: { aadObjectId: AAD.mkResponder, name: 'MK social worker' },
  stranger: { aadObjectId: AAD.stranger, name: 'Someone else' },
} satisfies Record<string, Person>;

export type Where =
  { kind: 'personal'; person: Person } | { kind: 'channel'; channelId: string; teamId?: string };

function from(person: Person) {
  return { id: `29:${person.aadObjectId}`, aadObjectId: person.aadObjectId, name: person.name };
}

function conversation(where: Where) {
  return where.kind === 'personal'
    ? { id: `a:personal-${where.person.aadObjectId}`, conversationType: 'personal', tenantId: TENANT }
    : { id: where.channelId, conversationType: 'channel', isGroup: true, tenantId: TENANT };
}

function channelData(where: Where) {
  return where.kind === 'personal'
    ? { tenant: { id: TENANT } }
    : {
        tenant: { id: TENANT },
        team: { id: where.teamId ?? where.channelId },
        channel: { id: where.channelId },
      };
}

function base(serviceUrl: string, person: Person, where: Where) {
  return {
    id: `f:${randomUUID()}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: from(person),
    recipient: BOT,
    conversation: conversation(where),
    channelData: channelData(where),
    locale: 'en-GB',
  };
}

/** The bot was added: `conversationUpdate` with the bot in membersAdded (team, channel or 1:1). */
export function botAdded(serviceUrl: string, person: Person, where: Where) {
  const b = base(serviceUrl, person, where);
  return {
    ...b,
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id }],
    channelData: { ...b.channelData, eventType: where.kind === 'channel' ? 'teamMemberAdded' : undefined },
  };
}

export function installationUpdate(serviceUrl: string, person: Person, where: Where, action = 'add') {
  return { ...base(serviceUrl, person, where), type: 'installationUpdate', action };
}

export function message(serviceUrl: string, person: Person, where: Where, text: string) {
  return { ...base(serviceUrl, person, where), type: 'message', text, textFormat: 'plain' };
}

/** An Action.Execute click: the `adaptiveCard/action` invoke. */
export function execute(
  serviceUrl: string,
  person: Person,
  where: Where,
  verb: string,
  data: Record<string, unknown>,
  replyToId = '1:card',
) {
  return {
    ...base(serviceUrl, person, where),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** An Action.Submit click from an older client: a message with the data and no text. */
export function submit(serviceUrl: string, person: Person, where: Where, data: Record<string, unknown>) {
  return { ...base(serviceUrl, person, where), type: 'message', value: data, replyToId: '1:card' };
}

export interface Posted {
  status: number;
  body: unknown;
  ms: number;
}

/** POSTs an activity to the bot's /api/messages. */
export async function post(
  botUrl: string,
  activity: unknown,
  headers: Record<string, string> = {},
): Promise<Posted> {
  const started = performance.now();
  const res = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // plain text
  }
  return { status: res.status, body, ms: performance.now() - started };
}

/** The card in an invoke response body (`{ statusCode, type, value }`). */
export function invokeCard(posted: Posted): Record<string, unknown> {
  const body = posted.body as { statusCode?: number; type?: string; value?: unknown } | undefined;
  if (posted.status !== 200 || body?.type !== 'application/vnd.microsoft.card.adaptive') {
    throw new Error(
      `not a card invoke response: ${posted.status} ${JSON.stringify(posted.body).slice(0, 300)}`,
    );
  }
  return body.value as Record<string, unknown>;
}

/** All the text on a card (TextBlocks, facts, button titles), for "does it say…" assertions. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    if (typeof o.text === 'string') out.push(o.text);
    if (typeof o.title === 'string') out.push(o.title);
    if (typeof o.value === 'string' && o.type === undefined) out.push(o.value);
    for (const [k, child] of Object.entries(o)) if (k !== 'text' && k !== 'title') walk(child);
  };
  walk(card);
  return out.join('\n');
}

/** Titles of the card's top-level buttons. */
export function buttonTitles(card: unknown): string[] {
  const actions = (card as { actions?: Array<{ title?: string }> }).actions ?? [];
  return actions.map((a) => a.title ?? '');
}

/** A valid form submission (values as the Teams client sends them: strings). */
export function validForm(over: Record<string, string> = {}): Record<string, string> {
  const now = new Date();
  const day = (offsetDays: number) =>
    new Date(now.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  return {
    form: 'bed_request',
    custodyRecordNumber: `NC-${Math.floor(Math.random() * 1e6)}`,
    custodySuiteId: 'northampton-cjc',
    pncId: '13/123456A',
    givenName: '',
    familyName: '',
    dateOfBirth: '',
    age: '15',
    homeLocalAuthorityId: 'west-northamptonshire',
    chargedDate: day(-1),
    chargedTime: '21:40',
    bailRefusalGround: 'commit_offence',
    courtDate: day(1),
    courtTime: '10:00',
    accommodation: 'non_secure',
    seriousHarmJustification: '',
    needsAndRisks: 'Asthma inhaler',
    ...over,
  };
}
