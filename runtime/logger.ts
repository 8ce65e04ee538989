import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Tokens, secrets and child personal data are redacted by key wherever they
 * appear, so a careless `log.info({ request })` still never writes a name or a bot token.
 */
export const REDACTED_KEYS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'password',
  'authorization',
  'Authorization',
  'secret',
  'child',
  'identity',
  'pncId',
  'givenName',
  'familyName',
  'dateOfBirth',
  'needsAndRisks',
  'seriousHarmJustification',
  'certificate',
];

const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

export function createLogger(
  options: { level?: string; name?: string } = {},
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      name: options.name ?? 'concordat',
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths, censor: '[redacted]' },
      base: { service: options.name ?? 'concordat' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
