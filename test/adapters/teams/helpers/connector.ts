import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A fake Bot Connector on 127.0.0.1: what Teams' service does with the bot's outgoing calls,
// recorded in order. Replies (POST .../activities/{replyToId}), new messages (POST .../activities),
// edits (PUT .../activities/{id}) and deletions get ids like Teams does; /files/* serves
// attachment bytes for download tests.

export interface ConnectorCall {
  readonly method: string;
  /** Decoded conversation id from the path. */
  readonly conversation: string;
  /** The path's activity id: replyToId for a reply, the edited activity for PUT/DELETE. */
  readonly activityId?: string;
  readonly body: Record<string, unknown>;
  readonly bytes: number;
  readonly authorization?: string;
  /** Id this fake gave the activity (POST). */
  readonly id?: string;
  readonly at: number;
}

export interface FakeConnector {
  readonly url: string;
  readonly calls: ConnectorCall[];
  /** Files served at `${url}files/<name>`, and who asked for them. */
  readonly files: Map<string, Buffer>;
  readonly fileRequests: { name: string; authorization?: string }[];
  /** Resolves once at least `count` calls were recorded (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ConnectorCall[]>;
  close(): Promise<void>;
}

const ACTIVITIES = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;

export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  const files = new Map<string, Buffer>();
  const fileRequests: FakeConnector['fileRequests'] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let next = 1;

  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const authorization = req.headers.authorization;
      if (req.method === 'GET' && path.startsWith('/files/')) {
        const name = decodeURIComponent(path.slice('/files/'.length));
        fileRequests.push({ name, ...(authorization ? { authorization } : {}) });
        const bytes = files.get(name);
        res.writeHead(bytes ? 200 : 404, { 'content-type': 'application/octet-stream' }).end(bytes ?? '');
        return;
      }
      const match = ACTIVITIES.exec(path);
      if (!match) {
        res.writeHead(404).end();
        return;
      }
      const id = req.method === 'POST' ? `bot-${next++}` : undefined;
      const body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
      calls.push({
        method: req.method ?? '?',
        conversation: decodeURIComponent(match[1] as string),
        ...(match[2] ? { activityId: decodeURIComponent(match[2]) } : {}),
        body,
        bytes: raw.length,
        ...(authorization ? { authorization } : {}),
        ...(id ? { id } : {}),
        at: performance.now(),
      });
      for (const w of waiters.filter((w) => calls.length >= w.count)) w.resolve();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: id ?? (match[2] ? decodeURIComponent(match[2]) : '') }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    files,
    fileRequests,
    waitFor(count, timeoutMs = 15_000) {
      if (calls.length >= count) return Promise.resolve(calls);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fake connector: ${calls.length} call(s) after ${timeoutMs} ms, expected ${count}`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(calls);
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
