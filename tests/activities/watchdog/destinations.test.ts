import { describe, expect, it } from 'vitest';
import { stuckPageDestinations } from '../../../activities/watchdog/index.js';
import { destinationKey } from '../../../domain/routing.js';
import { watchdogProtocol } from './support.js';

describe('stuckPageDestinations', () => {
  it('admins on each platform, the watchdog contacts and the suite, each once', () => {
    const p = watchdogProtocol();
    const protocol = { ...p, watchdog: { ...p.watchdog, notify: ['custody-inspector', 'superintendent'] } };
    // The inspector is also listed as an admin: paged once.
    protocol.people = [
      ...p.people,
      { name: 'Inspector', slack: 'U0CUSTINSP', roles: ['admin'], localAuthorities: [] },
    ];
    expect(stuckPageDestinations(protocol, 'weekley-wood').map(destinationKey)).toEqual([
      'slack:U0LEAD',
      'teams:00000000-0000-0000-0000-00000000000c',
      'slack:U0CUSTINSP',
      'slack:U0SUPT',
      'slack:C0CUSTODYKET',
    ]);
  });

  it('an unknown suite pages the admins only', () => {
    expect(stuckPageDestinations(watchdogProtocol(), undefined).map(destinationKey)).toEqual([
      'slack:U0LEAD',
      'teams:00000000-0000-0000-0000-00000000000c',
    ]);
  });
});
