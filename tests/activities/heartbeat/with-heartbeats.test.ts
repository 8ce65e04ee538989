import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { heartbeating, withHeartbeats } from '../../../activities/heartbeat/with-heartbeats.js';

describe('withHeartbeats', () => {
  it('heartbeats at the start and while the work runs, and stops when it ends', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => (beats += 1));
    const result = await env.run(() =>
      withHeartbeats(() => new Promise<string>((resolve) => setTimeout(() => resolve('done'), 130)), 40),
    );
    expect(result).toBe('done');
    expect(beats).toBeGreaterThanOrEqual(3); // one at the start, then every 40 ms
    const after = beats;
    await new Promise((r) => setTimeout(r, 120));
    expect(beats).toBe(after);
  });

  it('passes a failure through and still stops heartbeating', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => (beats += 1));
    const failing = heartbeating(() => Promise.reject(new Error('Slack said no')));
    await expect(env.run(failing)).rejects.toThrow('Slack said no');
    const after = beats;
    await new Promise((r) => setTimeout(r, 1_100));
    expect(beats).toBe(after);
  });

  it('in a local activity runs the work without heartbeating (the server would refuse them)', async () => {
    const env = new MockActivityEnvironment({ isLocal: true });
    let beats = 0;
    env.on('heartbeat', () => (beats += 1));
    const result = await env.run(() =>
      withHeartbeats(() => new Promise<string>((resolve) => setTimeout(() => resolve('done'), 130)), 40),
    );
    expect(result).toBe('done');
    expect(beats).toBe(0);
  });

  it('outside an activity just runs the work', async () => {
    await expect(withHeartbeats(() => Promise.resolve(42))).resolves.toBe(42);
  });
});
