import type { webApi } from '@slack/bolt';
import type { Attachment } from '../../bot/types.js';

// Uploaded files (and long pastes, which Slack turns into text snippets): files.info for the
// metadata, then a GET of url_private with the bot token. The token goes only to Slack's own file
// hosts (or the configured API host, for tests and proxies), never to a URL anything else chose.

type WebClient = webApi.WebClient;

/** A file reference as message events carry it. */
export interface FileRef {
  readonly id: string;
  readonly name?: string;
}

export interface DownloadedFiles {
  readonly attachments: Attachment[];
  /** Files left out, with why (shown to the user when the bot was addressed). */
  readonly skipped: { name: string; reason: string }[];
}

export interface DownloadOptions {
  readonly client: WebClient;
  readonly token: string;
  readonly maxBytes: number;
  /** Origins besides https://*.slack.com that may receive the token (the SLACK_API_URL origin). */
  readonly trustedOrigins: readonly string[];
  readonly fetch?: typeof globalThis.fetch;
}

// Screenshots of an error are common in incident channels and carry nothing the rules can read.
const MEDIA = /^(image|video|audio)\//;

export async function downloadFiles(files: readonly FileRef[], options: DownloadOptions): Promise<DownloadedFiles> {
  const attachments: Attachment[] = [];
  const skipped: { name: string; reason: string }[] = [];
  // One message's files share the limit (input.maxChatBytes): ten 20 MiB files are not 200 MiB in memory.
  let left = options.maxBytes;
  for (const ref of files) {
    let info: Awaited<ReturnType<WebClient['files']['info']>>;
    try {
      info = await options.client.files.info({ file: ref.id });
    } catch (error) {
      skipped.push({ name: ref.name ?? ref.id, reason: `Slack did not describe it (${(error as { data?: { error?: string } }).data?.error ?? (error as Error).message})` });
      continue;
    }
    const file = info.file;
    const name = file?.name ?? ref.name ?? ref.id;
    const url = file?.url_private_download ?? file?.url_private;
    if (!file || !url) {
      skipped.push({ name, reason: 'Slack gave no download link for it' });
      continue;
    }
    if (file.mimetype && MEDIA.test(file.mimetype)) continue;
    if (typeof file.size === 'number' && file.size > left) {
      skipped.push({ name, reason: `${file.size} bytes is over the ${options.maxBytes}-byte limit for one message's uploads${left < options.maxBytes ? ` (${left} bytes were left after the other files)` : ''}; use the CLI (tls-triage diagnose FILE)` });
      continue;
    }
    if (!mayReceiveToken(url, options.trustedOrigins)) {
      skipped.push({ name, reason: 'its download link is not on a Slack file host' });
      continue;
    }
    let bytes: Uint8Array | undefined;
    try {
      bytes = await fetchCapped(url, file.mimetype === 'text/html', { ...options, maxBytes: left });
    } catch (error) {
      skipped.push({ name, reason: `it could not be downloaded: ${(error as Error).message}` });
      continue;
    }
    if (bytes === undefined) skipped.push({ name, reason: `it is over the ${options.maxBytes}-byte limit for one message's uploads` });
    else {
      attachments.push({ name, bytes });
      left -= bytes.length;
    }
  }
  return { attachments, skipped };
}

export function mayReceiveToken(url: string, trustedOrigins: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:' && (parsed.hostname === 'slack.com' || parsed.hostname.endsWith('.slack.com'))) return true;
  return trustedOrigins.includes(parsed.origin);
}

/** The body, or undefined past maxBytes (read in chunks so a huge file never sits in memory whole). */
async function fetchCapped(url: string, expectHtml: boolean, options: DownloadOptions): Promise<Uint8Array | undefined> {
  const fetchFn = options.fetch ?? globalThis.fetch;
  let target = url;
  let response: Response;
  // Redirects are followed by hand: the token may only ever travel to a trusted host.
  for (let hops = 0; ; hops++) {
    response = await fetchFn(target, { headers: { authorization: `Bearer ${options.token}` }, redirect: 'manual', signal: AbortSignal.timeout(60_000) });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) break;
    await response.body?.cancel();
    target = new URL(location, target).toString();
    if (hops >= 3 || !mayReceiveToken(target, options.trustedOrigins)) throw new Error('the file download redirected away from Slack');
  }
  if (!response.ok || !response.body) throw new Error(`the file download answered HTTP ${response.status}`);
  // Without files:read Slack answers a file link with its sign-in page, which would otherwise be
  // read as a log with nothing in it: a silent non-answer.
  if (!expectHtml && (response.headers.get('content-type') ?? '').startsWith('text/html')) {
    await response.body.cancel();
    throw new Error('Slack answered the file link with a web page; does the app have the files:read scope?');
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    // Leaving the loop cancels the download.
    if (total > options.maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}
