import { describe, expect, it } from 'vitest';
import { parseSlackEnv } from '../../../bots/slack/env.js';

describe('Slack env', () => {
  it('reads HTTP mode', () => {
    expect(
      parseSlackEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'sec', PORT: '8080' }),
    ).toMatchObject({
      botToken: 'xoxb-1',
      signingSecret: 'sec',
      socketMode: false,
      port: 8080,
    });
  });

  it('switches to Socket Mode when SLACK_APP_TOKEN is set, unless told not to with an explicit false', () => {
    expect(parseSlackEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).socketMode).toBe(true);
    expect(
      parseSlackEnv({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_APP_TOKEN: 'xapp-1',
        SLACK_SOCKET_MODE: 'false',
        SLACK_SIGNING_SECRET: 's',
      }).socketMode,
    ).toBe(false);
  });

  it('names the variable that is wrong', () => {
    expect(() => parseSlackEnv({})).toThrow(/SLACK_BOT_TOKEN/);
    expect(() => parseSlackEnv({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET/);
    expect(() => parseSlackEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-wrong' })).toThrow(
      /SLACK_APP_TOKEN.*xapp-/,
    );
    expect(() => parseSlackEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SOCKET_MODE: 'sometimes' })).toThrow(
      /SLACK_SOCKET_MODE: Write true or false/,
    );
    expect(() => parseSlackEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SOCKET_MODE: 'true' })).toThrow(
      /SLACK_APP_TOKEN/,
    );
    expect(() =>
      parseSlackEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'not a url' }),
    ).toThrow(/SLACK_API_URL/);
  });
});
