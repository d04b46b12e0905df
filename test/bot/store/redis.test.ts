import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../bot/store/index.js';
import { openRedisStore } from '../../../bot/store/redis.js';
import type { IncidentStore, StoreOptions } from '../../../bot/store/types.js';
import { freePort, startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { describeStoreContract, diagnosis, keyOf, paste } from './contract.js';

// One real redis-server for this file; each store gets its own key prefix so tests never see
// each other's keys. A machine without redis-server fails every test with the reason, rather
// than reporting them as skipped.

let started: { server: RedisServer; raw: Redis } | undefined;
let startError: unknown;
const ready = (): { server: RedisServer; raw: Redis } => {
  if (!started) throw startError ?? new Error('redis-server was not started');
  return started;
};
let prefixes = 0;
const nextPrefix = (): string => `tls-triage:test${++prefixes}:`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  try {
    const server = await startRedisServer();
    const raw = new Redis(server.url, { lazyConnect: true });
    await raw.connect().catch(async (error: unknown) => {
      await server.stop();
      throw error;
    });
    started = { server, raw };
  } catch (error) {
    startError = error;
  }
});
afterAll(async () => {
  await started?.raw.quit();
  await started?.server.stop();
});

describeStoreContract('redis', async (options) => openRedisStore(ready().server.url, { ...options, keyPrefix: nextPrefix() }), { realTime: true });

describe('redis store on a real server', () => {
  const opened: IncidentStore[] = [];
  const open = async (options: StoreOptions): Promise<IncidentStore> => {
    const store = await openRedisStore(ready().server.url, options);
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  it('keeps an incident in two prefixed keys with encoded parts, both expiring at retention', async () => {
    const { raw } = ready();
    const keyPrefix = nextPrefix();
    const store = await open({ retentionMs: 60_000, keyPrefix });
    await store.addEvidence(keyOf(), paste('x'));
    const keys = (await raw.keys(`${keyPrefix}*`)).sort();
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key.startsWith('tls-triage:')).toBe(true);
      expect(key).toContain('19%3Aabc%40thread.tacv2%3Bmessageid%3D17');
      const ttl = await raw.pttl(key);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
    expect(await raw.type(keys.find((k) => k.endsWith(':evidence')) ?? '')).toBe('list');
    // Every later write refreshes the evidence list's expiry too, not only the state's.
    await raw.pexpire(keys[0] ?? '', 1000);
    await raw.pexpire(keys[1] ?? '', 1000);
    await store.recordDiagnosis(keyOf(), diagnosis(1));
    for (const key of keys) expect(await raw.pttl(key)).toBeGreaterThan(50_000);
  });

  it('lets Redis delete both keys once the incident expires', async () => {
    const { raw } = ready();
    const keyPrefix = nextPrefix();
    const store = await open({ retentionMs: 300, keyPrefix });
    await store.addEvidence(keyOf(), paste('x'));
    expect(await raw.keys(`${keyPrefix}*`)).toHaveLength(2);
    await sleep(450);
    expect(await store.load(keyOf())).toBeUndefined();
    expect(await raw.keys(`${keyPrefix}*`)).toEqual([]);
    expect(await store.purgeExpired()).toBe(0);
  });

  it('shares incidents between two instances, and their concurrent writes all land', async () => {
    const keyPrefix = nextPrefix();
    const a = await open({ retentionMs: 60_000, keyPrefix });
    const b = await open({ retentionMs: 60_000, keyPrefix });
    await a.addEvidence(keyOf(), paste('from a'));
    expect((await b.load(keyOf()))?.evidence.map((e) => e.text)).toEqual(['from a']);
    expect(await b.recordDiagnosis(keyOf(), diagnosis(1))).toEqual({ won: true });
    expect(await a.recordDiagnosis(keyOf(), diagnosis(1, 'other'))).toEqual({ won: false });
    expect(await a.claimEvent('Ev1', 60_000)).toBe(true);
    expect(await b.claimEvent('Ev1', 60_000)).toBe(false);

    const writes = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).addEvidence(keyOf('race'), paste(`w${i}`)));
    const results = await Promise.all(writes);
    expect(results.map((r) => r.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const evidence = (await a.load(keyOf('race')))?.evidence ?? [];
    expect(evidence.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('is what openStore opens when a Redis URL is set', async () => {
    const { raw, server } = ready();
    const path = join(tmpdir(), 'tls-triage-must-not-exist', 'store.db');
    const store = await openStore({ path, redisUrl: server.url, retentionDays: 2 });
    opened.push(store);
    expect(store.description).toBe(`redis ${server.url}`);
    await store.addEvidence({ platform: 'slack', channel: 'C-openStore', thread: 't' }, paste('x'));
    const keys = await raw.keys('tls-triage:incident:*C-openStore*');
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(await raw.pttl(key)).toBeGreaterThan(2 * 24 * 3600 * 1000 - 60_000);
    expect(existsSync(path)).toBe(false);
    await raw.del(...keys);
  });

  it('describes itself without the password', async () => {
    const store = await open({ retentionMs: 60_000, keyPrefix: nextPrefix() });
    expect(store.description).toBe(`redis ${ready().server.url}`);
  });

  it('fails fast and names the URL, password masked, when Redis is unreachable', async () => {
    const port = await freePort();
    const url = `redis://tls-user:secret@127.0.0.1:${port}`;
    const started = Date.now();
    const error = await openRedisStore(url, { retentionMs: 60_000 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(Date.now() - started).toBeLessThan(6000);
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toMatch(/cannot reach Redis/);
    expect(error?.message).toContain(`redis://tls-user:***@127.0.0.1:${port}`);
    expect(error?.message).not.toContain('secret');
  });
});
