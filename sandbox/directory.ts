/**
 * The sandbox's places and people, all taken from the protocol file: a channel for every
 * custody suite, duty team, EDT and the leads (and any contact that is a channel), on each
 * platform where the protocol names one, and each person's direct messages with the bot.
 */
import type { Destination, Protocol } from '../domain/protocol.js';
import type { Platform } from '../domain/people.js';
import { dmChannelOf } from './slack/workspace.js';
import { personalConversationId } from './teams/connector.js';

export interface Place {
  platform: Platform;
  /** The channel ID the bot posts to (Slack C…/D…, Teams 19:… or a personal chat). */
  id: string;
  /** What the sidebar shows. */
  name: string;
  kind: 'custody' | 'duty' | 'edt' | 'leads' | 'contact' | 'dm';
  /** A DM's person (Slack user ID or Teams AAD object ID). */
  person?: string;
}

export interface SandboxPerson {
  name: string;
  roles: string[];
  /** "Sgt Example (custody)". */
  label: string;
  slack?: string;
  teams?: string;
}

export interface Directory {
  forceName: string;
  places: Place[];
  people: SandboxPerson[];
}

const isChannel = (d: Destination) =>
  d.platform === 'slack' ? /^[CG][A-Z0-9]+$/.test(d.address) : d.address.startsWith('19:');

export function directoryOf(protocol: Protocol): Directory {
  const places = new Map<string, Place>();
  const add = (d: Destination, name: string, kind: Place['kind']) => {
    if (!isChannel(d)) return;
    const key = `${d.platform}|${d.address}`;
    if (places.has(key)) return;
    places.set(key, { platform: d.platform, id: d.address, name, kind });
  };
  for (const suite of protocol.custodySuites) {
    for (const d of suite.custodyDestinations) add(d, `custody · ${suite.name}`, 'custody');
  }
  for (const la of protocol.localAuthorities) {
    for (const d of la.inHours) add(d, `${d.label ?? 'duty team'} · ${la.name}`, 'duty');
    for (const d of la.outOfHours) add(d, d.label ?? `EDT · ${la.name}`, 'edt');
  }
  for (const d of protocol.leads) add(d, 'strategic leads', 'leads');
  for (const [role, list] of Object.entries(protocol.contacts)) {
    for (const d of list) add(d, role, 'contact');
  }
  const people: SandboxPerson[] = protocol.people
    .filter((p) => p.slack || p.teams)
    .map((p) => ({
      name: p.name,
      roles: [...p.roles],
      label: `${p.name} (${p.roles.join(', ')})`,
      ...(p.slack ? { slack: p.slack } : {}),
      ...(p.teams ? { teams: p.teams } : {}),
    }));
  for (const p of people) {
    if (p.slack) {
      places.set(`slack|dm|${p.slack}`, {
        platform: 'slack',
        id: dmChannelOf(p.slack),
        name: `${p.name} · Concordat`,
        kind: 'dm',
        person: p.slack,
      });
    }
    if (p.teams) {
      places.set(`teams|dm|${p.teams}`, {
        platform: 'teams',
        id: personalConversationId(p.teams),
        name: `${p.name} · Concordat`,
        kind: 'dm',
        person: p.teams,
      });
    }
  }
  return { forceName: protocol.force.name, places: [...places.values()], people };
}
