import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../domain/logger.js';

/**
 * Bolt and the Socket Mode client log through this bridge into the redacting pino logger. Bolt's
 * debug lines include whole payloads (and so identity typed in the form), so they are dropped
 * unless LOG_LEVEL is trace.
 */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'slack-bolt' });
  let level: LogLevel = LogLevel.INFO;
  const text = (msgs: unknown[]) => msgs.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
  return {
    debug: (...msgs: unknown[]) => {
      if (log.isLevelEnabled('trace')) child.trace(text(msgs));
    },
    info: (...msgs: unknown[]) => child.info(text(msgs)),
    warn: (...msgs: unknown[]) => child.warn(text(msgs)),
    error: (...msgs: unknown[]) => child.error(text(msgs)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
