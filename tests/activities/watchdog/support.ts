// Shared by the watchdog's activity and workflow tests: the example protocol with quick
// thresholds, a request to register, and a log that keeps what it was told.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { bedRequestWorkflowId } from '../../../domain/bed-request.js';
import type { Protocol, ProtocolFile } from '../../../domain/protocol.js';
import { parseProtocol } from '../../../runtime/config.js';
import type { NewRequest } from '../../../store/records-store.js';

const EXAMPLE = fileURLToPath(new URL('../../../config/concordat.example.yaml', import.meta.url));

/** The shipped example protocol, with the watchdog's thresholds made test-sized. */
export function watchdogProtocol(): Protocol {
  const file = parseYaml(readFileSync(EXAMPLE, 'utf8')) as ProtocolFile;
  file.watchdog = { every: '1m', stuckAfterAttempts: 3, overdueAfter: '1s', notify: [] };
  return parseProtocol(toYaml(file), 'watchdog test protocol');
}

/** Where a Northampton request's page goes: the admin (Slack and Teams) and the custody suite. */
export const NORTHAMPTON_PAGE_DESTINATIONS = [
  'slack:U0LEAD',
  'teams:00000000-0000-0000-0000-00000000000c',
  'slack:C0CUSTODYNTH',
  'teams:19:custody-northampton@thread.tacv2',
];

export function newRequest(custodyRecordNumber: string): NewRequest {
  const now = Date.now();
  return {
    workflowId: bedRequestWorkflowId('northampton-cjc', custodyRecordNumber),
    custodyRecordNumber,
    custodySuiteId: 'northampton-cjc',
    localAuthorityId: 'west-northamptonshire',
    route: 'out_of_hours',
    outOfArea: false,
    age: 15,
    accommodation: 'non_secure',
    chargedAt: new Date(now - 3_600_000).toISOString(),
    requestedAt: new Date(now - 60_000).toISOString(),
    nextCourtSitting: new Date(now + 12 * 3_600_000).toISOString(),
    requestingOfficer: { platform: 'slack', userId: 'U0SERGEANT', displayName: 'Sgt Example' },
    identity: { pncId: '13/123456A' },
  };
}

export interface LogLine {
  level: 'info' | 'warn' | 'debug';
  obj: object;
  msg: string;
}

export function recordingLog() {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (obj: object, msg: string) => void lines.push({ level, obj, msg });
  return { lines, log: { info: at('info'), warn: at('warn'), debug: at('debug') } };
}
