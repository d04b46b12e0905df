import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Reply, ReplyChannel } from '../../bot/types.js';
import { truncate, type SlackMessage } from './blocks.js';
import { fallbackText, renderSlack } from './render.js';

// Where a reply goes: a thread (chat.postMessage / chat.update through the WebClient, which waits
// out HTTP 429 for the Retry-After time and retries), or a slash command's response_url (plain
// HTTP, so the same patience is implemented here).

type WebClient = webApi.WebClient;

// Errors that mean "these blocks", not "this message": the reply is sent again as text only.
const BLOCK_ERRORS = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_blocks_too_long', 'msg_too_long']);

export function threadChannel(client: WebClient, channel: string, thread: string | undefined, logger: Logger): ReplyChannel {
  const send = async <T>(reply: Reply, call: (message: SlackMessage) => Promise<T>): Promise<T> => {
    try {
      return await call(renderSlack(reply));
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (!code || !BLOCK_ERRORS.has(code)) throw error;
      logger.warn({ channel, kind: reply.kind, error: code }, 'slack refused the blocks; sending the reply as text');
      return call({ text: truncate(fallbackText(reply), 3500), blocks: [] });
    }
  };
  return {
    async post(reply) {
      const result = await send(reply, (m) =>
        client.chat.postMessage({ channel, ...(thread ? { thread_ts: thread } : {}), text: m.text, ...(m.blocks.length > 0 ? { blocks: m.blocks } : {}), unfurl_links: false, unfurl_media: false }),
      );
      return result.ts;
    },
    async update(ref, reply) {
      await send(reply, (m) => client.chat.update({ channel, ts: ref, text: m.text, blocks: m.blocks }));
    },
  };
}

export interface RespondOptions {
  readonly fetch?: typeof globalThis.fetch;
  /** Attempts in all, the first included. */
  readonly attempts?: number;
}

/**
 * A slash command's answers: response_url messages, shown in the channel. There is no thread
 * (Slack gives a command none) and no ts to edit later, so there is no update().
 */
export function commandChannel(responseUrl: string, logger: Logger, options: RespondOptions = {}): ReplyChannel {
  return {
    async post(reply) {
      const message = renderSlack(reply);
      await postResponse(responseUrl, { response_type: 'in_channel', replace_original: false, ...message }, logger, options);
      return undefined;
    },
  };
}

/** POSTs one response_url message, waiting out 429 (Retry-After) and 5xx or network failures. */
export async function postResponse(url: string, body: Record<string, unknown>, logger: Logger, options: RespondOptions = {}): Promise<void> {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const attempts = options.attempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    let wait = Math.min(30_000, 1000 * 2 ** (attempt - 1));
    let status = 0;
    try {
      const response = await fetchFn(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
      await response.arrayBuffer();
      if (response.ok) return;
      status = response.status;
      const retryAfter = Number(response.headers.get('retry-after'));
      if (status === 429 && Number.isFinite(retryAfter) && retryAfter > 0) wait = Math.min(retryAfter, 300) * 1000;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
    // Other 4xx: the URL expired (30 minutes, 5 uses) or the message is bad; retrying cannot help.
    if (status !== 0 && status !== 429 && status < 500) throw new Error(`response_url answered HTTP ${status}`);
    if (attempt >= attempts) throw new Error(`response_url still answered HTTP ${status} after ${attempts} attempts`);
    logger.warn({ status, attempt, waitMs: wait }, 'response_url did not take the reply; retrying');
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
