import { Writable } from 'node:stream';
import { configSchema } from '../../../../bot/config.js';
import { createBot } from '../../../../bot/index.js';
import { createLogger } from '../../../../bot/logger.js';
import { createLiveChecks } from '../../../../bot/live-checks.js';
import { createHttpHost, listen } from '../../../../adapters/http/server.js';
import { startTeams, type TeamsAdapter } from '../../../../adapters/teams/index.js';
import { createDiagnoser } from '../../../../rules/index.js';
import type { IncidentStore } from '../../../../bot/store/types.js';
import { tempSqliteStore } from '../../../helpers/bot.js';
import { startFakeConnector, type FakeConnector } from './connector.js';

// The real thing over HTTP on 127.0.0.1: Express host + CloudAdapter + bot + SQLite store, with
// the Bot Connector faked. Activities are POSTed to /api/messages as Teams would.

export interface TeamsHarness {
  readonly url: string;
  readonly connector: FakeConnector;
  readonly adapter: TeamsAdapter;
  /** Every log line written while the harness ran (JSON objects). */
  readonly logs: Record<string, unknown>[];
  /** The raw log output, to check nothing secret or pasted reached it. */
  rawLogs(): string;
  /** The bot's incident store. */
  readonly store: IncidentStore;
  send(activity: object, headers?: Record<string, string>): Promise<{ status: number; ms: number }>;
  close(): Promise<void>;
}

const diagnoser = createDiagnoser();

export async function startHarness(options: { teams?: Record<string, unknown>; config?: Record<string, unknown> } = {}): Promise<TeamsHarness> {
  const config = configSchema.parse({ ...options.config, teams: options.teams ?? { allowUnauthenticated: true } });
  if (!config.teams) throw new Error('harness needs a teams section');
  const logs: Record<string, unknown>[] = [];
  let raw = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      raw += String(chunk);
      logs.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger('info', stream);
  const { store, cleanup } = tempSqliteStore();
  const connector = await startFakeConnector();
  const bot = createBot({ diagnoser, config, logger, store, ...createLiveChecks(config, diagnoser, logger) });
  const host = createHttpHost(logger);
  const adapter = await startTeams({ bot, config: config.teams, host, logger });
  const server = await listen(host, 0, '127.0.0.1');
  return {
    url: server.url,
    connector,
    adapter,
    logs,
    store,
    rawLogs: () => raw,
    async send(activity, headers = {}) {
      const started = performance.now();
      const response = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
      await response.arrayBuffer();
      return { status: response.status, ms: performance.now() - started };
    },
    async close() {
      await adapter.stop();
      await bot.drain();
      await server.close();
      await connector.close();
      await cleanup();
    },
  };
}
