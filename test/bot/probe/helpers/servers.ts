// Loopback peers for the probe tests: `openssl s_server` on a free port (ready once it prints
// ACCEPT), a plain HTTP server, a closed port, and a minimal SSLv3 responder. Every start returns
// a stop() that kills exactly the process/server it started.
import { afterAll, beforeAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface Peer {
  port: number;
  stop(): Promise<void>;
}

/** Asks the kernel for a free port, then releases it (tiny race accepted in tests). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Starts `openssl s_server` with `args` (cert, key, protocol flags...) on 127.0.0.1. */
export async function startSServer(args: string[]): Promise<Peer> {
  const port = await freePort();
  // stdin stays an open, silent pipe: s_server relays stdin to clients and quits on EOF.
  const child = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s_server not ready: ${output}`)), 10_000);
    const onData = (d: Buffer): void => {
      output += d.toString();
      if (output.includes('ACCEPT')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s_server exited ${code}: ${output}`));
    });
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return { port, stop: () => killChild(child) };
}

function closeServer(srv: Server, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise<void>((r) => srv.close(() => r()));
}

function track(srv: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  srv.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

/** Plain HTTP/1.1 server: Node's parser answers a ClientHello with "HTTP/1.1 400 Bad Request". */
export async function startHttpServer(): Promise<Peer> {
  const srv = createHttpServer((_req, res) => res.end('plain http\n'));
  const sockets = track(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { port: (srv.address() as AddressInfo).port, stop: () => closeServer(srv, sockets) };
}

/** A port nothing listens on (connections are refused). */
export async function closedPort(): Promise<number> {
  return freePort();
}

/**
 * Minimal SSLv3 responder — NOT a TLS implementation. OpenSSL 3 cannot serve SSLv3 any more, so
 * this answers any ClientHello offering one of RC4-SHA / DES-CBC3-SHA / AES128-SHA with an SSLv3
 * (0x0300) ServerHello + Certificate (`certDer`) + ServerHelloDone, and anything else with a fatal
 * handshake_failure alert. Enough to exercise protocol detection and cipher elimination.
 */
export const SSLV3_SUITES: readonly number[] = [0x000a, 0x0005, 0x002f];

export async function startSslv3Responder(certDer: Buffer): Promise<Peer> {
  const record = (type: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([type, 3, 0, body.length >> 8, body.length & 0xff]), body]);
  const hs = (type: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
  const u24 = (n: number): Buffer => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);
  const srv = createServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on('error', () => undefined);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 5 || buf.length < 5 + buf.readUInt16BE(3)) return;
      // record(5) type(1) len(3) version(2) random(32) sid
      let off = 5 + 4 + 2 + 32;
      off += 1 + (buf[off] ?? 0);
      const n = buf.readUInt16BE(off);
      const offered: number[] = [];
      for (let i = 0; i < n; i += 2) offered.push(buf.readUInt16BE(off + 2 + i));
      const suite = offered.find((c) => SSLV3_SUITES.includes(c));
      if (suite === undefined) {
        sock.end(record(21, Buffer.from([2, 40])));
        return;
      }
      const hello = Buffer.concat([Buffer.from([3, 0]), Buffer.alloc(32, 7), Buffer.from([0, suite >> 8, suite & 0xff, 0])]);
      const certs = Buffer.concat([u24(certDer.length), certDer]);
      const flight = Buffer.concat([hs(2, hello), hs(11, Buffer.concat([u24(certs.length), certs])), hs(14, Buffer.alloc(0))]);
      sock.write(record(22, flight));
    });
  });
  const sockets = track(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { port: (srv.address() as AddressInfo).port, stop: () => closeServer(srv, sockets) };
}

/** A node:tls server (e.g. on ::1, which the s_server helper does not cover). */
export async function startNodeTlsServer(options: import('node:tls').TlsOptions, host = '::1'): Promise<Peer> {
  const { createServer: createTlsServer } = await import('node:tls');
  const srv = createTlsServer(options, (s) => {
    s.on('error', () => undefined);
    s.end();
  });
  srv.on('tlsClientError', () => undefined);
  const sockets = track(srv);
  await new Promise<void>((r) => srv.listen(0, host, r));
  return { port: (srv.address() as AddressInfo).port, stop: () => closeServer(srv, sockets) };
}

/** Registers an `openssl s_server` for the enclosing describe block (started before, stopped after). */
export function withServer(args: () => string[]): { port: () => number } {
  let peer: Peer | undefined;
  beforeAll(async () => {
    peer = await startSServer(args());
  });
  afterAll(async () => peer?.stop());
  return { port: () => peer?.port ?? 0 };
}
