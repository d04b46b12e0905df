import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Config } from '../../bot/config.js';
import { createBot, type Bot } from '../../bot/index.js';
import { createLogger } from '../../bot/logger.js';
import { createProbeService } from '../../bot/probe/service.js';
import type { Diagnoser } from '../../rules/index.js';
import { renderReplyText } from '../text/render.js';

// The local terminal chat: the embedded default when no chat platform is configured. It speaks
// through the same bot layer as Slack and Teams. A paste ends with an empty line (or, at a
// terminal, a short pause, since pasted text arrives in one burst); end of input ends the console.

const PASTE_IDLE_MS = 400;
const GREETING = "tls-triage console: paste TLS log lines and end with an empty line. 'help' for help, 'quit' to leave.";

export interface ConsoleOptions {
  readonly config: Config;
  readonly diagnoser: Diagnoser;
  readonly input: Readable;
  readonly write: (text: string) => void;
  readonly bot?: Bot;
  readonly interactive?: boolean;
}

export async function runConsole(options: ConsoleOptions): Promise<number> {
  const { write, input } = options;
  const interactive = options.interactive ?? Boolean((input as { isTTY?: boolean }).isTTY);
  // The console's own output is the conversation; log lines (stderr) only from warn up by default.
  const logger = createLogger(options.config.logging.level === 'info' ? 'warn' : options.config.logging.level);
  const bot =
    options.bot ??
    createBot({ diagnoser: options.diagnoser, config: options.config, logger, probe: createProbeService(options.config, options.diagnoser, logger) });
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  let buffer: string[] = [];
  let idle: NodeJS.Timeout | undefined;
  let queue: Promise<void> = Promise.resolve();
  let quit = false;

  const send = (text: string): void => {
    queue = queue.then(async () => {
      try {
        const reply = await bot.handle({ platform: 'console', channel: 'console', thread: 'console', user: 'local', text, addressed: true });
        if (reply) write(`${renderReplyText(reply)}\n\n`);
      } catch (error) {
        write(`error: ${(error as Error).message}\n\n`);
      }
    });
  };
  const flush = (): void => {
    if (idle) clearTimeout(idle);
    idle = undefined;
    const text = buffer.join('\n');
    buffer = [];
    if (text.trim().length > 0) send(text);
  };

  write(`${GREETING}\n\n`);
  for await (const line of lines) {
    const word = line.trim().toLowerCase();
    if (buffer.length === 0 && (word === 'quit' || word === 'exit')) {
      quit = true;
      break;
    }
    if (buffer.length === 0 && (word === 'help' || word.startsWith('probe '))) {
      send(line.trim());
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    buffer.push(line);
    if (interactive) {
      if (idle) clearTimeout(idle);
      idle = setTimeout(flush, PASTE_IDLE_MS);
    }
  }
  flush();
  await queue;
  if (quit) write('bye\n');
  lines.close();
  return 0;
}
