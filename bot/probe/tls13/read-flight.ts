// Runs a Tls13Conversation over one TCP connection: connect, send the ClientHello (and the second
// one after a HelloRetryRequest), read until the server's Certificate is decrypted, hang up. Network
// outcomes are data; the socket is destroyed before the promise settles.
import type { HandshakeOutcome } from '../raw-handshake.js';
import type { StartTlsProtocol } from '../starttls/index.js';
import { openTransport } from '../transport.js';
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
  starttls?: StartTlsProtocol;
}

export async function readTls13Flight(o: Tls13ReadOptions): Promise<Tls13ReadResult> {
  const started = Date.now();
  const conversation = new Tls13Conversation(o);
  if (o.timeoutMs <= 0) return { ...conversation.result, outcome: 'timeout', ms: 0 };
  const opened = await openTransport({ address: o.address, port: o.port, timeoutMs: o.timeoutMs, ...(o.starttls ? { starttls: o.starttls } : {}) });
  if (!opened.ok) {
    const outcome = opened.tcp === 'connected' ? 'closed' : opened.tcp === 'timeout' ? 'timeout' : 'tcp-failed';
    return { ...conversation.result, outcome, ms: Date.now() - started, errorCode: opened.errorCode };
  }
  const socket = opened.socket;
  return new Promise<Tls13ReadResult>((resolve) => {
    let settled = false;
    const finish = (outcome?: Tls13ReadResult['outcome'], errorCode?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const flight = conversation.result;
      resolve({ ...flight, outcome: conversation.done ? flight.outcome : (outcome ?? 'closed'), ms: Date.now() - started, ...(errorCode ? { errorCode } : {}) });
    };
    const timer = setTimeout(() => finish('timeout'), Math.max(1, o.timeoutMs - (Date.now() - started)));
    const onData = (chunk: Buffer): void => {
      const reply = conversation.push(chunk);
      if (reply) socket.write(reply);
      if (conversation.done) finish();
    };
    socket.on('data', onData);
    socket.on('close', () => finish('closed'));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? err.message;
      finish(code === 'ECONNRESET' || code === 'EPIPE' ? 'reset' : 'closed', code);
    });
    socket.write(conversation.start());
    if (opened.leftover.length > 0) onData(opened.leftover);
  });
}
