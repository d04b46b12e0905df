import type { Attachment } from '../../bot/types.js';
import type { FileRef } from './to-message.js';

// Downloads the files a Teams message carries, and only from the URLs in its attachments. The
// bot's token goes only to the Bot Connector's own host (the serviceUrl's origin: Teams' inline
// attachments live there); file-consent download URLs are pre-authorised and get no token, so
// the bot's credentials never reach another host.

export interface DownloadOptions {
  readonly serviceUrl: string;
  /** The bot's Bot Connector token; absent when authentication is off (local development). */
  readonly token?: () => Promise<string | undefined>;
  readonly maxBytes: number;
  /** Plain http is accepted only without authentication (a local fake connector). */
  readonly allowHttp: boolean;
  readonly timeoutMs?: number;
}

export interface Downloaded {
  readonly files: Attachment[];
  /** What could not be read, worded for the user. */
  readonly problems: { readonly code: 'INPUT_TOO_LARGE' | 'INPUT_UNREADABLE'; readonly text: string }[];
}

export async function downloadFiles(refs: readonly FileRef[], options: DownloadOptions): Promise<Downloaded> {
  const files: Attachment[] = [];
  const problems: Downloaded['problems'] = [];
  // One message's files share the limit (input.maxChatBytes).
  let left = options.maxBytes;
  for (const ref of refs) {
    const outcome = await downloadOne(ref, { ...options, maxBytes: left }, options.maxBytes);
    if (outcome.ok) {
      files.push({ name: ref.name, bytes: outcome.bytes });
      left -= outcome.bytes.length;
    } else problems.push({ code: outcome.code, text: `${ref.name}: ${outcome.reason}` });
  }
  return { files, problems };
}

type Outcome = { ok: true; bytes: Uint8Array } | { ok: false; code: 'INPUT_TOO_LARGE' | 'INPUT_UNREADABLE'; reason: string };

async function downloadOne(ref: FileRef, options: DownloadOptions, limit: number): Promise<Outcome> {
  let url: URL;
  try {
    url = new URL(ref.url);
  } catch {
    return { ok: false, code: 'INPUT_UNREADABLE', reason: 'the attachment has no valid download address' };
  }
  if (url.protocol !== 'https:' && !(options.allowHttp && url.protocol === 'http:')) {
    return { ok: false, code: 'INPUT_UNREADABLE', reason: `attachments are only downloaded over https (got ${url.protocol})` };
  }
  const headers: Record<string, string> = {};
  if (!ref.preauthorised && options.token && sameOrigin(url, options.serviceUrl)) {
    const token = await options.token();
    if (token) headers.authorization = `Bearer ${token}`;
  }
  let response: Response;
  try {
    response = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  } catch (error) {
    return { ok: false, code: 'INPUT_UNREADABLE', reason: `download failed (${(error as Error).name})` };
  }
  if (!response.ok) {
    await response.body?.cancel();
    const hint = response.status === 401 || response.status === 403 ? '; files shared in a channel may need to be sent to the bot in a personal chat, or pasted' : '';
    return { ok: false, code: 'INPUT_UNREADABLE', reason: `download refused (HTTP ${response.status})${hint}` };
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > options.maxBytes) {
    await response.body?.cancel();
    return tooLarge(limit);
  }
  // Counted while reading: a missing or wrong Content-Length must not fill memory.
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    // Leaving the loop early cancels the stream (async iterator return()).
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > options.maxBytes) break;
      chunks.push(chunk);
    }
  }
  if (total > options.maxBytes) return tooLarge(limit);
  return { ok: true, bytes: Buffer.concat(chunks, total) };
}

function tooLarge(maxBytes: number): Outcome {
  return { ok: false, code: 'INPUT_TOO_LARGE', reason: `larger than the ${maxBytes}-byte limit for one message's uploads; use the CLI (tls-triage diagnose FILE)` };
}

function sameOrigin(url: URL, serviceUrl: string): boolean {
  try {
    return new URL(serviceUrl).origin === url.origin;
  } catch {
    return false;
  }
}
