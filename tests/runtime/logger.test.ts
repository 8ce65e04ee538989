import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, temporalLoggerFor } from '../../runtime/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, log: createLogger({ level: 'debug' }, stream) };
}

describe('logger', () => {
  it('redacts tokens and child personal data wherever they sit', () => {
    const { lines, log } = capture();
    log.info(
      {
        token: 'xoxb-secret',
        headers: { authorization: 'Bearer abc' },
        request: { child: { givenName: 'Jamie', pncId: '13/1A' }, needsAndRisks: 'asthma' },
        custodyRecordNumber: 'NC-1',
      },
      'started',
    );
    const line = lines.join('');
    for (const secret of ['xoxb-secret', 'Bearer abc', 'Jamie', '13/1A', 'asthma'])
      expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({
      msg: 'started',
      custodyRecordNumber: 'NC-1',
      token: '[redacted]',
    });
  });

  it('writes Temporal SDK lines as the same JSON, with the bundle report demoted to debug', () => {
    const { lines, log } = capture();
    const t = temporalLoggerFor(log);
    t.info('Worker state changed', { state: 'RUNNING' });
    t.info('asset workflow-bundle-1.js 2.96 MiB [emitted]');
    const [first, second] = lines.map((l) => JSON.parse(l) as { level: number; msg: string; state?: string });
    expect(first).toMatchObject({ level: 30, msg: 'Worker state changed', state: 'RUNNING' });
    expect(second?.level).toBe(20);
  });
});
