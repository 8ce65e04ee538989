import { describe, expect, it } from 'vitest';
import { loadTeamsConfig } from '../../../bots/teams/env.js';
import { ConfigError } from '../../../runtime/config.js';

describe('Teams settings from the environment', () => {
  it('runs in emulator mode with none of the four set (or all blank)', () => {
    expect(loadTeamsConfig({})).toEqual({ auth: { mode: 'emulator' }, port: 3978, host: '127.0.0.1' });
    expect(loadTeamsConfig({ MICROSOFT_APP_ID: 'a', MICROSOFT_APP_PASSWORD: 'p' }).host).toBe('0.0.0.0');
    expect(loadTeamsConfig({ MICROSOFT_APP_ID: '', MICROSOFT_APP_PASSWORD: ' ' }).auth).toEqual({
      mode: 'emulator',
    });
  });

  it('reads a MultiTenant, SingleTenant or UserAssignedMSI registration', () => {
    expect(loadTeamsConfig({ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'pw' }).auth).toEqual({
      mode: 'authenticated',
      appId: 'app',
      appType: 'MultiTenant',
      password: 'pw',
    });
    expect(
      loadTeamsConfig({
        MICROSOFT_APP_ID: 'app',
        MICROSOFT_APP_PASSWORD: 'pw',
        MICROSOFT_APP_TENANT_ID: 'tenant',
        MICROSOFT_APP_TYPE: 'singletenant',
      }).auth,
    ).toEqual({
      mode: 'authenticated',
      appId: 'app',
      appType: 'SingleTenant',
      password: 'pw',
      tenantId: 'tenant',
    });
    expect(
      loadTeamsConfig({
        MICROSOFT_APP_ID: 'app',
        MICROSOFT_APP_PASSWORD: 'pw',
        MICROSOFT_APP_TENANT_ID: 'tenant',
      }).auth,
    ).toMatchObject({ appType: 'SingleTenant', tenantId: 'tenant' });
    expect(
      loadTeamsConfig({
        MICROSOFT_APP_ID: 'mi',
        MICROSOFT_APP_TENANT_ID: 't',
        MICROSOFT_APP_TYPE: 'UserAssignedMSI',
      }).auth,
    ).toEqual({ mode: 'authenticated', appId: 'mi', appType: 'UserAssignedMSI', tenantId: 't' });
    expect(loadTeamsConfig({ TEAMS_PORT: '8080', TEAMS_HOST: '127.0.0.1' })).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
    });
  });

  const bad: Array<[string, NodeJS.ProcessEnv, RegExp]> = [
    [
      'a password without an app ID',
      { MICROSOFT_APP_PASSWORD: 'pw' },
      /MICROSOFT_APP_ID: Set the Azure Bot’s Microsoft App ID/,
    ],
    [
      'MultiTenant without a secret',
      { MICROSOFT_APP_ID: 'app' },
      /MICROSOFT_APP_PASSWORD: A MultiTenant bot needs the client secret/,
    ],
    [
      'SingleTenant without a tenant',
      { MICROSOFT_APP_ID: 'a', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TYPE: 'SingleTenant' },
      /MICROSOFT_APP_TENANT_ID: A SingleTenant bot needs the tenant ID/,
    ],
    [
      'MSI with a secret',
      {
        MICROSOFT_APP_ID: 'a',
        MICROSOFT_APP_PASSWORD: 'p',
        MICROSOFT_APP_TENANT_ID: 't',
        MICROSOFT_APP_TYPE: 'UserAssignedMSI',
      },
      /MICROSOFT_APP_PASSWORD: Must not be set for UserAssignedMSI/,
    ],
    [
      'an unknown app type',
      { MICROSOFT_APP_ID: 'a', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TYPE: 'Personal' },
      /MICROSOFT_APP_TYPE: Must be one of MultiTenant, SingleTenant, UserAssignedMSI/,
    ],
    ['a bad port', { TEAMS_PORT: 'eighty' }, /TEAMS_PORT/],
  ];
  it.each(bad)('stops the start for %s, naming the variable', (_name, env, message) => {
    expect(() => loadTeamsConfig(env)).toThrow(ConfigError);
    expect(() => loadTeamsConfig(env)).toThrow(message);
  });

  it('never puts the secret in the error', () => {
    try {
      loadTeamsConfig({
        MICROSOFT_APP_ID: 'a',
        MICROSOFT_APP_PASSWORD: 'hunter2-secret',
        MICROSOFT_APP_TYPE: 'Nope',
      });
    } catch (err) {
      expect(String(err)).not.toContain('hunter2-secret');
    }
  });
});
