import { Redis } from 'ioredis';
import { ADD_EVIDENCE, FORGET, RECORD_DIAGNOSIS, SET_FIRST_REPLY, SET_STATUS } from './redis-scripts.js';
import { TIMELINE_LIMIT, evidenceRecord, feedbackOf, feedbackRecord, keyString, maskUrl, newState, parseEvidence, parseFeedback, parseState } from './shared.js';
import type { DiagnosisSummary, IncidentKey, IncidentStore, StoreOptions } from './types.js';

// The shared store for several bot instances. Incident state is one JSON string, evidence a list
// of JSON strings; Lua scripts (redis-scripts.ts) make each change atomic, and native PEXPIRE,
// refreshed on every write, does the retention, so there is nothing to purge.

const DEFAULT_PREFIX = 'tls-triage:';
const CONNECT_TIMEOUT_MS = 3000;

type Script = (...args: (string | number)[]) => Promise<unknown>;
const SCRIPTS = { addEvidence: ADD_EVIDENCE, recordDiagnosis: RECORD_DIAGNOSIS, setFirstReply: SET_FIRST_REPLY, setStatus: SET_STATUS, forget: FORGET };

export async function openRedisStore(url: string, options: StoreOptions): Promise<IncidentStore> {
  const now = options.now ?? Date.now;
  const retention = String(options.retentionMs);
  const prefix = options.keyPrefix ?? DEFAULT_PREFIX;
  const shownUrl = maskUrl(url);

  const redis = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 2 });
  let lastError: Error | undefined;
  let opened = false;
  // Without a listener ioredis prints every reconnect failure to the console itself.
  redis.on('error', (error: Error) => {
    lastError = error;
    if (opened) options.onError?.(error);
  });

  try {
    await withTimeout(
      (async () => {
        await redis.connect();
        await redis.ping();
      })(),
      CONNECT_TIMEOUT_MS + 2000,
    );
  } catch (error) {
    // Stop the background reconnects, or a failed start-up would keep the process alive.
    redis.disconnect();
    const reason = (error instanceof Error ? error.message : String(error)) || lastError?.message || 'unknown error';
    throw new Error(`cannot reach Redis at ${shownUrl}: ${reason}`);
  }
  opened = true;

  const scripts: Record<keyof typeof SCRIPTS, Script> = Object.fromEntries(
    Object.entries(SCRIPTS).map(([name, lua]) => {
      const command = `tlsTriage_${name}`;
      redis.defineCommand(command, { lua, numberOfKeys: 2 });
      // defineCommand adds the method at run time; TypeScript cannot know its name.
      const fn = (redis as unknown as Record<string, Script>)[command];
      if (!fn) throw new Error(`ioredis did not define ${command}`);
      return [name, fn.bind(redis)];
    }),
  ) as Record<keyof typeof SCRIPTS, Script>;

  // The hash tag keeps an incident's two keys in one slot, should this ever run on a cluster.
  const keysOf = (key: IncidentKey): [string, string] => {
    const k = `${prefix}incident:{${keyString(key)}}`;
    return [`${k}:state`, `${k}:evidence`];
  };
  // Feedback lives beside the incident (same slot) and outlives it by its own expiry; the index
  // (thread key -> when its feedback expires) is what `feedback export` walks.
  const feedbackKey = (thread: string): string => `${prefix}incident:{${thread}}:feedback`;
  const feedbackIndex = `${prefix}feedback-index`;
  const eventKey = (eventId: string): string => `${prefix}event:${encodeURIComponent(eventId)}`;
  const nowIso = (): string => new Date(now()).toISOString();
  let closed = false;

  return {
    description: `redis ${shownUrl}`,

    async addEvidence(key, evidence) {
      const at = nowIso();
      const body = JSON.stringify(evidenceRecord(evidence));
      const fresh = JSON.stringify(newState(key, at));
      const [seq, created] = (await scripts.addEvidence(...keysOf(key), body, fresh, at, retention)) as [number, number];
      return { seq, created: created === 1 };
    },

    async load(key) {
      const [stateKey, evidenceKey] = keysOf(key);
      // MULTI so the state and the evidence are read at one instant.
      const replies = await redis.multi().get(stateKey).lrange(evidenceKey, 0, -1).lrange(feedbackKey(keyString(key)), 0, -1).exec();
      if (!replies) throw new Error('Redis transaction for load was aborted');
      for (const [error] of replies) if (error) throw error;
      const state = replies[0]?.[1] as string | null;
      if (!state) return undefined;
      const evidence = (replies[1]?.[1] as string[]).map((json) => parseEvidence(json));
      const feedback = (replies[2]?.[1] as string[]).map((json) => feedbackOf(parseFeedback(json)));
      return { state: parseState(state), evidence, feedback };
    },

    async recordDiagnosis(key, summary) {
      const reply = (await scripts.recordDiagnosis(...keysOf(key), JSON.stringify(summary), nowIso(), retention, TIMELINE_LIMIT)) as [number, string?];
      if (reply[0] !== 1) return { won: false };
      const previous: DiagnosisSummary | undefined = reply[1] === undefined ? undefined : parseState(reply[1]).diagnosis;
      return previous ? { won: true, previous } : { won: true };
    },

    async setFirstReply(key, ref) {
      return (await scripts.setFirstReply(...keysOf(key), ref, nowIso(), retention)) === 1;
    },

    async setStatus(key, status, by, at) {
      return (await scripts.setStatus(...keysOf(key), status, by, at, nowIso(), retention, TIMELINE_LIMIT)) === 1;
    },

    async forget(key) {
      const deleted = (await scripts.forget(...keysOf(key))) as number;
      await redis.multi().del(feedbackKey(keyString(key))).zrem(feedbackIndex, keyString(key)).exec();
      return deleted;
    },

    async addFeedback(key, feedback) {
      const thread = keyString(key);
      const replies = await redis.multi().rpush(feedbackKey(thread), JSON.stringify(feedbackRecord(key, feedback))).pexpire(feedbackKey(thread), retention).exec();
      for (const [error] of replies ?? []) if (error) throw error;
      await redis.zadd(feedbackIndex, String(now() + options.retentionMs), thread);
    },

    async listFeedback() {
      await redis.zremrangebyscore(feedbackIndex, '-inf', String(now()));
      const threads = await redis.zrange(feedbackIndex, '0', '-1');
      const lists = await Promise.all(threads.map((thread) => redis.lrange(feedbackKey(thread), 0, -1)));
      return lists.flat().map(parseFeedback).sort((a, b) => a.at.localeCompare(b.at));
    },

    async claimEvent(eventId, leaseMs) {
      // NX refuses any existing value: 'claimed' within its lease and 'done' alike.
      return (await redis.set(eventKey(eventId), 'claimed', 'PX', leaseMs, 'NX')) === 'OK';
    },

    async completeEvent(eventId, keepMs) {
      await redis.set(eventKey(eventId), 'done', 'PX', keepMs);
    },

    async purgeExpired() {
      return 0;
    },

    async close() {
      if (closed) return;
      closed = true;
      try {
        await redis.quit();
      } catch {
        // Already disconnected: nothing left to close.
        redis.disconnect();
      }
    },
  };
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  // A late failure after the timeout won must not surface as an unhandled rejection.
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
