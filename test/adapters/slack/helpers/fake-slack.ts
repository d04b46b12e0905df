import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A fake Slack on 127.0.0.1: the Web API methods the adapter calls (recorded with their arguments),
// a file host that insists on the bot token, and response_url endpoints. Tests read what the bot
// sent from `calls`, `responses` and `downloads`, as Slack would have received it.

export const BOT_TOKEN = 'xoxb-test-token';
export const BOT_USER_ID = 'UBOT';
export const BOT_ID = 'BBOT';

export interface ApiCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly authorization: string | undefined;
  readonly at: number;
  /** HTTP status the fake answered (429 when rate-limited). */
  readonly status: number;
  /** What the fake answered. */
  readonly result?: Record<string, unknown>;
}

export interface Recorded {
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly at: number;
}

export interface FakeFile {
  readonly id: string;
  readonly name: string;
  readonly mimetype: string;
  readonly bytes: Uint8Array;
}

export interface FakeSlack {
  readonly url: string;
  readonly apiUrl: string;
  readonly calls: ApiCall[];
  readonly responses: Recorded[];
  readonly downloads: { path: string; authorization: string | undefined; at: number; status: number }[];
  /** Successful chat.postMessage calls. */
  posts(): ApiCall[];
  updates(): ApiCall[];
  addFile(name: string, bytes: Uint8Array, mimetype?: string): FakeFile;
  /** The next `count` calls of `method` (or 'response_url') get HTTP 429 with Retry-After. */
  rateLimit(method: string, count: number, retryAfterSeconds: number): void;
  responseUrl(): string;
  /** Extra API methods (apps.connections.open for Socket Mode). */
  handle(method: string, answer: (args: Record<string, unknown>) => Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: ApiCall[] = [];
  const responses: Recorded[] = [];
  const downloads: FakeSlack['downloads'] = [];
  const files = new Map<string, FakeFile>();
  const limits = new Map<string, { count: number; retryAfter: number }>();
  const extra = new Map<string, (args: Record<string, unknown>) => Record<string, unknown>>();
  let ts = 1_700_000_000;
  let base = '';

  const api = (method: string, args: Record<string, unknown>): Record<string, unknown> => {
    const custom = extra.get(method);
    if (custom) return custom(args);
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.test/', team: 'Fake', user: 'tls-triage', team_id: 'T1', user_id: BOT_USER_ID, bot_id: BOT_ID };
      case 'chat.postMessage':
        ts += 1;
        return { ok: true, channel: args.channel, ts: `${ts}.000100`, message: { text: args.text } };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'files.info': {
        const file = files.get(String(args.file));
        if (!file) return { ok: false, error: 'file_not_found' };
        const url = `${base}/files-pri/T1-${file.id}/${encodeURIComponent(file.name)}`;
        return { ok: true, file: { id: file.id, name: file.name, mimetype: file.mimetype, size: file.bytes.length, url_private: url, url_private_download: `${url}?download=1` } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const server: Server = createServer((req, res) => {
    void serve(req, res).catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const at = performance.now();
    if (path.startsWith('/api/')) {
      const method = path.slice('/api/'.length);
      const args = parseArgs(raw, req.headers['content-type']);
      const limit = limits.get(method);
      if (limit && limit.count > 0) {
        limit.count -= 1;
        calls.push({ method, args, authorization: req.headers.authorization, at, status: 429 });
        res.writeHead(429, { 'retry-after': String(limit.retryAfter), 'content-type': 'application/json' }).end('{"ok":false,"error":"ratelimited"}');
        return;
      }
      const result = api(method, args);
      calls.push({ method, args, authorization: req.headers.authorization, at, status: 200, result });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      return;
    }
    if (path.startsWith('/files-pri/')) {
      const id = path.split('/')[2]?.replace(/^T1-/, '') ?? '';
      const file = files.get(id);
      const ok = req.headers.authorization === `Bearer ${BOT_TOKEN}`;
      // Slack answers a file link without a valid token with its sign-in page, not an error.
      const status = file ? 200 : 404;
      downloads.push({ path, authorization: req.headers.authorization, at, status });
      if (!file) res.writeHead(404).end();
      else if (!ok) res.writeHead(200, { 'content-type': 'text/html' }).end('<html>sign in</html>');
      else res.writeHead(200, { 'content-type': file.mimetype }).end(file.bytes);
      return;
    }
    if (path.startsWith('/response/')) {
      const limit = limits.get('response_url');
      if (limit && limit.count > 0) {
        limit.count -= 1;
        res.writeHead(429, { 'retry-after': String(limit.retryAfter) }).end();
        return;
      }
      responses.push({ path, body: JSON.parse(raw || '{}') as Record<string, unknown>, at });
      res.writeHead(200).end('ok');
      return;
    }
    res.writeHead(404).end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    apiUrl: `${base}/api/`,
    calls,
    responses,
    downloads,
    posts: () => calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200),
    updates: () => calls.filter((c) => c.method === 'chat.update' && c.status === 200),
    addFile(name, bytes, mimetype = 'text/plain') {
      const file = { id: `F${randomBytes(4).toString('hex').toUpperCase()}`, name, mimetype, bytes };
      files.set(file.id, file);
      return file;
    },
    rateLimit(method, count, retryAfter) {
      limits.set(method, { count, retryAfter });
    },
    responseUrl: () => `${base}/response/T1/${randomBytes(4).toString('hex')}`,
    handle: (method, answer) => void extra.set(method, answer),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Web API bodies are form-encoded with object fields (blocks) as JSON strings. */
function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = (key === 'blocks' || key === 'attachments') && value.startsWith('[') ? JSON.parse(value) : value;
  }
  return args;
}
