/**
 * Readable log lines for a terminal, without a dependency: pino writes its JSON line (already
 * redacted, since pino redacts before it serialises), and this destination rewrites it as
 *
 *   11:36:55.123 INFO  Slack bot listening  component=slack-bot port=3000
 *
 * Anything that is not a pino JSON line is passed through as it is.
 */
import type { DestinationStream } from 'pino';

const LEVELS: Record<number, { label: string; colour: string }> = {
  10: { label: 'TRACE', colour: '\u001b[90m' },
  20: { label: 'DEBUG', colour: '\u001b[36m' },
  30: { label: 'INFO ', colour: '\u001b[32m' },
  40: { label: 'WARN ', colour: '\u001b[33m' },
  50: { label: 'ERROR', colour: '\u001b[31m' },
  60: { label: 'FATAL', colour: '\u001b[35m' },
};
const RESET = '\u001b[0m';
const DIM = '\u001b[2m';

/** Fields every line carries; they say nothing in a terminal. */
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'service']);

function show(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/** One pino JSON line as a readable line (with its trailing newline). */
export function prettyLine(line: string, colour = false): string {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return `${line.trimEnd()}\n`;
  const r = record as Record<string, unknown>;
  const level = LEVELS[typeof r.level === 'number' ? r.level : 30] ?? { label: String(r.level), colour: '' };
  const time = typeof r.time === 'string' ? (/T(\d\d:\d\d:\d\d(\.\d+)?)/.exec(r.time)?.[1] ?? r.time) : '';
  const fields = Object.entries(r)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${show(v)}`)
    .join(' ');
  const msg = typeof r.msg === 'string' ? r.msg : '';
  const tag = colour ? `${level.colour}${level.label}${RESET}` : level.label;
  const rest = fields ? `  ${colour ? `${DIM}${fields}${RESET}` : fields}` : '';
  return `${time} ${tag} ${msg}${rest}\n`;
}

/** A pino destination that writes readable lines to `target` (a terminal, usually stdout). */
export function prettyDestination(
  target: { write(text: string): unknown } = process.stdout,
  colour = target === process.stdout && process.stdout.isTTY === true,
): DestinationStream {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line.trim() !== '') target.write(prettyLine(line, colour));
    },
  };
}
