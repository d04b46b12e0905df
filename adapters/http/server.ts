import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type { Logger } from 'pino';

// One HTTP server for every chat platform on one port: each adapter mounts its route on the shared
// Express app (Slack /slack/events, Teams /api/messages); /healthz answers load balancers.

export interface ChatAdapter {
  readonly name: string;
  /** Stops taking new work from the platform (closes sockets, stops receivers). */
  stop(): Promise<void>;
}

/** What an adapter gets to mount itself. */
export interface HttpHost {
  readonly app: Express;
  readonly logger: Logger;
}

export interface ChatServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

export function createHttpHost(logger: Logger): HttpHost {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  return { app, logger };
}

export async function listen(host: HttpHost, port: number, address: string): Promise<ChatServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = host.app.listen(port, address, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const bound = server.address() as AddressInfo;
  const shown = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  host.logger.info({ port: bound.port, address: bound.address }, 'http server listening');
  return {
    url: `http://${shown}:${bound.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
