// A TCP connection ready for TLS bytes: a plain connect, or a connect and the STARTTLS preamble of
// the target's protocol. Every probe connection opens here, so a STARTTLS target gets its preamble
// on each of them and goes through the same checks as an HTTPS one. Never throws for network
// outcomes; a failed attempt leaves no socket behind.
import { connect, type Socket } from 'node:net';
import { connectErrorOutcome, type TcpOutcome } from './net-outcome.js';
import { negotiateStartTls, StartTlsError, type StartTlsProtocol } from './starttls/index.js';

export interface TransportOptions {
  address: string;
  port: number;
  timeoutMs: number;
  starttls?: StartTlsProtocol;
}

export interface StartTlsFailure {
  reason: StartTlsError['reason'];
  message: string;
  banner?: string;
}

export type Transport =
  | { ok: true; socket: Socket; connectMs: number; leftover: Buffer }
  | { ok: false; tcp: TcpOutcome; connectMs: number; errorCode: string; starttls?: StartTlsFailure };

export function openTransport(o: TransportOptions): Promise<Transport> {
  const started = Date.now();
  const deadline = started + Math.max(1, o.timeoutMs);
  return new Promise<Transport>((resolve) => {
    let settled = false;
    const socket = connect({ host: o.address, port: o.port, noDelay: true });
    const fail = (result: Extract<Transport, { ok: false }>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => fail({ ok: false, tcp: 'timeout', connectMs: Date.now() - started, errorCode: 'ETIMEDOUT' }), Math.max(1, o.timeoutMs));
    const onConnectError = (error: NodeJS.ErrnoException): void => fail({ ok: false, tcp: connectErrorOutcome(error), connectMs: Date.now() - started, errorCode: error.code ?? error.message });
    socket.once('error', onConnectError);
    socket.once('connect', () => {
      const connectMs = Date.now() - started;
      socket.off('error', onConnectError);
      // The preamble's own listeners report errors from here on; this keeps a late one from throwing.
      socket.on('error', () => undefined);
      if (!o.starttls) {
        settled = true;
        clearTimeout(timer);
        return resolve({ ok: true, socket, connectMs, leftover: Buffer.alloc(0) });
      }
      negotiateStartTls(socket, o.starttls, deadline).then(
        ({ leftover }) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ ok: true, socket, connectMs, leftover });
        },
        (error: unknown) => {
          const e = error instanceof StartTlsError ? error : new StartTlsError('unexpected', (error as Error).message);
          fail({ ok: false, tcp: 'connected', connectMs, errorCode: `starttls-${e.reason}`, starttls: { reason: e.reason, message: e.message, ...(e.banner ? { banner: e.banner } : {}) } });
        },
      );
    });
  });
}
