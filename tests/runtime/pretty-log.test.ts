import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../runtime/logger.js';
import { prettyDestination, prettyLine } from '../../runtime/pretty-log.js';

function capture(format?: 'pretty' | 'json') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const destination = { write: (text: string) => stream.write(text) };
  return {
    lines,
    log: createLogger({ level: 'debug', name: 'test', ...(format ? { format } : {}) }, destination),
  };
}

describe('readable logs in a terminal', () => {
  it('writes one readable line per entry, with tokens and personal data still redacted', () => {
    const { lines, log } = capture('pretty');
    log.child({ component: 'slack-bot' }).warn(
      {
        token: 'xoxb-secret',
        headers: { authorization: 'Bearer abc' },
        request: { child: { givenName: 'Jamie', pncId: '13/1A' }, needsAndRisks: 'asthma' },
        custodyRecordNumber: 'NC-1',
        port: 3000,
      },
      'started',
    );
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    for (const secret of ['xoxb-secret', 'Bearer abc', 'Jamie', '13/1A', 'asthma'])
      expect(line).not.toContain(secret);
    expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}started {2}/);
    expect(line).toContain('component=slack-bot');
    expect(line).toContain('custodyRecordNumber=NC-1 port=3000');
    expect(line).toContain('token=[redacted]');
    expect(line).not.toContain('hostname=');
    expect(line).not.toContain('{"level"');
    expect(line.endsWith('\n')).toBe(true);
  });

  it('keeps JSON for a destination unless pretty is asked for', () => {
    const { lines, log } = capture();
    log.info({ token: 'xoxb-secret' }, 'started');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ msg: 'started', token: '[redacted]' });
  });

  it('colours the level only when asked, and passes other text through', () => {
    const out: string[] = [];
    const d = prettyDestination({ write: (t: string) => out.push(t) }, true);
    d.write('{"level":50,"time":"2026-03-01T02:03:04.005Z","msg":"boom"}\nnot json\n');
    expect(out[0]).toBe('02:03:04.005 \u001b[31mERROR\u001b[0m boom\n');
    expect(out[1]).toBe('not json\n');
    expect(prettyLine('{"level":30,"time":"2026-03-01T02:03:04.005Z","msg":"x","note":"two words"}')).toBe(
      '02:03:04.005 INFO  x  note="two words"\n',
    );
  });
});
