import pino, { type Logger } from 'pino';
import { prettyDestination } from './pretty-log.js';
import type { Logger as LayerLogger } from '../domain/logger.js';

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

export type LogFormat = 'json' | 'pretty';

/**
 * The logger. Format: as given (LOG_FORMAT, parsed in runtime/env.ts); else readable lines when
 * stdout is a terminal and JSON lines otherwise (a file, a pipe, a log collector). A given
 * `destination` gets JSON unless `pretty` is asked for. Redaction applies to both.
 */
export function createLogger(
  options: { level?: string; name?: string; format?: LogFormat } = {},
  destination?: pino.DestinationStream,
): Logger {
  const format = options.format ?? (!destination && process.stdout.isTTY ? 'pretty' : 'json');
  return pino(
    {
      name: options.name ?? 'concordat',
      level: options.level ?? 'info',
      redact: { paths, censor: '[redacted]' },
      base: { service: options.name ?? 'concordat' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    format === 'pretty' ? prettyDestination(destination) : destination,
  );
}

export type { Logger };

/** Compile-time proof that the pino logger implements the logger type every layer takes. */
export const asLayerLogger = (log: Logger): LayerLogger => log;

type TemporalLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * A Temporal SDK logger (worker runtime, workflow `log`, activity context) that writes through
 * pino, so every line is the same redacted JSON. Webpack's bundle report is demoted to debug.
 */
export function temporalLoggerFor(log: Logger) {
  const child = log.child({ component: 'temporal' });
  const write = (level: TemporalLevel, message: string, meta?: Record<string, unknown>) => {
    const m = meta ?? {};
    switch (level) {
      case 'TRACE':
        return child.trace(m, message);
      case 'DEBUG':
        return child.debug(m, message);
      case 'INFO':
        return /webpack|asset workflow-bundle|modules by path/.test(message)
          ? child.debug(m, message)
          : child.info(m, message);
      case 'WARN':
        return child.warn(m, message);
      case 'ERROR':
        return child.error(m, message);
    }
  };
  return {
    log: (level: TemporalLevel, message: string, meta?: Record<string, unknown>) =>
      write(level, message, meta),
    trace: (message: string, meta?: Record<string, unknown>) => write('TRACE', message, meta),
    debug: (message: string, meta?: Record<string, unknown>) => write('DEBUG', message, meta),
    info: (message: string, meta?: Record<string, unknown>) => write('INFO', message, meta),
    warn: (message: string, meta?: Record<string, unknown>) => write('WARN', message, meta),
    error: (message: string, meta?: Record<string, unknown>) => write('ERROR', message, meta),
  };
}
