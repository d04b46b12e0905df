import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../bot/config.js';
import { createBot, type Message } from '../../bot/index.js';
import { createLogger } from '../../bot/logger.js';
import { openRedisStore } from '../../bot/store/redis.js';
import type { IncidentStore } from '../../bot/store/types.js';
import { createDiagnoser } from '../../rules/index.js';
import { ask, recordingThread } from '../helpers/bot.js';
import { readFixture } from '../helpers/fixtures.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

// Two bot instances (two processes in production, two store connections here) sharing one real
// redis-server: one thread, answered consistently whichever instance gets each message.
const diagnoser = createDiagnoser();
const config = configSchema.parse({});
const logger = createLogger('silent');
const [LIBRARY_ERROR, RED_HERRING] = readFixture('datapower/protocol-too-old-osmd-reconstructed.txt').split('\n') as [string, string, string, string];

let server: RedisServer;
const stores: IncidentStore[] = [];
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await server.stop();
});

async function instance(): Promise<ReturnType<typeof createBot>> {
  const store = await openRedisStore(server.url, { retentionMs: 86_400_000, keyPrefix: 'tls-triage-test:' });
  stores.push(store);
  return createBot({ diagnoser, config, logger, store });
}
const inThread = (text: string, extra: Partial<Message> = {}): Message => ({ platform: 'teams', channel: '19:abc@thread.tacv2', thread: '19:abc@thread.tacv2;messageid=1700000000000', user: 'U1', text, addressed: false, ...extra });

describe('two bot instances on one Redis', () => {
  it('share the thread: a change found by one edits the first reply posted by the other', async () => {
    const [a, b] = [await instance(), await instance()];
    const thread = recordingThread();
    await a.handle(inThread(RED_HERRING), thread);
    await b.handle(inThread(LIBRARY_ERROR, { user: 'U2' }), thread);
    expect(thread.posts.map((p) => p.kind)).toEqual(['diagnosis', 'change']);
    expect(thread.posts[1]).toMatchObject({ kind: 'change', was: { cause: 'red-herring-only' }, diagnosis: { cause: 'protocol-too-old' } });
    expect(thread.updates.map((u) => u.ref)).toEqual(['ref-1']);
    const [fromA] = await ask(a, inThread('status', { addressed: true }));
    const [fromB] = await ask(b, inThread('status', { addressed: true }));
    expect(fromA).toEqual(fromB);
    expect(fromA?.kind === 'incident' && fromA.report.evidence.map((e) => e.user)).toEqual(['U1', 'U2']);
  });

  it('answer a redelivered event once even when the copies reach different instances', async () => {
    const [a, b] = [await instance(), await instance()];
    const message = inThread(LIBRARY_ERROR, { thread: 'other-thread', eventId: 'Ev-redelivered' });
    const replies = await Promise.all([ask(a, message), ask(b, message), ask(a, message)]);
    expect(replies.map((r) => r.length).sort()).toEqual([0, 0, 1]);
  });

  it('keep 50 concurrent pastes spread over both instances', async () => {
    const [a, b] = [await instance(), await instance()];
    const thread = recordingThread();
    const message = (i: number) => inThread(LIBRARY_ERROR.replace('tid(24017)', `tid(${40000 + i})`), { thread: 'busy-thread', user: `U${i}` });
    await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).handle(message(i), thread)));
    const [status] = await ask(a, inThread('status', { addressed: true, thread: 'busy-thread' }));
    expect(status?.kind === 'incident' && status.report.evidence.length).toBe(50);
    expect(status?.kind === 'incident' && new Set(status.report.evidence.map((e) => e.seq)).size).toBe(50);
    expect(thread.posts.filter((p) => p.kind === 'diagnosis')).toHaveLength(1);
    expect(thread.posts.filter((p) => p.kind === 'change')).toHaveLength(0);
  });
});
