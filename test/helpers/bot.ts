import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bot, Message, Reply, ReplyChannel } from '../../bot/index.js';
import { openSqliteStore } from '../../bot/store/sqlite.js';
import type { IncidentStore } from '../../bot/store/types.js';

/** A thread that records what the bot posted and edited, as a chat platform would show it. */
export interface RecordingThread extends ReplyChannel {
  readonly posts: Reply[];
  readonly updates: { ref: string; reply: Reply }[];
}

export function recordingThread(options: { canEdit?: boolean } = {}): RecordingThread {
  const posts: Reply[] = [];
  const updates: { ref: string; reply: Reply }[] = [];
  const thread: RecordingThread = {
    posts,
    updates,
    async post(reply) {
      posts.push(reply);
      return `ref-${posts.length}`;
    },
  };
  if (options.canEdit !== false) {
    (thread as { update?: ReplyChannel['update'] }).update = async (ref, reply) => void updates.push({ ref, reply });
  }
  return thread;
}

/** Sends one message and returns what the bot posted in answer. */
export async function ask(bot: Bot, message: Message): Promise<Reply[]> {
  const thread = recordingThread();
  await bot.handle(message, thread);
  return thread.posts;
}

/** A real SQLite store in a fresh temporary directory. */
export function tempSqliteStore(retentionMs = 30 * 24 * 3600 * 1000): { store: IncidentStore; path: string; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'tls-triage-bot-'));
  const path = join(dir, 'incidents.db');
  const store = openSqliteStore(path, { retentionMs });
  return {
    store,
    path,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
