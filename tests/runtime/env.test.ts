import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../runtime/config.js';
import { ENV_GROUPS, ENV_NAMES, parseEnv, parseEnvParts } from '../../runtime/env.js';
import { temporalSettings, withTemporalAddress } from '../../runtime/temporal-connection.js';

/** The names in the first column of the README's table of environment variables. */
function readmeVariables(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('**Secrets and settings come from the environment:**');
  expect(start).toBeGreaterThan(0);
  const lines = readme.slice(start).split('\n');
  const table = lines.slice(lines.findIndex((l) => l.startsWith('|')));
  const rows = table.slice(
    2,
    table.findIndex((l) => !l.startsWith('|')),
  );
  expect(rows.length).toBeGreaterThan(5);
  return rows.flatMap((row) => {
    const first = row.split('|')[1] ?? '';
    return [...first.matchAll(/`([^`]+)`/g)].map((m) => (m[1] ?? '').replace(/=.*$/, ''));
  });
}

/** The message of the ConfigError that parsing `env` throws. */
function failure(env: Record<string, string | undefined>): string {
  try {
    parseEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the environment to be refused');
}

const key = () => randomBytes(32).toString('base64');

describe('the environment schema', () => {
  it('lists exactly the variables the README table lists', () => {
    const readme = readmeVariables();
    expect(new Set(readme).size).toBe(readme.length);
    expect([...readme].sort()).toEqual([...ENV_NAMES].sort());
  });

  it('runs on its defaults with nothing set', () => {
    const s = parseEnv({});
    expect(s).toMatchObject({
      production: false,
      configPath: 'config/concordat.example.yaml',
      dataDir: '.data',
      log: { level: 'info' },
      payloadKeys: {},
      store: { dataDir: '.data', production: false, keys: {} },
      teams: { auth: { mode: 'emulator' }, port: 3978, host: '127.0.0.1' },
      teamsEnabled: true,
    });
    expect(s.slack).toBeUndefined();
    expect(s.temporal.vars).toEqual({});
  });

  it('hands each part its typed settings', () => {
    const data = randomBytes(32);
    const s = parseEnv({
      NODE_ENV: 'production',
      CONCORDAT_DATA_DIR: '/var/lib/concordat',
      CONCORDAT_DATA_KEY: data.toString('hex'),
      CONCORDAT_PSEUDONYM_KEY: key(),
      CONCORDAT_PAYLOAD_KEY: key(),
      DATABASE_URL: 'postgres://u:p@db/concordat',
      CONCORDAT_DB_SCHEMA: 'concordat',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      PORT: '8080',
      MICROSOFT_APP_ID: 'app',
      MICROSOFT_APP_PASSWORD: 'pw',
      TEAMS_ENABLED: 'no',
      LOG_LEVEL: 'DEBUG',
      LOG_FORMAT: 'json',
    });
    expect(s.production).toBe(true);
    expect(s.store).toMatchObject({
      databaseUrl: 'postgres://u:p@db/concordat',
      schema: 'concordat',
      dataDir: '/var/lib/concordat',
      production: true,
    });
    expect(s.store.keys.dataKey?.equals(data)).toBe(true);
    expect(s.store.keys.pseudonymKey).toHaveLength(32);
    expect(s.payloadKeys.current).toHaveLength(32);
    expect(s.slack).toMatchObject({ botToken: 'xoxb-1', signingSecret: 's', socketMode: false, port: 8080 });
    expect(s.teams.auth).toMatchObject({ mode: 'authenticated', appType: 'MultiTenant' });
    expect(s.teams.host).toBe('0.0.0.0');
    expect(s.teamsEnabled).toBe(false);
    expect(s.log).toEqual({ level: 'debug', format: 'json' });
  });

  it('reads the worker’s workflow-task slots, and refuses a count that is not one', () => {
    expect(parseEnv({}).workflowTaskSlots).toBeUndefined();
    expect(parseEnv({ CONCORDAT_WORKFLOW_TASK_SLOTS: '16' }).workflowTaskSlots).toBe(16);
    expect(failure({ CONCORDAT_WORKFLOW_TASK_SLOTS: '0' })).toContain('CONCORDAT_WORKFLOW_TASK_SLOTS');
    expect(failure({ CONCORDAT_WORKFLOW_TASK_SLOTS: 'many' })).toContain('is not a count');
  });

  it.each([
    ['true', true],
    ['false', false],
    ['1', true],
    ['0', false],
    ['yes', true],
    ['no', false],
    ['TRUE', true],
    [' ', true],
  ])('reads the flag %j as %s', (value, enabled) => {
    expect(parseEnv({ TEAMS_ENABLED: value }).teamsEnabled).toBe(enabled);
  });

  it('passes Temporal’s own variables to envconfig, flags written as it reads them', () => {
    const s = parseEnv({
      TEMPORAL_ADDRESS: 'my-ns.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'my-ns.a1b2c',
      TEMPORAL_API_KEY: 'api-key',
      TEMPORAL_TLS: 'yes',
      TEMPORAL_GRPC_META_X_TENANT: 'north',
      UNRELATED: 'x',
    });
    expect(s.temporal.vars).toMatchObject({
      TEMPORAL_ADDRESS: 'my-ns.a1b2c.tmprl.cloud:7233',
      TEMPORAL_TLS: 'true',
      TEMPORAL_GRPC_META_X_TENANT: 'north',
    });
    expect(s.temporal.vars.UNRELATED).toBeUndefined();
    const settings = temporalSettings(s.temporal);
    expect(settings.address).toBe('my-ns.a1b2c.tmprl.cloud:7233');
    expect(settings.namespace).toBe('my-ns.a1b2c');
    expect(settings.connectionOptions.apiKey).toBe('api-key');
    expect(settings.connectionOptions.tls).toBeTruthy();
    expect(settings.connectionOptions.metadata).toMatchObject({ 'x-tenant': 'north' });

    const local = temporalSettings(withTemporalAddress(parseEnv({}).temporal, '127.0.0.1:7299'));
    expect(local).toMatchObject({ address: '127.0.0.1:7299', namespace: 'default' });
  });

  it('parses one part on its own, unstopped by another part’s bad value', () => {
    expect(parseEnvParts({ TEAMS_PORT: '4000', SLACK_PORT: 'abc' }, ['teams']).teams.port).toBe(4000);
    expect(() => parseEnvParts({ TEAMS_PORT: '4000', SLACK_PORT: 'abc' }, ['slack'])).toThrow(/SLACK_PORT/);
    expect(Object.keys(ENV_GROUPS)).toEqual([
      'core',
      'keys',
      'store',
      'temporal',
      'slack',
      'teams',
      'health',
      'telemetry',
    ]);
  });
});

describe('a bad value stops the start, naming the variable', () => {
  it.each<[string, Record<string, string>, string]>([
    ['a port', { TEAMS_PORT: 'abc' }, 'TEAMS_PORT: "abc" is not a port (a number from 0 to 65535)'],
    ['a port out of range', { SLACK_PORT: '70000' }, 'SLACK_PORT: "70000" is not a port'],
    [
      'a flag',
      { TEAMS_ENABLED: 'maybe' },
      'TEAMS_ENABLED: Write true or false (or 1/0, yes/no), not "maybe"',
    ],
    ['a Temporal flag', { TEMPORAL_TLS: 'on' }, 'TEMPORAL_TLS: Write true or false'],
    [
      'a URL',
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'slack.com/api' },
      'SLACK_API_URL: "slack.com/api" is not an http(s) URL',
    ],
    [
      'a Temporal address',
      { TEMPORAL_ADDRESS: 'http://localhost:7233' },
      'TEMPORAL_ADDRESS: "http://localhost:7233" is not host:port',
    ],
    [
      'an app type',
      { MICROSOFT_APP_ID: 'a', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TYPE: 'Personal' },
      'MICROSOFT_APP_TYPE: Must be one of MultiTenant, SingleTenant, UserAssignedMSI, not "Personal"',
    ],
    [
      'a log level',
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL: Must be one of fatal, error, warn, info, debug, trace, silent',
    ],
    ['a log format', { LOG_FORMAT: 'xml' }, 'LOG_FORMAT: Must be one of pretty, json'],
    [
      'a short key',
      { CONCORDAT_DATA_KEY: 'c2hvcnQ=' },
      'CONCORDAT_DATA_KEY must be a 32-byte key, as 64 hex characters or base64',
    ],
    [
      'a key that is not base64 or hex',
      { CONCORDAT_PAYLOAD_KEY: 'not a key!' },
      'CONCORDAT_PAYLOAD_KEY must be a 32-byte key',
    ],
    [
      'a database URL',
      { DATABASE_URL: 'mysql://db' },
      'DATABASE_URL must be a postgres:// or postgresql:// URL',
    ],
    [
      'a schema name',
      { CONCORDAT_DB_SCHEMA: 'Bad-Name' },
      'CONCORDAT_DB_SCHEMA must be lower-case letters, digits and _, not "Bad-Name"',
    ],
    [
      'a Slack token without its secret',
      { SLACK_BOT_TOKEN: 'xoxb-1' },
      'SLACK_SIGNING_SECRET: HTTP mode needs the signing secret',
    ],
    [
      'a Slack secret without its token',
      { SLACK_SIGNING_SECRET: 's' },
      'SLACK_BOT_TOKEN: Set the bot token (xoxb-…) from OAuth & Permissions too: SLACK_SIGNING_SECRET is set without it',
    ],
    [
      'Socket Mode without an app token',
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SOCKET_MODE: 'true' },
      'SLACK_APP_TOKEN: Socket Mode needs an app-level token',
    ],
    [
      'a Teams app ID without its password',
      { MICROSOFT_APP_ID: 'app' },
      'MICROSOFT_APP_PASSWORD: A MultiTenant bot needs the client secret',
    ],
    [
      'a Teams password without its app ID',
      { MICROSOFT_APP_PASSWORD: 'pw' },
      'MICROSOFT_APP_ID: Set the Azure Bot’s Microsoft App ID',
    ],
  ])('%s', (_what, env, message) => {
    const text = failure(env);
    expect(text).toContain('Configuration error in environment:\n');
    expect(text).toContain(message);
  });

  it('names every bad variable at once, one line each, with no zod dump', () => {
    const text = failure({ TEAMS_PORT: 'abc', TEAMS_ENABLED: 'maybe', LOG_LEVEL: 'loud' });
    const lines = text.split('\n').slice(1);
    expect(lines.map((l) => l.split(':')[0])).toEqual(['LOG_LEVEL', 'TEAMS_PORT', 'TEAMS_ENABLED']);
    for (const raw of ['invalid_type', 'custom', '"path"', '"code"', 'Expected', 'ZodError'])
      expect(text).not.toContain(raw);
  });

  it('never echoes a secret', () => {
    const secrets = {
      CONCORDAT_DATA_KEY: 'hunter2hunter2',
      DATABASE_URL: 'mysql://admin:hunter3@db',
      SLACK_APP_TOKEN: 'xoxb-hunter4',
      SLACK_BOT_TOKEN: 'xoxb-1',
      MICROSOFT_APP_PASSWORD: 'hunter5',
      MICROSOFT_APP_TYPE: 'UserAssignedMSI',
    };
    const text = failure(secrets);
    for (const s of ['hunter2', 'hunter3', 'hunter4', 'hunter5']) expect(text).not.toContain(s);
    expect(text.split('\n')).toHaveLength(1 + 6);
  });
});
