import { describe, expect, it } from 'vitest';
import { Pacer } from '../../../../bots/teams/chat-port/pacer.js';

function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    sleeps,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('the Teams send pacer', () => {
  it('lets a burst of 7 through a thread at once, then spaces sends at 7 a second', async () => {
    const t = fakeTime();
    const pacer = new Pacer({ now: t.now, sleep: t.sleep });
    for (let i = 0; i < 7; i++)
      expect(await pacer.take('thread-a', 'tenant')).toEqual({ ok: true, waitedMs: 0 });
    const eighth = await pacer.take('thread-a', 'tenant');
    expect(eighth.ok && eighth.waitedMs).toBe(143);
    // Another thread in the same tenant is not held up by the first.
    expect(await pacer.take('thread-b', 'tenant')).toEqual({ ok: true, waitedMs: 0 });
  });

  it('holds the whole tenant to about 30 a second across threads', async () => {
    const t = fakeTime();
    const pacer = new Pacer({ now: t.now, sleep: t.sleep });
    for (let i = 0; i < 30; i++) await pacer.take(`thread-${i}`, 'tenant');
    const next = await pacer.take('thread-new', 'tenant');
    expect(next.ok && next.waitedMs).toBe(34);
    expect(await pacer.take('thread-x', 'other-tenant')).toEqual({ ok: true, waitedMs: 0 });
  });

  it('refills over time', async () => {
    const t = fakeTime();
    const pacer = new Pacer({ now: t.now, sleep: t.sleep });
    for (let i = 0; i < 7; i++) await pacer.take('thread', 'tenant');
    t.advance(1000);
    for (let i = 0; i < 7; i++)
      expect(await pacer.take('thread', 'tenant')).toEqual({ ok: true, waitedMs: 0 });
  });

  it('does not sleep through a long queue inside an activity: it says when to come back', async () => {
    const t = fakeTime();
    const pacer = new Pacer({ now: t.now, sleep: () => Promise.resolve(), maxWaitMs: 1000 });
    const results = [];
    for (let i = 0; i < 20; i++) results.push(await pacer.take('thread', 'tenant'));
    const deferred = results.filter((r) => !r.ok);
    expect(deferred.length).toBeGreaterThan(0);
    expect(deferred[0]).toEqual({ ok: false, retryAfterMs: expect.any(Number) as number });
    // A deferred send gave its slot back: the queue did not grow because of it.
    const accepted = results.filter((r) => r.ok).length;
    expect(accepted).toBe(7 + 7); // the burst plus one second's worth
  });
});
