import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../bot/config.js';
import { createBot } from '../../bot/index.js';
import { createLogger } from '../../bot/logger.js';
import { createProbeService } from '../../bot/probe/service.js';
import { createDiagnoser } from '../../rules/index.js';
import { ask as askBot, tempSqliteStore } from '../helpers/bot.js';
import { closedPort } from './probe/helpers/servers.js';

function capture(): { lines: Record<string, unknown>[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  return { lines, stream };
}

describe('probe from chat (bot layer)', () => {
  const diagnoser = createDiagnoser();
  const { store, cleanup } = tempSqliteStore();
  afterAll(cleanup);
  const one = async (...args: Parameters<typeof askBot>) => {
    const replies = await askBot(...args);
    expect(replies.length).toBeLessThanOrEqual(1);
    return replies[0] ?? null;
  };

  it('applies the per-user rate limit and audits every decision', async () => {
    const config = configSchema.parse({ probe: { allow: ['127.0.0.1'], perUserPerMinute: 2 } });
    const log = capture();
    const logger = createLogger('info', log.stream);
    const bot = createBot({ diagnoser, config, logger, store, probe: createProbeService(config, diagnoser, logger) });
    const port = await closedPort();
    const ask = (user: string) => one(bot, { platform: 'console', channel: 'C1', user, text: `probe 127.0.0.1:${port}`, addressed: true });
    const first = await ask('alice');
    expect(first?.kind === 'diagnosis' && first.diagnosis.cause).toBe('connection-refused');
    await ask('alice');
    const third = await ask('alice');
    expect(third).toMatchObject({ kind: 'error', code: 'PROBE_RATE_LIMITED' });
    expect((await ask('bob'))?.kind).toBe('diagnosis');
    const audits = log.lines.filter((l) => l.msg === 'probe audit');
    expect(audits.map((a) => a.verdict)).toEqual(['allowed', 'allowed', 'rate-limited', 'allowed']);
    expect(audits[0]).toMatchObject({ user: 'alice', channel: 'C1', addresses: ['127.0.0.1'], cause: 'connection-refused' });
  });

  it('counts probes the policy refuses against the rate limit, so the policy cannot be mapped for free', async () => {
    const config = configSchema.parse({ probe: { perUserPerMinute: 3 } });
    const log = capture();
    const logger = createLogger('info', log.stream);
    const bot = createBot({ diagnoser, config, logger, store, probe: createProbeService(config, diagnoser, logger) });
    const ask = (target: string) => one(bot, { platform: 'slack', channel: 'C1', user: 'mallory', text: `probe ${target}`, addressed: true });
    for (const target of ['127.0.0.1:1', '[::1]:1', '[::ffff:0:7f00:1]:1']) expect(await ask(target)).toMatchObject({ kind: 'error', code: 'PROBE_REFUSED' });
    // The fourth attempt in the minute is not even checked against the policy.
    expect(await ask('127.0.0.2:1')).toMatchObject({ kind: 'error', code: 'PROBE_RATE_LIMITED', text: expect.stringContaining('at most 3 probes per 60 s') });
    expect(log.lines.filter((l) => l.msg === 'probe audit').map((a) => a.verdict)).toEqual(['refused', 'refused', 'refused', 'rate-limited']);
  });

  it('refuses users and channels outside the configured lists, and loopback without an allow entry', async () => {
    const config = configSchema.parse({ probe: { channels: ['C-oncall'] } });
    const logger = createLogger('silent');
    const bot = createBot({ diagnoser, config, logger, store, probe: createProbeService(config, diagnoser, logger) });
    const elsewhere = await one(bot, { platform: 'slack', channel: 'C-random', user: 'u', text: 'probe 10.0.0.1:443', addressed: true });
    expect(elsewhere).toMatchObject({ kind: 'error', code: 'PROBE_REFUSED' });
    const open = configSchema.parse({});
    const bot2 = createBot({ diagnoser, config: open, logger, store, probe: createProbeService(open, diagnoser, logger) });
    const loop = await one(bot2, { platform: 'slack', channel: 'C', user: 'u', text: 'probe 0x7f.1:443', addressed: true });
    expect(loop).toMatchObject({ kind: 'error', code: 'PROBE_REFUSED' });
    expect(loop?.kind === 'error' && loop.text).toMatch(/loopback/);
  });

  it('stays silent for chatter that is not addressed to it, answers help when addressed', async () => {
    const bot = createBot({ diagnoser, config: configSchema.parse({}), logger: createLogger('silent'), store });
    expect(await one(bot, { platform: 'slack', channel: 'C', user: 'u', text: 'lunch?', addressed: false })).toBeNull();
    expect(await one(bot, { platform: 'slack', channel: 'C', user: 'u', text: 'curl: (60) SSL certificate problem: certificate has expired', addressed: false, fromBot: true })).toBeNull();
    expect((await one(bot, { platform: 'slack', channel: 'C', user: 'u', text: 'help', addressed: true }))?.kind).toBe('help');
  });
});
