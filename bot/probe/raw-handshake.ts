// One raw TLS attempt on a plain TCP socket: connect (and run the STARTTLS preamble when the target
// has one), send a hand-built ClientHello, read the server's flight up to ServerHello (or
// ServerHelloDone), then hang up. Never throws for network outcomes; every socket is destroyed
// before the promise settles.
import type { Socket } from 'node:net';
import { FlightParser, type CertificateRequestInfo, type KeyExchangeInfo, type ServerHelloInfo } from './server-flight.js';
import type { TcpOutcome } from './net-outcome.js';
import type { StartTlsProtocol } from './starttls/index.js';
import { alertName } from './tls-constants.js';
import { openTransport, type StartTlsFailure } from './transport.js';

export type HandshakeOutcome = 'server-hello' | 'alert' | 'closed' | 'reset' | 'timeout' | 'not-tls';

export interface AlertInfo {
  level: 'warning' | 'fatal' | `level_${number}`;
  description: number;
  name: string;
}

export interface RawHandshakeResult {
  tcp: TcpOutcome;
  /** Meaningful only when tcp is 'connected'. */
  outcome: HandshakeOutcome;
  connectMs: number;
  ms: number;
  serverHello?: ServerHelloInfo;
  alert?: AlertInfo;
  /** DER certificates from the Certificate message (TLS <= 1.2 full mode only). */
  certificates?: Buffer[];
  certificateRequest?: CertificateRequestInfo;
  /** Finite-field DHE parameters from ServerKeyExchange (full mode, DHE suites). */
  keyExchange?: KeyExchangeInfo;
  /** The whole TLS <= 1.2 server flight was read (full mode). */
  serverHelloDone?: boolean;
  /** First bytes the peer sent when they were not TLS. */
  notTlsHead?: Buffer;
  errorCode?: string;
  /** The STARTTLS preamble failed: nothing TLS was sent. */
  starttls?: StartTlsFailure;
}

export interface RawHandshakeOptions {
  address: string;
  port: number;
  hello: Buffer;
  /** 'server-hello': stop at ServerHello (enumeration). 'server-hello-done': read the whole TLS <= 1.2 flight. */
  until: 'server-hello' | 'server-hello-done';
  timeoutMs: number;
  /** The target speaks this protocol first and upgrades to TLS (bot/probe/starttls). */
  starttls?: StartTlsProtocol;
}

function toAlert(level: number, description: number): AlertInfo {
  return {
    level: level === 1 ? 'warning' : level === 2 ? 'fatal' : `level_${level}`,
    description,
    name: alertName(description),
  };
}

export async function rawHandshake(o: RawHandshakeOptions): Promise<RawHandshakeResult> {
  const started = Date.now();
  if (o.timeoutMs <= 0) return { tcp: 'timeout', outcome: 'timeout', connectMs: 0, ms: 0 };
  const opened = await openTransport({ address: o.address, port: o.port, timeoutMs: o.timeoutMs, ...(o.starttls ? { starttls: o.starttls } : {}) });
  if (!opened.ok) {
    const failed: RawHandshakeResult = { tcp: opened.tcp, outcome: opened.tcp === 'timeout' ? 'timeout' : 'closed', connectMs: opened.connectMs, ms: Date.now() - started, errorCode: opened.errorCode };
    if (opened.starttls) failed.starttls = opened.starttls;
    return failed;
  }
  return exchange(opened.socket, opened.leftover, o, started, opened.connectMs);
}

/** Sends the hello on a connected socket and reads the answer until `o.until`, within the time left. */
function exchange(socket: Socket, leftover: Buffer, o: RawHandshakeOptions, started: number, connectMs: number): Promise<RawHandshakeResult> {
  return new Promise<RawHandshakeResult>((resolve) => {
    const result: RawHandshakeResult = { tcp: 'connected', outcome: 'timeout', connectMs, ms: 0 };
    let settled = false;
    const parser = new FlightParser();
    const finish = (outcome: HandshakeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      result.outcome = outcome;
      result.ms = Date.now() - started;
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish('timeout'), Math.max(1, o.timeoutMs - (Date.now() - started)));
    const onData = (chunk: Buffer): void => {
      for (const ev of parser.push(chunk)) {
        switch (ev.kind) {
          case 'not-tls':
            result.notTlsHead = Buffer.from(ev.head);
            return finish('not-tls');
          case 'malformed':
            result.errorCode = `malformed: ${ev.reason}`;
            return finish(result.serverHello ? 'server-hello' : 'not-tls');
          case 'alert':
            // A warning alert before ServerHello (e.g. unrecognized_name) is not a refusal.
            if (ev.level === 1 && !result.serverHello) {
              result.alert = toAlert(ev.level, ev.description);
              continue;
            }
            result.alert = toAlert(ev.level, ev.description);
            return finish(result.serverHello ? 'server-hello' : 'alert');
          case 'server-hello':
            result.serverHello = ev.hello;
            if (o.until === 'server-hello' || ev.hello.version === 'TLSv1.3' || ev.hello.helloRetryRequest) return finish('server-hello');
            break;
          case 'certificate':
            result.certificates = ev.certificates;
            break;
          case 'certificate-request':
            result.certificateRequest = ev.request;
            break;
          case 'server-key-exchange':
            result.keyExchange = ev.exchange;
            break;
          case 'server-hello-done':
            result.serverHelloDone = true;
            return finish('server-hello');
          case 'encrypted':
            return finish('server-hello');
        }
      }
    };
    socket.on('data', onData);
    socket.on('end', () => finish(result.serverHello ? 'server-hello' : 'closed'));
    socket.on('close', () => finish(result.serverHello ? 'server-hello' : 'closed'));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      result.errorCode = err.code ?? err.message;
      finish(result.serverHello ? 'server-hello' : err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 'reset' : 'closed');
    });
    socket.write(o.hello);
    if (leftover.length > 0) onData(leftover);
  });
}
