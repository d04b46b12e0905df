// A full handshake through node:tls, used for the certificate chain and OpenSSL's verdict on it.
// Hostname checking is deliberately disabled here (checkServerIdentity returns undefined) so that
// `authorizationError` is about the chain only; the hostname is checked separately.
import { connect, type DetailedPeerCertificate, type SecureContext, type TLSSocket } from 'node:tls';
import type { StartTlsProtocol } from './starttls/index.js';
import { openTransport } from './transport.js';

export type NodeHandshakeOutcome = 'handshake' | 'tls-error' | 'closed' | 'reset' | 'timeout' | 'tcp-error';

export interface NodeHandshakeResult {
  outcome: NodeHandshakeOutcome;
  ms: number;
  protocol?: string;
  cipher?: string;
  /** DER certificates as Node reports them, leaf first. */
  chain: Buffer[];
  authorized?: boolean;
  authorizationError?: string;
  /** TLS 1.3: alert received right after the handshake (e.g. certificate_required). */
  postHandshakeError?: string;
  /** TLS 1.3: a NewSessionTicket arrived, i.e. the server accepted us without a client certificate. */
  sessionTicket?: boolean;
  errorCode?: string;
  errorMessage?: string;
}

export interface NodeHandshakeOptions {
  address: string;
  port: number;
  servername?: string;
  secureContext: SecureContext;
  timeoutMs: number;
  /** TLS 1.3: how long to wait after the handshake for a ticket or a certificate_required alert. */
  postHandshakeWaitMs: number;
  starttls?: StartTlsProtocol;
}

function chainOf(socket: TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cert && cert.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    out.push(Buffer.from(cert.raw));
    cert = cert.issuerCertificate;
  }
  return out;
}

export async function nodeHandshake(o: NodeHandshakeOptions): Promise<NodeHandshakeResult> {
  const started = Date.now();
  // A STARTTLS target: the preamble on a plain socket first, then node:tls on that socket.
  let preamble: Awaited<ReturnType<typeof openTransport>> | undefined;
  if (o.starttls) {
    preamble = await openTransport({ address: o.address, port: o.port, timeoutMs: o.timeoutMs, starttls: o.starttls });
    if (!preamble.ok) {
      return { outcome: preamble.tcp === 'connected' ? 'closed' : 'tcp-error', ms: Date.now() - started, chain: [], errorCode: preamble.errorCode, ...(preamble.starttls ? { errorMessage: preamble.starttls.message } : {}) };
    }
  }
  const plain = preamble?.ok ? preamble.socket : undefined;
  return new Promise<NodeHandshakeResult>((resolve) => {
    const result: NodeHandshakeResult = { outcome: 'timeout', ms: 0, chain: [] };
    let settled = false;
    let secure = false;
    let tcpUp = plain !== undefined;
    const finish = (outcome?: NodeHandshakeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (outcome) result.outcome = outcome;
      result.ms = Date.now() - started;
      socket.destroy();
      plain?.destroy();
      resolve(result);
    };
    let timer = setTimeout(() => finish(secure ? 'handshake' : 'timeout'), Math.max(1, o.timeoutMs - (Date.now() - started)));
    const socket = connect({
      ...(plain ? { socket: plain } : { host: o.address, port: o.port }),
      ...(o.servername ? { servername: o.servername } : {}),
      secureContext: o.secureContext,
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    socket.on('connect', () => {
      tcpUp = true;
    });
    socket.on('session', () => {
      result.sessionTicket = true;
      if (secure) finish('handshake');
    });
    socket.on('secureConnect', () => {
      secure = true;
      result.protocol = socket.getProtocol() ?? undefined;
      result.cipher = socket.getCipher()?.standardName;
      result.chain = chainOf(socket);
      result.authorized = socket.authorized;
      const err = socket.authorizationError as unknown;
      if (err) result.authorizationError = typeof err === 'string' ? err : String((err as Error).message ?? err);
      if (result.protocol !== 'TLSv1.3' || result.sessionTicket) return finish('handshake');
      // TLS 1.3: the server's verdict on our (absent) client certificate comes after its Finished.
      clearTimeout(timer);
      timer = setTimeout(() => finish('handshake'), Math.max(1, Math.min(o.postHandshakeWaitMs, o.timeoutMs - (Date.now() - started))));
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (secure) {
        result.postHandshakeError = err.code ?? err.message;
        return finish('handshake');
      }
      result.errorCode = err.code;
      result.errorMessage = err.message;
      if (!tcpUp) return finish('tcp-error');
      finish(err.code === 'ECONNRESET' ? 'reset' : err.code?.startsWith('ERR_SSL') ? 'tls-error' : 'closed');
    });
    socket.on('close', () => finish(secure ? 'handshake' : 'closed'));
  });
}
