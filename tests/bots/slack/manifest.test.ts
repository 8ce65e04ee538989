import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DIGEST_SUBCOMMAND } from '../../../bots/slack/commands/digest.js';
import { COMMAND } from '../../../bots/slack/ids.js';

interface Manifest {
  features: {
    slash_commands: Array<{ command: string; url: string; usage_hint?: string }>;
    app_home: { home_tab_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

describe('Slack app manifest', () => {
  const manifest = parse(readFileSync('bots/slack/manifest.yaml', 'utf8')) as Manifest;

  it('declares the same command the code listens for, and one request URL for everything', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([COMMAND]);
    const urls = new Set([
      ...manifest.features.slash_commands.map((c) => c.url),
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ]);
    expect([...urls]).toHaveLength(1);
    expect([...urls][0]).toMatch(/^https:\/\/.+\/slack\/events$/);
  });

  it('hints at the admins’ digest sub-command, in the form the bot reads', () => {
    const hint = manifest.features.slash_commands[0]?.usage_hint ?? '';
    expect(hint.length).toBeLessThanOrEqual(100);
    const example = /digest \d{4}-\d{2}-\d{2} \d{4}-\d{2}-\d{2}/.exec(hint)?.[0] ?? '';
    expect(DIGEST_SUBCOMMAND.test(example)).toBe(true);
  });

  it('has the scopes the bot uses, the App Home and interactivity, and the events it handles', () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual([
      'channels:history',
      'chat:write',
      'commands',
      'files:write',
      'groups:history',
      'im:history',
      'im:write',
      'usergroups:read',
    ]);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
  });
});
