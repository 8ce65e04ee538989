import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { protocolSchema, type Protocol, type ProtocolFile } from '../../../../domain/protocol.js';

/** Slack users the tests act as (they match the example protocol, plus a Milton Keynes responder). */
export const USERS = {
  sergeant: { id: 'U0SERGEANT', name: 'Sgt Example' },
  responder: { id: 'U0RESPONDER', name: 'Duty SW' },
  mkResponder: { id: 'U0MKRESP', name: 'MK duty SW' },
  lead: { id: 'U0LEAD', name: 'Force custody lead' },
  stranger: { id: 'U0STRANGER', name: 'Not in the protocol' },
} as const;

/** The shipped example protocol, with one more person: a responder for Milton Keynes only. */
export function testProtocol(): Protocol {
  const file = parse(readFileSync('config/concordat.example.yaml', 'utf8')) as ProtocolFile;
  file.people = [
    ...(file.people ?? []),
    {
      name: 'MK duty SW',
      slack: USERS.mkResponder.id,
      roles: ['responder'],
      localAuthorities: ['milton-keynes'],
    },
  ];
  return protocolSchema.parse(file);
}
