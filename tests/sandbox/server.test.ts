import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProtocolFile } from '../../runtime/config.js';
import { createLogger } from '../../runtime/logger.js';
import { directoryOf } from '../../sandbox/directory.js';
import {
  SandboxRefused,
  sandboxRefusal,
  startSandbox,
  TRAINING_CONFIG,
  type Sandbox,
} from '../../sandbox/index.js';
import { loadScenarios } from '../../sandbox/scenarios.js';
import { slackSignature } from '../../sandbox/slack/relay.js';

const ROOT = join(import.meta.dirname, '..', '..');
const protocol = loadProtocolFile(TRAINING_CONFIG);
const log = createLogger({ level: 'silent' });

describe('where the sandbox may run', () => {
  it('refuses NODE_ENV=production and any host but loopback, saying why', async () => {
    expect(sandboxRefusal({ production: true, host: '127.0.0.1' })).toMatch(/NODE_ENV=production/);
    expect(sandboxRefusal({ production: false, host: '0.0.0.0' })).toMatch(/loopback only/);
    expect(sandboxRefusal({ production: false, host: '127.0.0.1' })).toBeUndefined();
    await expect(startSandbox({ protocol, log, port: 0, production: true })).rejects.toBeInstanceOf(
      SandboxRefused,
    );
    await expect(startSandbox({ protocol, log, port: 0, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('npm start -- --sandbox under NODE_ENV=production stops at once with the message, starting nothing', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'runtime/main.ts', '--sandbox'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/training sandbox never runs with NODE_ENV=production/);
    expect(run.stdout).not.toMatch(/Temporal/);
  });
});

describe('the sandbox server', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ protocol, log, port: 0 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  const call = async (method: string, body: Record<string, unknown>, token = sandbox.slackEnv.botToken) => {
    const res = await fetch(`${sandbox.slackApiUrl}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Record<string, unknown>;
  };

  it('listens on loopback and serves the page with the training banner', async () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const html = await (await fetch(sandbox.url)).text();
    expect(html).toContain('TRAINING — not a real child');
    const script = await (await fetch(`${sandbox.url}/app.js`)).text();
    expect(script).toContain('EventSource');
  });

  it('answers the Slack Web API as Slack does: the token checked, messages kept and updated in place', async () => {
    expect(await call('auth.test', {}, 'xoxb-wrong')).toMatchObject({ ok: false, error: 'invalid_auth' });
    const auth = await call('auth.test', {});
    expect(auth.ok).toBe(true);
    expect(typeof auth.user_id).toBe('string');
    const posted = await call('chat.postMessage', { channel: 'C0EDT', text: 'card', blocks: [] });
    expect(posted).toMatchObject({ ok: true, channel: 'C0EDT' });
    expect(await call('chat.update', { channel: 'C0EDT', ts: posted.ts, text: 'card v2' })).toMatchObject({
      ok: true,
    });
    expect(await call('chat.update', { channel: 'C0EDT', ts: '1.2', text: 'x' })).toMatchObject({
      error: 'message_not_found',
    });
    const stored = sandbox.slack.messages.find((m) => m.ts === posted.ts);
    expect(stored).toMatchObject({ text: 'card v2', edited: 1 });
    // A modal opens only for a trigger the sandbox handed out, and belongs to that person.
    expect(await call('views.open', { trigger_id: 'made-up', view: {} })).toMatchObject({
      error: 'invalid_trigger_id',
    });
    const trigger = sandbox.slack.newTrigger('U0SERGEANT');
    const opened = await call('views.open', { trigger_id: trigger, view: { type: 'modal' } });
    expect(opened.ok).toBe(true);
    expect(sandbox.slack.modalsOf('U0SERGEANT')).toHaveLength(1);
  });

  it('is a Bot Connector: posts, replies in a thread and updates in place', async () => {
    const base = `${sandbox.teamsServiceUrl}v3/conversations`;
    const send = async (path: string, method: string, body: unknown) =>
      (await (
        await fetch(`${base}/${path}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json()) as { id?: string };
    const root = await send(encodeURIComponent('19:edt@thread.tacv2') + '/activities', 'POST', {
      type: 'message',
      text: 'card',
    });
    const reply = await send(
      `${encodeURIComponent(`19:edt@thread.tacv2;messageid=${root.id ?? ''}`)}/activities`,
      'POST',
      { type: 'message', text: 'a reply' },
    );
    await send(`${encodeURIComponent('19:edt@thread.tacv2')}/activities/${root.id ?? ''}`, 'PUT', {
      type: 'message',
      text: 'card v2',
    });
    const rootMsg = sandbox.teams.message(root.id ?? '');
    expect(rootMsg).toMatchObject({ versions: 2, activity: { text: 'card v2' } });
    expect(sandbox.teams.message(reply.id ?? '')).toMatchObject({ replyToId: root.id });
  });
});

describe('the training files', () => {
  it('give every person both platforms, and a channel for each suite, the EDT and the leads on each', () => {
    const d = directoryOf(protocol);
    for (const platform of ['slack', 'teams'] as const) {
      const kinds = new Set(d.places.filter((p) => p.platform === platform).map((p) => p.kind));
      expect([...kinds]).toEqual(expect.arrayContaining(['custody', 'duty', 'edt', 'leads', 'dm']));
    }
    expect(d.people.every((p) => p.slack && p.teams)).toBe(true);
    expect(d.people.map((p) => p.label)).toContain('Sgt Example (custody)');
  });

  it('ship the three scenarios, each starting as a person in the protocol', () => {
    const scenarios = loadScenarios(join(ROOT, 'config/training/scenarios.yaml'));
    expect(scenarios.map((s) => s.id)).toEqual(['friday-edt-silent', 'repeat-child', 'secure-at-twelve']);
    for (const s of scenarios) expect(protocol.people.some((p) => p.name === s.startAs)).toBe(true);
  });

  it('name the custody suite and the force TRAINING, so every card the bots build says so', () => {
    for (const suite of protocol.custodySuites) expect(suite.name).toContain('TRAINING — not a real child');
    expect(protocol.force.name).toContain('TRAINING — not a real child');
  });

  it('make "now" out of hours by the training office hours (one minute a day), not by a faked clock', () => {
    expect(protocol.officeHours).toMatchObject({ start: '00:00', end: '00:01' });
    expect(protocol.officeHours.days).toHaveLength(7);
  });
});

describe('the page code', () => {
  it('type-checks against the DOM types (its own tsconfig; the server tsconfig leaves it out)', () => {
    const tsc = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'sandbox/page/tsconfig.json', '--noEmit'],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);
});

describe('Slack request signing', () => {
  it('signs as Slack documents it (the example from Slack’s "Verifying requests" guide)', () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });
});
