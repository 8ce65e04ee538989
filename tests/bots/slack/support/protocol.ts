import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { protocolSchema, type Protocol, type ProtocolFile } from '../../../../domain/protocol.js';

/** Slack users the tests act as (they match the example protocol, plus a Milton Keynes responder). */
export const USERS = {
  sergeant: { id: 'U0SERGEANT', name: 'Sgt Example' },
  responder: { id: 'U0RESPONDER', name: 'Duty SW' },
  edtManager: { id: 'U0EDTMGR', name: 'EDT manager' },
  mkResponder: { id: 'U0MKRESP', name: 'MK duty SW' },
  lead: { id: 'U0LEAD', name: 'Force custody lead' },
  stranger: { id: 'U0STRANGER', name: 'Not in the protocol' },
} as const;

/**
 * The shipped example protocol, with one more person: a responder for Milton Keynes only.
 * `slackOnly` drops the Teams destinations, as a Slack-only force would configure it.
 */
export function testProtocol(
  opts: {
    slackOnly?: boolean;
    /** Edits the file (as parsed YAML) before validation. */ edit?: (file: ProtocolFile) => void;
  } = {},
): Protocol {
  const file = parse(readFileSync('config/concordat.example.yaml', 'utf8')) as ProtocolFile;
  if (opts.slackOnly) {
    const slack = <T extends { platform: string }>(list: T[] | undefined) =>
      (list ?? []).filter((d) => d.platform === 'slack');
    for (const s of file.custodySuites) s.custodyDestinations = slack(s.custodyDestinations);
    for (const l of file.localAuthorities) {
      l.inHours = slack(l.inHours);
      l.outOfHours = slack(l.outOfHours);
    }
    file.leads = slack(file.leads);
    for (const k of Object.keys(file.contacts)) file.contacts[k] = slack(file.contacts[k]);
  }
  file.people = [
    ...(file.people ?? []),
    {
      name: 'MK duty SW',
      slack: USERS.mkResponder.id,
      roles: ['responder'],
      localAuthorities: ['milton-keynes'],
    },
  ];
  opts.edit?.(file);
  return protocolSchema.parse(file);
}
