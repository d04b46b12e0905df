import type { Readable } from 'node:stream';
import type { Config } from '../../bot/config.js';
import { createBot } from '../../bot/index.js';
import { createLogger } from '../../bot/logger.js';
import { createLiveChecks } from '../../bot/live-checks.js';
import { openStore } from '../../bot/store/index.js';
import type { Diagnoser } from '../../rules/index.js';
import { runConsole } from './index.js';

/** The console with everything it needs: the configured incident store, the probe, the bot. */
export async function startConsole(options: { config: Config; diagnoser: Diagnoser; input: Readable; write: (text: string) => void; thread?: string }): Promise<number> {
  const { config, diagnoser } = options;
  // The console's own output is the conversation; log lines (stderr) only from warn up by default.
  const logger = createLogger(config.logging.level === 'info' ? 'warn' : config.logging.level);
  const store = await openStore(config.store, undefined, (error) => logger.error({ err: error }, 'incident store error'));
  try {
    const bot = createBot({ diagnoser, config, logger, store, ...createLiveChecks(config, diagnoser, logger) });
    return await runConsole({ bot, input: options.input, write: options.write, ...(options.thread ? { thread: options.thread } : {}) });
  } finally {
    await store.close();
  }
}
