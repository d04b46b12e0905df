import type { Logger } from 'pino';
import { loadConfig, withAllow, type Config } from '../bot/config.js';
import { isTriageError } from '../bot/errors.js';
import { createBot } from '../bot/index.js';
import { createLogger } from '../bot/logger.js';
import { createLiveChecks } from '../bot/live-checks.js';
import { readRuleDirs } from '../bot/rules-files.js';
import { openStore } from '../bot/store/index.js';
import { createDiagnoser, RuleFileError, type Diagnoser } from '../rules/index.js';
import { parseArgs } from './cli/args.js';
import { startConsole } from './console/start.js';
import { createHttpHost, listen, type ChatAdapter } from './http/server.js';
import { startSlack } from './slack/index.js';
import { startTeams } from './teams/index.js';

// `npm start`: load and validate the configuration and rules (a bad file stops start-up), then
// start every adapter whose credentials are present on one HTTP server. With none, the local
// console runs: the embedded default that needs no account.

async function start(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, { flags: [], values: ['thread', 'allow'] });
  // A variable that looks like a chat setting but is not one stops start-up: a misspelt token must
  // not silently open the console instead of connecting.
  const loaded = loadConfig(process.env, process.cwd(), { strictChatEnv: true });
  const config = withAllow(loaded.config, args.values.get('allow'));
  const diagnoser = createDiagnoser(readRuleDirs(config.rules.dirs));
  if (!config.slack && !config.teams) {
    const thread = args.values.get('thread')?.at(-1);
    return startConsole({ config, diagnoser, input: process.stdin, write: (text) => void process.stdout.write(text), ...(thread ? { thread } : {}) });
  }
  const file = loaded.file;
  const logger = createLogger(config.logging.level);
  logger.info({ config: file ?? 'defaults and environment' }, 'starting');
  await serveChat(config, diagnoser, logger);
  return 0;
}

async function serveChat(config: Config, diagnoser: Diagnoser, logger: Logger): Promise<void> {
  const store = await openStore(config.store, undefined, (error) => logger.error({ err: error }, 'incident store error'));
  logger.info({ store: store.description }, 'incident store open');
  const bot = createBot({ diagnoser, config, logger, store, ...createLiveChecks(config, diagnoser, logger) });
  const host = createHttpHost(logger);
  const adapters: ChatAdapter[] = [];
  if (config.slack) adapters.push(await startSlack({ bot, config: config.slack, host, logger: logger.child({ platform: 'slack' }), maxFileBytes: config.input.maxChatBytes }));
  if (config.teams) adapters.push(await startTeams({ bot, config: config.teams, host, logger: logger.child({ platform: 'teams' }), maxFileBytes: config.input.maxChatBytes }));
  const server = await listen(host, config.server.port, config.server.host);
  logger.info({ adapters: adapters.map((a) => a.name), url: server.url }, 'tls-triage is running');

  // SIGTERM (and Ctrl-C): stop taking work, finish what is in flight, then close the store.
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'shutting down: draining work in flight');
      void (async () => {
        await Promise.allSettled(adapters.map((a) => a.stop()));
        await server.close();
        await bot.drain();
        await store.close();
        logger.info('stopped');
        resolve();
      })();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

start(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof RuleFileError || isTriageError(error);
    process.stderr.write(`tls-triage: ${known ? (error as Error).message : `internal error: ${String(error)}`}\n`);
    // Bad configuration is the operator's to fix (2); a platform or store that fails is not (1).
    const failed = isTriageError(error) && (error.code === 'PLATFORM_UNREACHABLE' || error.code === 'STORE_UNAVAILABLE');
    process.exitCode = known && !failed ? 2 : 1;
  },
);
