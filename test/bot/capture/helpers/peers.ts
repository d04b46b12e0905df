import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, Socket, type Server } from 'node:net';

// Real peers on 127.0.0.1 for the capture scenarios: openssl s_server / s_client as the TLS sides,
// and small Node servers for what OpenSSL cannot play (a plain echo port, a port that resets).

export interface Peer {
  stop(): Promise<void>;
}

/** Starts `openssl s_server` and resolves once it prints ACCEPT (it listens then). */
export function opensslServer(port: number, args: readonly string[], cwd: string): Promise<Peer> {
  // Standard input stays open: s_server ends its connection when it reads end-of-file there.
  const child = spawn('openssl', ['s_server', '-accept', String(port), ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`openssl s_server did not start: ${output}`)), 10_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('ACCEPT')) {
        clearTimeout(timer);
        resolve({ stop: () => stop(child) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`openssl s_server exited (${code}) before listening: ${output}`));
    });
  });
}

/** Runs `openssl s_client` with standard input closed at once, and resolves when it exits. */
export function opensslClient(port: number, args: readonly string[], cwd: string): Promise<{ code: number | null; output: string }> {
  const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end();
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** A plain TCP server on 127.0.0.1: `echo` sends every byte back, `reset` answers the first bytes with a RST. */
export function nodeServer(port: number, mode: 'echo' | 'reset'): Promise<Peer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (data) => (mode === 'echo' ? socket.write(data) : socket.resetAndDestroy()));
    socket.on('end', () => socket.end());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({
        stop: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

/** Writes `request` on a raw socket, then waits until the server closes or resets (or 3 s pass). */
export function rawRequest(port: number, request: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, 3_000);
    socket.on('error', done);
    socket.on('close', done);
    socket.on('data', () => undefined);
    socket.connect(port, '127.0.0.1', () => socket.write(request));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
