import type { Protocol } from '../../../../domain/protocol.js';
import { parseProtocol } from '../../../../runtime/config.js';

/** Teams AAD object IDs of the people in the test protocol. */
export const AAD = {
  sergeant: '00000000-0000-0000-0000-00000000000a',
  responder: '00000000-0000-0000-0000-00000000000b',
  lead: '00000000-0000-0000-0000-00000000000c',
  mkResponder: '00000000-0000-0000-0000-00000000000d',
  stranger: '00000000-0000-0000-0000-0000000000ff',
} as const;

export const TENANT = 'tenant-0001';

/** Teams destinations in the test protocol (keys under which references are stored at install). */
export const CHANNELS = {
  custody: '19:custody-northampton@thread.tacv2',
  dutyWest: '19:duty-west@thread.tacv2',
  edt: '19:edt@thread.tacv2',
  leads: '19:leads@thread.tacv2',
  /** A team whose General channel the bot is installed in. */
  team: '19:concordat-team@thread.tacv2',
} as const;

/**
 * The example protocol with every destination on Teams, so a full-path test needs only the fake
 * Bot Connector. Office hours cover no time at all (days: [7], a second's window), so every
 * request routes to the EDT channel whatever day the test runs.
 */
export const TEAMS_PROTOCOL_YAML = `
force: { name: Test Constabulary, timeZone: Europe/London }
officeHours: { days: [7], start: '03:00', end: '03:01' }
bankHolidayRegion: GB-ENG
custodySuites:
  - id: northampton-cjc
    name: Northampton Criminal Justice Centre
    localAuthorityId: west-northamptonshire
    custodyDestinations: [{ platform: teams, address: '${CHANNELS.custody}' }]
localAuthorities:
  - id: west-northamptonshire
    name: West Northamptonshire Council
    inHours: [{ platform: teams, address: '${CHANNELS.dutyWest}' }]
    outOfHours: [{ platform: teams, address: '${CHANNELS.edt}' }]
  - id: milton-keynes
    name: Milton Keynes City Council
    inHours: [{ platform: teams, address: '19:duty-mk@thread.tacv2' }]
    outOfHours: [{ platform: teams, address: '19:edt-mk@thread.tacv2' }]
contacts:
  edt-manager: [{ platform: teams, address: '${AAD.lead}' }]
  superintendent: [{ platform: teams, address: '${CHANNELS.leads}' }]
ladder:
  steps:
    - { level: 1, name: EDT manager, condition: not_acknowledged, after: 30m, notify: [edt-manager] }
    - { level: 2, name: Superintendent, condition: not_resolved, after: 2h, notify: [superintendent] }
  overnight: { enabled: false, level: 2, notify: [superintendent] }
people:
  - { name: Sgt Example, teams: '${AAD.sergeant}', roles: [custody] }
  - name: Duty social worker
    teams: '${AAD.responder}'
    roles: [responder]
    localAuthorities: [west-northamptonshire]
  - { name: Force custody lead, teams: '${AAD.lead}', roles: [lead, admin] }
  - name: MK social worker
    teams: '${AAD.mkResponder}'
    roles: [responder]
    localAuthorities: [milton-keynes]
leads: [{ platform: teams, address: '${CHANNELS.leads}' }]
`;

export function teamsProtocol(): Protocol {
  return parseProtocol(TEAMS_PROTOCOL_YAML, 'teams test protocol');
}
