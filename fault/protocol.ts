import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

/** Teams conversations the bot is installed in at the start of a run (keys of stored references). */
export const TEAMS = {
  custody: '19:custody-northampton@thread.tacv2',
  dutyWest: '19:duty-west@thread.tacv2',
  edt: '19:edt@thread.tacv2',
  inspectors: '19:inspectors@thread.tacv2',
  leads: '19:leads@thread.tacv2',
} as const;

/** The ladder in seconds: every step fires within two minutes of a request, and one repeats. */
export const LADDER_STEPS = [
  {
    level: 1,
    name: 'Re-page the duty team',
    condition: 'not_acknowledged',
    after: '15s',
    notify: ['responders'],
  },
  { level: 1, name: 'EDT manager', condition: 'not_acknowledged', after: '30s', notify: ['edt-manager'] },
  {
    level: 2,
    name: 'Custody inspector and LA on-call manager',
    condition: 'no_bed_offered',
    after: '45s',
    notify: ['custody-inspector', 'la-on-call-manager'],
  },
  {
    level: 3,
    name: 'Superintendent and LA head of service',
    condition: 'not_resolved',
    after: '60s',
    notify: ['superintendent', 'la-head-of-service'],
    repeat: '20s',
    maxRepeats: 3,
  },
] as const;

type Yaml = Record<string, unknown>;

export const sergeantId = (i: number) => `U0FSGT${String(i).padStart(3, '0')}`;
export const responderId = (i: number) => `U0FRSP${String(i).padStart(3, '0')}`;

/**
 * Writes a copy of the shipped example protocol with the ladder in seconds, no overnight trigger
 * (a run near midnight would page everyone once more), and a Teams channel for the inspector so
 * pages reach both fake platforms. Returns the file's path.
 */
export function writeFaultProtocol(
  dir: string,
  requests: number,
  examplePath = 'config/concordat.example.yaml',
): string {
  const file = parse(readFileSync(examplePath, 'utf8')) as Yaml;
  // One sergeant and one responder per request, so each private reply names whose click it answers.
  const people = file.people as unknown[];
  for (let i = 0; i < requests; i += 1) {
    people.push({ name: `Fault sergeant ${i}`, slack: sergeantId(i), roles: ['custody'] });
    people.push({
      name: `Fault responder ${i}`,
      slack: responderId(i),
      roles: ['responder'],
      localAuthorities: ['west-northamptonshire'],
    });
  }
  // The same route whatever the hour: a run after 17:00 (or on a bank holiday) once sent every
  // card to the EDT, where the people playing the duty team never saw it, and a run across 17:00
  // would hand its requests over mid-run. Office hours all week, the authority's out-of-hours
  // destinations the same as its in-hours ones, and no shift handover (tested on its own in
  // tests/workflows/bed-request/shift-change.test.ts).
  file.officeHours = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' };
  const west = (file.localAuthorities as Yaml[]).find((la) => la.id === 'west-northamptonshire');
  if (!west) throw new Error('the example protocol has no west-northamptonshire authority');
  west.outOfHours = west.inHours;
  file.shiftHandover = { enabled: false, handBack: false };
  const ladder = file.ladder as Yaml;
  ladder.steps = LADDER_STEPS.map((s) => ({ ...s, notify: [...s.notify] }));
  ladder.overnight = { enabled: false, level: 3, notify: ['superintendent'] };
  // A stay keeps the request open until the child leaves the cells (docs/legal-rules.md); its
  // review pages are hours apart and at fixed local times, so none falls inside a run's minutes
  // whatever the hour the suite runs at.
  file.heldInCustody = { review: { every: '12h', at: [], notify: ['responders'] }, courtGrace: '2h' };
  const contacts = file.contacts as Record<string, unknown[]>;
  contacts['custody-inspector'] = [
    ...(contacts['custody-inspector'] ?? []),
    { platform: 'teams', address: TEAMS.inspectors },
  ];
  const path = join(dir, 'fault-protocol.yaml');
  writeFileSync(path, stringify(file));
  return path;
}
