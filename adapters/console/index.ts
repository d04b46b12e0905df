import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { isCommandLine, type Attachment, type Bot, type ReplyChannel } from '../../bot/index.js';
import { renderReplyText } from '../text/render.js';

// The local terminal chat: the embedded default when no chat platform is configured. It speaks
// through the same bot layer as Slack and Teams, and one console session is one incident thread
// (resumable with --thread). A paste ends with an empty line (or, at a terminal, a short pause,
// since pasted text arrives in one burst); end of input ends the console.

const PASTE_IDLE_MS = 400;

export interface ConsoleOptions {
  readonly bot: Bot;
  readonly input: Readable;
  readonly write: (text: string) => void;
  /** The incident thread of this session; a new one by default. */
  readonly thread?: string;
  readonly interactive?: boolean;
}

export function newConsoleThread(): string {
  return `console-${new Date().toISOString().replace(/[-:]|\.\d+Z$/g, '')}-${randomBytes(2).toString('hex')}`;
}

export async function runConsole(options: ConsoleOptions): Promise<number> {
  const { write, input, bot } = options;
  const thread = options.thread ?? newConsoleThread();
  const interactive = options.interactive ?? Boolean((input as { isTTY?: boolean }).isTTY);
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  let buffer: string[] = [];
  let idle: NodeJS.Timeout | undefined;
  let queue: Promise<void> = Promise.resolve();
  let posted = 0;
  let quit = false;

  // A terminal cannot edit what it printed: the follow-up that states a change is what the user sees.
  const out: ReplyChannel = {
    async post(reply) {
      write(`${renderReplyText(reply)}\n\n`);
      posted += 1;
      return `console-${posted}`;
    },
  };
  const send = (text: string, files?: Attachment[]): void => {
    queue = queue.then(() => bot.handle({ platform: 'console', channel: 'console', thread, user: 'local', text, addressed: true, ...(files ? { files } : {}) }, out));
  };
  const upload = (path: string): void => {
    queue = queue.then(async () => {
      try {
        const bytes = await readFile(path);
        await bot.handle({ platform: 'console', channel: 'console', thread, user: 'local', text: '', addressed: true, files: [{ name: basename(path), bytes }] }, out);
      } catch (error) {
        write(`error (INPUT_UNREADABLE): cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n\n`);
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

  write(`tls-triage console, incident ${thread} (resume it later with: npm start -- --thread ${thread})\n`);
  write("Paste TLS log lines and end with an empty line; 'upload PATH' adds a file; 'details', 'feedback right|wrong [comment]', 'status', 'summary', 'resolve', 'forget', 'probe host:port', 'help'; 'quit' to leave.\n\n");
  for await (const line of lines) {
    const trimmed = line.trim();
    if (buffer.length === 0) {
      const word = trimmed.toLowerCase();
      if (word === 'quit' || word === 'exit') {
        quit = true;
        break;
      }
      if (/^upload\s+\S/i.test(trimmed)) {
        upload(trimmed.replace(/^upload\s+/i, ''));
        continue;
      }
      if (trimmed !== '' && isCommandLine(trimmed)) {
        send(trimmed);
        continue;
      }
    }
    if (trimmed === '') {
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
