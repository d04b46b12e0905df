// Runs a Tls13Conversation over one TCP connection: connect, send the ClientHello (and the second
// one after a HelloRetryRequest), read until the server's Certificate is decrypted, hang up. Network
// outcomes are data; the socket is destroyed before the promise settles.
import { connect, type Socket } from 'node:net';
import type { HandshakeOutcome } from '../raw-handshake.js';
import { Tls13Conversation, type Tls13Flight, type Tls13Profile } from './conversation.js';

export interface Tls13ReadResult extends Omit<Tls13Flight, 'outcome'> {
  /** The conversation's outcome, or what the connection did before it ended. */
  outcome: Tls13Flight['outcome'] | Exclude<HandshakeOutcome, 'server-hello' | 'alert'> | 'tcp-failed';
  ms: number;
  errorCode?: string;
}

export interface Tls13ReadOptions extends Tls13Profile {
  address: string;
  port: number;
  timeoutMs: number;
}

export function readTls13Flight(o: Tls13ReadOptions): Promise<Tls13ReadResult> {
  const started = Date.now();
  const conversation = new Tls13Conversation(o);
  return new Promise<Tls13ReadResult>((resolve) => {
    let settled = false;
    let socket: Socket | undefined;
    const finish = (outcome?: Tls13ReadResult['outcome'], errorCode?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket?.destroy();
      const flight = conversation.result;
      resolve({ ...flight, outcome: conversation.done ? flight.outcome : (outcome ?? 'closed'), ms: Date.now() - started, ...(errorCode ? { errorCode } : {}) });
    };
    const timer = setTimeout(() => finish('timeout'), Math.max(1, o.timeoutMs));
    if (o.timeoutMs <= 0) return;
    socket = connect({ host: o.address, port: o.port, noDelay: true });
    socket.on('connect', () => socket?.write(conversation.start()));
    socket.on('data', (chunk: Buffer) => {
      const reply = conversation.push(chunk);
      if (reply) socket?.write(reply);
      if (conversation.done) finish();
    });
    socket.on('close', () => finish('closed'));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? err.message;
      finish(socket?.remoteAddress === undefined && !socket?.bytesRead ? 'tcp-failed' : code === 'ECONNRESET' || code === 'EPIPE' ? 'reset' : 'closed', code);
    });
  });
}
