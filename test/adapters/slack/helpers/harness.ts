import { Writable } from 'node:stream';
import { configSchema } from '../../../../bot/config.js';
import { createBot, type Bot, type Message } from '../../../../bot/index.js';
import { createLogger } from '../../../../bot/logger.js';
import { createLiveChecks } from '../../../../bot/live-checks.js';
import { createHttpHost, listen, type ChatServer } from '../../../../adapters/http/server.js';
import { startSlack, type SlackAdapter } from '../../../../adapters/slack/index.js';
import { createDiagnoser, type Diagnoser } from '../../../../rules/index.js';
import type { IncidentStore } from '../../../../bot/store/types.js';
import { tempSqliteStore } from '../../../helpers/bot.js';
import { BOT_TOKEN, startFakeSlack, type FakeSlack } from './fake-slack.js';
import { SIGNING_SECRET } from './signed.js';

// The whole Slack path on loopback: fake Slack API, real Bolt app in HTTP mode on the shared
// Express host, the real bot with a temporary SQLite store and the real probe.

export interface Harness {
  readonly fake: FakeSlack;
  /** http://127.0.0.1:PORT/slack/events */
  readonly eventsUrl: string;
  readonly server: ChatServer;
  readonly adapter: SlackAdapter;
  /** Every Message the adapter handed to the bot, in order. */
  readonly seen: Message[];
  /** Parsed log lines (pino JSON). */
  readonly logs: Record<string, unknown>[];
  /** The bot's incident store, and its SQLite file (what `tls-triage feedback export` reads). */
  readonly store: IncidentStore;
  readonly storePath: string;
  /** Waits until the bot got `count` messages in all and answered every one of them. */
  settle(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

let shared: Diagnoser | undefined;
const diagnoser = (): Diagnoser => (shared ??= createDiagnoser());

export interface HarnessOptions {
  /** Top-level config sections besides slack (e.g. input, probe). */
  readonly config?: Record<string, unknown>;
  /** A bot token the fake file host does not accept (default: the one it does). */
  readonly botToken?: string;
  /** Socket Mode: an app-level token instead of the signing secret. */
  readonly appToken?: string;
  /** Default debug (tests read the log lines). */
  readonly logLevel?: string;
  /** Runs on the fake before the adapter starts (e.g. to answer apps.connections.open). */
  readonly prepare?: (fake: FakeSlack) => void;
  /** Further keys of the slack section (e.g. maxUnverifiedBodies). */
  readonly slack?: Record<string, unknown>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeSlack();
  options.prepare?.(fake);
  const { store, path: storePath, cleanup } = tempSqliteStore();
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger(options.logLevel ?? 'debug', new Writable({ write: (chunk, _e, done) => (logs.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) }));
  const config = configSchema.parse({
    probe: { allow: ['127.0.0.1'], timeoutMs: 3000 },
    routing: { roles: { client: '<!subteam^S123>' } },
    ...options.config,
    slack: { botToken: options.botToken ?? BOT_TOKEN, ...(options.appToken ? { appToken: options.appToken } : { signingSecret: SIGNING_SECRET }), apiUrl: fake.apiUrl, ...options.slack },
  });
  const inner = createBot({ diagnoser: diagnoser(), config, logger, store, ...createLiveChecks(config, diagnoser(), logger) });
  const seen: Message[] = [];
  const bot: Bot = {
    handle: (message, out) => {
      seen.push(message);
      return inner.handle(message, out);
    },
    drain: () => inner.drain(),
  };
  const host = createHttpHost(logger);
  if (!config.slack) throw new Error('test config has no slack section');
  const adapter = await startSlack({ bot, config: config.slack, host, logger, maxFileBytes: config.input.maxChatBytes });
  const server = await listen(host, 0, '127.0.0.1');
  return {
    fake,
    eventsUrl: `${server.url}/slack/events`,
    server,
    adapter,
    seen,
    logs,
    store,
    storePath,
    async settle(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (seen.length < count) {
        if (Date.now() > deadline) throw new Error(`the bot got ${seen.length} of ${count} messages`);
        await new Promise((r) => setTimeout(r, 10));
      }
      await inner.drain();
    },
    async close() {
      await adapter.stop();
      await inner.drain();
      await server.close();
      await fake.close();
      await cleanup();
    },
  };
}

/** Polls until `check` is true (for replies that arrive after a retry delay). */
export async function until(check: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
