import { describe, expect, it } from 'vitest';
import { createRequestGuard, isSslCheck } from '../../../bots/slack/transport/request-guard.js';
import { slackSignature } from '../../fakes/slack/signing.js';

const secret = 's3cret';
const t0 = 1_700_000_000;

function headers(body: string, ts: number, sig = slackSignature(secret, ts, body)) {
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig };
}

describe('request guard', () => {
  const guard = () => createRequestGuard({ signingSecret: secret, now: () => t0 * 1000 });

  it('accepts a correctly signed request once, and refuses the same signed body again', () => {
    const g = guard();
    const body = 'payload=%7B%7D';
    expect(g.check(headers(body, t0), Buffer.from(body))).toEqual({ ok: true });
    expect(g.check(headers(body, t0), Buffer.from(body))).toEqual({ ok: false, reason: 'replayed' });
    // A fresh signature (new timestamp) of the same body is a new request.
    expect(g.check(headers(body, t0 + 1), Buffer.from(body))).toEqual({ ok: true });
  });

  it('refuses more than 5 minutes either way, a bad signature, and missing headers', () => {
    const g = guard();
    const body = 'x=1';
    expect(g.check(headers(body, t0 - 301), Buffer.from(body))).toEqual({ ok: false, reason: 'stale' });
    expect(g.check(headers(body, t0 + 301), Buffer.from(body))).toEqual({ ok: false, reason: 'ahead' });
    expect(g.check(headers(body, t0 - 300), Buffer.from(body))).toEqual({ ok: true });
    expect(g.check(headers(body, t0, 'v0=deadbeef'), Buffer.from(body))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(g.check(headers('x=2', t0, slackSignature(secret, t0, body)), Buffer.from('x=2'))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(g.check({}, Buffer.from(body))).toEqual({ ok: false, reason: 'missing_headers' });
    expect(
      g.check({ 'x-slack-request-timestamp': 'soon', 'x-slack-signature': 'v0=1' }, Buffer.from(body)),
    ).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
  });

  it('does not let a forged request burn a real signature', () => {
    const g = guard();
    const body = 'payload=real';
    const real = headers(body, t0);
    expect(g.check(real, Buffer.from('payload=forged'))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(g.check(real, Buffer.from(body))).toEqual({ ok: true });
  });

  it('refuses a remembered request as stale once it is past the window', () => {
    let now = t0 * 1000;
    const g = createRequestGuard({ signingSecret: secret, now: () => now });
    const body = 'a=b';
    expect(g.check(headers(body, t0), Buffer.from(body)).ok).toBe(true);
    now += 10 * 60 * 1000;
    expect(g.check(headers(body, t0), Buffer.from(body))).toEqual({ ok: false, reason: 'stale' });
  });

  it('recognises Slack’s unsigned SSL check', () => {
    const h = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(isSslCheck(h, Buffer.from('ssl_check=1&token=x'))).toBe(true);
    expect(isSslCheck(h, Buffer.from('payload=%7B%7D'))).toBe(false);
    expect(isSslCheck({ 'content-type': 'application/json' }, Buffer.from('ssl_check=1'))).toBe(false);
    // A field typed as "ssl_check=1" is percent-encoded in a payload, so it is not an SSL check.
    const typed = `payload=${encodeURIComponent(JSON.stringify({ text: 'ssl_check=1' }))}`;
    expect(isSslCheck(h, Buffer.from(typed))).toBe(false);
    expect(isSslCheck(h, Buffer.from('token=x&ssl_check=1'))).toBe(true);
    expect(isSslCheck(h, Buffer.from('token=x&ssl_check=0'))).toBe(false);
  });

  it('past 10,000 remembered signatures, drops the expired ones and still refuses a live replay', () => {
    let now = t0 * 1000;
    const g = createRequestGuard({ signingSecret: secret, now: () => now });
    for (let i = 0; i < 10_001; i++) {
      const body = `n=${i}`;
      expect(g.check(headers(body, t0), Buffer.from(body)).ok).toBe(true);
    }
    expect(g.size()).toBe(10_001);
    // Six minutes on, every one of them has expired: the next request sweeps them out.
    now += 6 * 60 * 1000 + 1;
    const t1 = Math.floor(now / 1000);
    expect(g.check(headers('fresh', t1), Buffer.from('fresh')).ok).toBe(true);
    expect(g.size()).toBe(1);
    expect(g.check(headers('fresh', t1), Buffer.from('fresh'))).toEqual({ ok: false, reason: 'replayed' });
  });
});
