import { z } from 'zod';
import { ConfigError, envBoolean } from '../../runtime/config.js';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const slackEnvSchema = z
  .object({
    SLACK_BOT_TOKEN: z
      .string({ required_error: 'Set the bot token (xoxb-…) from OAuth & Permissions' })
      .trim()
      .min(1, 'Set the bot token (xoxb-…) from OAuth & Permissions'),
    SLACK_SIGNING_SECRET: z.preprocess(blankToUndefined, z.string().trim().optional()),
    SLACK_APP_TOKEN: z.preprocess(
      blankToUndefined,
      z.string().trim().startsWith('xapp-', 'An app-level token starts with xapp-').optional(),
    ),
    SLACK_SOCKET_MODE: envBoolean,
    SLACK_API_URL: z.preprocess(
      blankToUndefined,
      z.string().url('Give a URL like https://slack.com/api/').optional(),
    ),
    SLACK_PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
    PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
    SLACK_HOST: z.preprocess(blankToUndefined, z.string().optional()),
  })
  .transform((e, ctx) => {
    const socketMode = e.SLACK_SOCKET_MODE ?? e.SLACK_APP_TOKEN !== undefined;
    if (socketMode && !e.SLACK_APP_TOKEN) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['SLACK_APP_TOKEN'],
        message: 'Socket Mode needs an app-level token (xapp-…) with the connections:write scope',
      });
    }
    if (!socketMode && !e.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['SLACK_SIGNING_SECRET'],
        message:
          'HTTP mode needs the signing secret from Basic Information (or set SLACK_APP_TOKEN for Socket Mode)',
      });
    }
    return {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      socketMode,
      apiUrl: e.SLACK_API_URL,
      port: e.SLACK_PORT ?? e.PORT ?? 3000,
      host: e.SLACK_HOST,
    };
  });
export type SlackEnv = z.output<typeof slackEnvSchema>;

/** Parses the Slack settings from the environment; a bad one stops the start naming the variable. */
export function parseSlackEnv(env: Record<string, string | undefined>): SlackEnv {
  const result = slackEnvSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      'environment',
      result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`).join('\n'),
    );
  }
  return result.data;
}
