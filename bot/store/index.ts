import { openRedisStore } from './redis.js';
import { openSqliteStore } from './sqlite.js';
import type { IncidentStore } from './types.js';

export type * from './types.js';
export { openRedisStore } from './redis.js';
export { openSqliteStore } from './sqlite.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface StoreConfig {
  /** SQLite file, used when no Redis URL is set. */
  readonly path: string;
  /** Several bot instances share incidents only through Redis. */
  readonly redisUrl?: string;
  readonly retentionDays: number;
}

/** Opens Redis when a URL is configured, the SQLite file otherwise. */
export async function openStore(config: StoreConfig, now?: () => number, onError?: (error: Error) => void): Promise<IncidentStore> {
  const options = { retentionMs: config.retentionDays * DAY_MS, ...(now ? { now } : {}), ...(onError ? { onError } : {}) };
  return config.redisUrl ? openRedisStore(config.redisUrl, options) : openSqliteStore(config.path, options);
}
