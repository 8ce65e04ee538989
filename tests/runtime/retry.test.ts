import { describe, expect, it } from 'vitest';
import { withRetries } from '../../runtime/retry.js';

describe('withRetries', () => {
  it('returns the first success, after saying why each earlier try failed and waiting between', async () => {
    const waits: number[] = [];
    const retried: string[] = [];
    let calls = 0;
    const result = await withRetries(
      () => {
        calls += 1;
        return calls < 3 ? Promise.reject(new Error(`busy ${calls}`)) : Promise.resolve('done');
      },
      {
        attempts: 5,
        delayMs: 2000,
        onRetry: (err, attempt) => retried.push(`${attempt}: ${(err as Error).message}`),
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
      },
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
    expect(retried).toEqual(['1: busy 1', '2: busy 2']);
    expect(waits).toEqual([2000, 2000]);
  });

  it('throws the last error once the attempts are spent, without a wait after the last', async () => {
    const waits: number[] = [];
    let calls = 0;
    await expect(
      withRetries(
        () => {
          calls += 1;
          return Promise.reject(new Error(`down ${calls}`));
        },
        { attempts: 3, delayMs: 10, sleep: (ms) => (waits.push(ms), Promise.resolve()) },
      ),
    ).rejects.toThrow('down 3');
    expect(calls).toBe(3);
    expect(waits).toEqual([10, 10]);
  });
});
