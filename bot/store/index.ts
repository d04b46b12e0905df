import { existsSync } from 'node:fs';
import { TriageError } from '../errors.js';
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

/**
 * Opens Redis when a URL is configured, the SQLite file otherwise. `mustExist`: for a reader of what
 * the bot stored (`feedback export`), a missing store is an error, not a new empty one.
 */
export async function openStore(config: StoreConfig, now?: () => number, onError?: (error: Error) => void, open: { readonly mustExist?: boolean } = {}): Promise<IncidentStore> {
  const options = { retentionMs: config.retentionDays * DAY_MS, ...(now ? { now } : {}), ...(onError ? { onError } : {}) };
  if (config.redisUrl) {
    try {
      return await openRedisStore(config.redisUrl, options);
    } catch (error) {
      throw new TriageError('STORE_UNAVAILABLE', `incident store: ${(error as Error).message} (store.redisUrl / REDIS_URL)`);
    }
  }
  if (open.mustExist && !existsSync(config.path)) {
    throw new TriageError('STORE_UNAVAILABLE', `there is no incident store at ${config.path} (store.path / TLS_TRIAGE_DB; REDIS_URL for Redis): run this where the bot keeps its store, or point one of them at it`);
  }
  try {
    return openSqliteStore(config.path, options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TriageError('STORE_UNAVAILABLE', `cannot open the incident store ${config.path} (store.path / TLS_TRIAGE_DB): ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (error as Error).message}`);
  }
}
