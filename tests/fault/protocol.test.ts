// The crash suite's protocol file routes every request to the same duty-team channel whatever the
// hour the suite runs at, so its people always see the cards they must press (docs/fault-testing.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotFor } from '../../domain/routing.js';
import { writeFaultProtocol } from '../../fault/protocol.js';
import { loadProtocolFile } from '../../runtime/config.js';

const dir = mkdtempSync(join(tmpdir(), 'fault-protocol-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the crash suite’s protocol', () => {
  const protocol = loadProtocolFile(writeFaultProtocol(dir, 3));
  const request = { custodySuiteId: 'northampton-cjc', homeLocalAuthorityId: 'west-northamptonshire' };
  const noHoliday = () => null;
  const slackResponders = (at: string, holiday: (d: string) => string | null = noHoliday) =>
    snapshotFor(protocol, request, at, holiday)
      .responderDestinations.filter((d) => d.platform === 'slack')
      .map((d) => d.address);

  it.each([
    ['a weekday afternoon', '2026-12-01T15:00:00.000Z'],
    ['a weekday evening, after 17:00', '2026-12-01T17:30:00.000Z'],
    ['a Sunday night', '2026-12-06T23:00:00.000Z'],
    ['the last minute of the day', '2026-12-01T23:59:30.000Z'],
  ])('pages the duty team’s channel on %s', (_when, at) => {
    expect(slackResponders(at)).toEqual(['C0DUTYWEST']);
  });

  it('pages the same channel on a bank holiday, and hands nothing over at a shift change', () => {
    expect(slackResponders('2026-12-25T12:00:00.000Z', () => 'Christmas Day')).toEqual(['C0DUTYWEST']);
    expect(protocol.shiftHandover.enabled).toBe(false);
  });
});
