import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { auditProbe } from '../../../bot/probe/audit.js';

function capture(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const logger = pino({ level: 'info', base: null }, { write: (s: string) => void chunks.push(s) });
  return {
    logger,
    lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('auditProbe', () => {
  it('writes one structured info line with all fields', () => {
    const { logger, lines } = capture();
    auditProbe(logger, {
      user: 'U123',
      channel: 'C-oncall',
      platform: 'slack',
      target: { host: '::1', port: 8443 },
      addresses: ['::1'],
      verdict: 'refused',
      rule: 'builtin:loopback',
      cause: 'refused by built-in deny "loopback" (::1)',
      durationMs: 3.6,
    });
    const out = lines();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      level: 30,
      msg: 'probe audit',
      event: 'probe-audit',
      user: 'U123',
      channel: 'C-oncall',
      platform: 'slack',
      target: '[::1]:8443',
      host: '::1',
      port: 8443,
      addresses: ['::1'],
      verdict: 'refused',
      rule: 'builtin:loopback',
      cause: 'refused by built-in deny "loopback" (::1)',
      durationMs: 4,
    });
  });

  it('omits absent optional fields and accepts a raw target string', () => {
    const { logger, lines } = capture();
    auditProbe(logger, { target: 'garbage input', addresses: [], verdict: 'busy' });
    const [line] = lines();
    expect(line).toMatchObject({ msg: 'probe audit', target: 'garbage input', addresses: [], verdict: 'busy' });
    for (const k of ['user', 'channel', 'platform', 'rule', 'cause', 'durationMs', 'host', 'port']) {
      expect(line).not.toHaveProperty(k);
    }
  });

  it('caps user-controlled text', () => {
    const { logger, lines } = capture();
    auditProbe(logger, { target: 'x'.repeat(10_000), addresses: [], verdict: 'rate-limited', user: 'U' });
    const [line] = lines();
    expect(String(line?.target).length).toBeLessThanOrEqual(513);
  });
});
