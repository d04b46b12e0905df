import { describe, expect, it } from 'vitest';
import {
  checkAccess,
  ConcurrencyLimiter,
  ProbeLimits,
  SlidingWindowRateLimiter,
} from '../../../bot/probe/limits.js';

describe('SlidingWindowRateLimiter', () => {
  it('allows 10 per minute per user, then refuses with retry time', () => {
    let now = 0;
    const rl = new SlidingWindowRateLimiter({ limit: 10, now: () => now });
    for (let i = 0; i < 10; i++) {
      expect(rl.check('U1')).toEqual({ ok: true, remaining: 9 - i });
      now += 1000;
    }
    const refused = rl.check('U1');
    expect(refused).toEqual({
      ok: false,
      reason: 'rate-limited',
      limit: 'perUserPerMinute',
      retryAfterMs: 50_000,
      message: 'rate limit reached: at most 10 probes per 60 s per user (perUserPerMinute); try again in 50 s',
    });
    // other users are unaffected
    expect(rl.check('U2').ok).toBe(true);
  });

  it('slides: the oldest hit expires after the window', () => {
    let now = 0;
    const rl = new SlidingWindowRateLimiter({ limit: 2, windowMs: 60_000, now: () => now });
    expect(rl.check('U').ok).toBe(true); // t=0
    now = 30_000;
    expect(rl.check('U').ok).toBe(true); // t=30s
    now = 59_999;
    expect(rl.check('U').ok).toBe(false);
    now = 60_000; // t=0 hit leaves the window
    expect(rl.check('U').ok).toBe(true);
    now = 60_001;
    expect(rl.check('U')).toMatchObject({ ok: false, retryAfterMs: 29_999 });
    now = 90_000;
    expect(rl.check('U').ok).toBe(true);
  });

  it('does not count refused attempts', () => {
    let now = 0;
    const rl = new SlidingWindowRateLimiter({ limit: 1, now: () => now });
    rl.check('U');
    for (let i = 0; i < 100; i++) {
      now += 500;
      expect(rl.check('U').ok).toBe(false);
    }
    now = 60_000;
    expect(rl.check('U').ok).toBe(true);
  });
});

describe('ConcurrencyLimiter', () => {
  it('refuses when full and frees slots on release (idempotently)', () => {
    const c = new ConcurrencyLimiter(2);
    const a = c.tryAcquire();
    const b = c.tryAcquire();
    expect(a.ok && b.ok).toBe(true);
    expect(c.tryAcquire()).toEqual({
      ok: false,
      reason: 'busy',
      limit: 'maxConcurrent',
      message: 'busy: 2 probes already running (maxConcurrent 2); try again in a few seconds',
    });
    if (a.ok) {
      a.release();
      a.release();
    }
    expect(c.inUse).toBe(1);
    expect(c.tryAcquire().ok).toBe(true);
    expect(c.tryAcquire().ok).toBe(false);
  });

  it('run() releases even when the task throws', async () => {
    const c = new ConcurrencyLimiter(1);
    let unblock = (): void => {};
    const first = c.run(() => new Promise<string>((resolve) => (unblock = () => resolve('done'))));
    expect(await c.run(async () => 'second')).toMatchObject({ ok: false, reason: 'busy' });
    unblock();
    expect(await first).toEqual({ ok: true, value: 'done' });
    await expect(c.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(c.inUse).toBe(0);
  });
});

describe('channel/user lists', () => {
  it('no lists means anyone anywhere', () => {
    expect(checkAccess({}, { user: 'U1', channel: 'C1' })).toEqual({ ok: true });
    expect(checkAccess({}, {})).toEqual({ ok: true });
  });

  it('refuses channels and users not listed, naming the limit', () => {
    const lists = { channels: ['C-oncall'], users: ['U-alice'] };
    expect(checkAccess(lists, { user: 'U-alice', channel: 'C-oncall' })).toEqual({ ok: true });
    expect(checkAccess(lists, { user: 'U-alice', channel: 'C-random' })).toMatchObject({
      ok: false,
      reason: 'channel-not-allowed',
      limit: 'channels',
      message: expect.stringContaining('probe channels list'),
    });
    expect(checkAccess(lists, { user: 'U-bob', channel: 'C-oncall' })).toMatchObject({
      ok: false,
      reason: 'user-not-allowed',
      limit: 'users',
      message: expect.stringContaining('probe users list'),
    });
    expect(checkAccess(lists, { user: 'U-alice' })).toMatchObject({ ok: false, limit: 'channels' });
    expect(checkAccess({ users: ['u-alice'] }, { user: 'U-alice' })).toMatchObject({ ok: false });
  });

  it('an empty list disables probing (fail closed)', () => {
    expect(checkAccess({ users: [] }, { user: 'U1' })).toMatchObject({
      ok: false,
      message: 'probes are disabled: the probe users list is empty',
    });
  });
});

describe('ProbeLimits', () => {
  it('bundles access, rate and concurrency from config', () => {
    let now = 0;
    const limits = new ProbeLimits(
      { maxConcurrent: 1, perUserPerMinute: 2, channels: ['C1'] },
      { now: () => now },
    );
    expect(limits.canProbe({ user: 'U1', channel: 'C1' })).toEqual({ ok: true });
    expect(limits.canProbe({ user: 'U1', channel: 'C2' }).ok).toBe(false);
    expect(limits.checkRate('U1').ok).toBe(true);
    expect(limits.checkRate('U1').ok).toBe(true);
    expect(limits.checkRate('U1').ok).toBe(false);
    now = 60_000;
    expect(limits.checkRate('U1').ok).toBe(true);
    expect(limits.checkRate(undefined).ok).toBe(true);
    const slot = limits.tryAcquire();
    expect(limits.tryAcquire()).toMatchObject({ ok: false, reason: 'busy' });
    if (slot.ok) slot.release();
    expect(limits.tryAcquire().ok).toBe(true);
  });
});
