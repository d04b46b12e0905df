// The listener: a TCP server on the given address that treats every connection as a TLS client to
// look at (connection.ts), until its time is up, enough connections came, or it is told to stop.
// Everything is bounded: connections at once, time per connection, connections kept in memory.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { ListenProtocol } from '../../rules/listen/signals.js';
import { TriageError } from '../errors.js';
import { MAX_LISTEN_SECONDS } from './config.js';
import { handleConnection, type ListenConnection } from './connection.js';
import { listenerContext, type ListenerVersion } from './secure-context.js';
import { ListenTally, type ListenSummary } from './summary.js';
import { throwawayCertificate, THROWAWAY_SUBJECT } from './throwaway-cert.js';

export interface ListenerOptions {
  /** Address to bind; undefined: every interface. */
  host?: string;
  /** 0: any free port (the one bound is reported). */
  port: number;
  seconds: number;
  /** Stop after this many connections have ended. */
  count?: number;
  /** A certificate to present instead of the throw-away one. */
  certificate?: { certPem: string; keyPem: string; subject: string };
  requestCert: boolean;
  versions: readonly ListenerVersion[];
  /** Per connection, hello to verdict (default 10 s). */
  connectionTimeoutMs?: number;
  /** At most this many connections handled at once (default 32); more wait in the kernel's backlog. */
  maxConcurrent?: number;
  signal?: AbortSignal;
  onListening?(where: { address: string; port: number; certificateSubject: string }): void;
  onConnection?(connection: ListenConnection, index: number): void;
}

export interface ListenRun {
  address: string;
  port: number;
  versions: ListenProtocol[];
  requestCert: boolean;
  certificate: { subject: string; throwaway: boolean };
  startedAt: string;
  endedAt: string;
  seconds: number;
  stoppedBy: 'time' | 'count' | 'signal';
  /** The first connections (MAX_KEPT), for incident evidence; every one was passed to onConnection. */
  connections: ListenConnection[];
  summary: ListenSummary;
}

export { MAX_LISTEN_SECONDS };
export const MAX_KEPT = 200;
const DRAIN_MS = 2000;

function bindError(error: NodeJS.ErrnoException, host: string | undefined, port: number): TriageError {
  const where = `${host ?? 'every interface'} port ${port}`;
  if (error.code === 'EADDRINUSE') return new TriageError('USAGE', `cannot listen on ${where}: the port is in use`);
  if (error.code === 'EACCES') return new TriageError('USAGE', `cannot listen on ${where}: permission denied (ports below 1024 need privileges)`);
  if (error.code === 'EADDRNOTAVAIL') return new TriageError('USAGE', `cannot listen on ${where}: no interface has that address`);
  return new TriageError('USAGE', `cannot listen on ${where}: ${error.code ?? error.message}`);
}

export async function runListener(o: ListenerOptions): Promise<ListenRun> {
  if (!(o.seconds > 0 && o.seconds <= MAX_LISTEN_SECONDS)) throw new TriageError('USAGE', `a listener runs from 1 to ${MAX_LISTEN_SECONDS} seconds, not ${o.seconds}`);
  const certificate = o.certificate ?? throwawayCertificate();
  const secureContext = listenerContext(o.versions, certificate);
  const tally = new ListenTally();
  const kept: ListenConnection[] = [];
  const active = new Set<Promise<void>>();
  const sockets = new Set<Socket>();
  const startedAt = new Date();
  let accepted = 0;
  let ended = 0;
  const server = createServer({ noDelay: true });
  server.maxConnections = o.maxConcurrent ?? 32;
  let stop: (by: ListenRun['stoppedBy']) => void = () => undefined;
  const stopped = new Promise<ListenRun['stoppedBy']>((resolve) => {
    stop = resolve;
  });
  server.on('connection', (socket) => {
    const index = accepted++;
    if (o.count !== undefined && accepted >= o.count) server.close();
    sockets.add(socket);
    const work = handleConnection(socket, { secureContext, requestCert: o.requestCert, timeoutMs: o.connectionTimeoutMs ?? 10_000 }).then((c) => {
      sockets.delete(socket);
      tally.add(c);
      if (kept.length < MAX_KEPT) kept.push(c);
      o.onConnection?.(c, index);
      ended++;
      if (o.count !== undefined && ended >= o.count) stop('count');
    });
    active.add(work);
    void work.finally(() => active.delete(work));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(bindError(error, o.host, o.port)));
    server.listen({ port: o.port, ...(o.host ? { host: o.host } : {}) }, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  o.onListening?.({ address: bound.address, port: bound.port, certificateSubject: certificate.subject });
  const timer = setTimeout(() => stop('time'), o.seconds * 1000);
  const onAbort = (): void => stop('signal');
  if (o.signal?.aborted) stop('signal');
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const stoppedBy = await stopped;
  clearTimeout(timer);
  o.signal?.removeEventListener('abort', onAbort);
  server.close();
  // Connections under way get a moment to finish; then they are cut.
  const drain = setTimeout(() => {
    for (const s of sockets) s.destroy();
  }, DRAIN_MS);
  await Promise.allSettled([...active]);
  clearTimeout(drain);
  const endedAt = new Date();
  return {
    address: bound.address,
    port: bound.port,
    versions: [...o.versions],
    requestCert: o.requestCert,
    certificate: { subject: certificate.subject, throwaway: !o.certificate },
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    seconds: Math.round((endedAt.getTime() - startedAt.getTime()) / 100) / 10,
    stoppedBy,
    connections: kept,
    summary: tally.summary(),
  };
}

export { THROWAWAY_SUBJECT };
