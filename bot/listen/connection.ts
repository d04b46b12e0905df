// One client connection to the listener: the ClientHello is read from the raw bytes first (what
// the client offers, whatever the TLS stack then thinks of it), then the same bytes are handed to
// node:tls as the server side of a handshake, which says how the handshake ended and which client
// certificate came. Bytes that are no TLS (a plain HTTP request, a banner) are named, not fed on.
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { TLSSocket, type SecureContext } from 'node:tls';
import { describeCertificate } from '../probe/cert-describe.js';
import { readClientHello, type ParsedClientHello } from '../probe/hello-parse.js';
import { classifyError, type ListenOutcome } from './outcome.js';

export interface ClientCertificateSeen {
  subject: string;
  issuer: string;
  notAfter: string;
  expired: boolean;
  notYetValid: boolean;
}

export interface ListenConnection {
  /** "ip:port" of the client (IPv6 bracketed). */
  remote: string;
  remoteAddress: string;
  at: string;
  hello: ParsedClientHello | null;
  outcome: ListenOutcome;
  /** The alert, error code, HTTP request line or banner behind the outcome. */
  detail?: string;
  negotiated?: { protocol: string; cipher: string };
  alpnSelected?: string;
  clientCertificate: ClientCertificateSeen | null;
  durationMs: number;
}

export interface ConnectionOptions {
  secureContext: SecureContext;
  requestCert: boolean;
  /** The whole conversation, hello to verdict, gets at most this long. */
  timeoutMs: number;
  now?: () => Date;
}

/** After the handshake, how long to wait for the client's first words (it may still send an alert). */
const SETTLE_MS = 150;

function remoteOf(socket: Socket): { remote: string; remoteAddress: string } {
  const address = (socket.remoteAddress ?? 'unknown').replace(/^::ffff:(?=\d+\.)/, '');
  const port = socket.remotePort ?? 0;
  return { remoteAddress: address, remote: address.includes(':') ? `[${address}]:${port}` : `${address}:${port}` };
}

function printable(head: Buffer): string {
  return head.toString('latin1').replace(/[^\x20-\x7e]+/g, ' ').trim().slice(0, 120);
}

function certificateSeen(der: Buffer | undefined, now: Date): ClientCertificateSeen | null {
  if (!der || der.length === 0) return null;
  try {
    const entry = describeCertificate(der);
    return {
      subject: entry.subject,
      issuer: entry.issuer,
      notAfter: entry.notAfter,
      expired: new Date(entry.notAfter) < now,
      notYetValid: new Date(entry.notBefore) > now,
    };
  } catch {
    return { subject: '(unreadable certificate)', issuer: '(unreadable certificate)', notAfter: '', expired: false, notYetValid: false };
  }
}

/** Feeds node:tls the bytes already read, then the rest of the socket, as one stream. */
function replayingStream(socket: Socket, already: Buffer): Duplex {
  const stream = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, done) {
      if (socket.destroyed) return done();
      socket.write(chunk, () => done());
    },
    final(done) {
      socket.end();
      done();
    },
    destroy(error, done) {
      socket.destroy();
      done(error);
    },
  });
  stream.push(already);
  socket.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.on('end', () => stream.push(null));
  return stream;
}

export function handleConnection(socket: Socket, o: ConnectionOptions): Promise<ListenConnection> {
  const started = Date.now();
  const now = o.now ?? ((): Date => new Date());
  const record: ListenConnection = { ...remoteOf(socket), at: now().toISOString(), hello: null, outcome: 'timeout', clientCertificate: null, durationMs: 0 };
  return new Promise<ListenConnection>((resolve) => {
    let settled = false;
    let tls: TLSSocket | undefined;
    let received = Buffer.alloc(0);
    const finish = (outcome?: ListenOutcome, detail?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (outcome) record.outcome = outcome;
      if (detail !== undefined) record.detail = detail;
      record.durationMs = Date.now() - started;
      tls?.destroy();
      socket.destroy();
      resolve(record);
    };
    const timer = setTimeout(() => finish(record.hello ? 'timeout' : received.length === 0 ? 'tcp-only' : 'timeout'), Math.max(1, o.timeoutMs));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!tls) finish(record.hello ? 'client-closed' : received.length === 0 ? 'tcp-only' : 'client-closed', error.code);
    });
    socket.on('close', () => {
      if (!tls) finish(received.length === 0 ? 'tcp-only' : 'client-closed');
    });
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const reading = readClientHello(received);
      if (reading.state === 'need-more') return;
      socket.off('data', onData);
      socket.pause();
      if (reading.state === 'not-tls') {
        const text = printable(reading.head);
        const request = /^(GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH|CONNECT|TRACE) \S+ HTTP\/\d/.exec(text);
        // A TLS terminator answers plain HTTP the way nginx does, so a person trying it with curl sees why.
        if (request) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 45\r\n\r\nThis port expects TLS (tls-triage listener)\r\n');
        return finish(request ? 'plain-http' : 'not-tls', request ? text.split(/ HTTP\/\d(?:\.\d)?/)[0] : text);
      }
      if (reading.state === 'malformed') return finish('malformed', reading.reason);
      record.hello = reading.hello;
      startTls(received, reading.hello);
    };
    const startTls = (bytes: Buffer, hello: ParsedClientHello): void => {
      tls = new TLSSocket(replayingStream(socket, bytes), {
        isServer: true,
        secureContext: o.secureContext,
        requestCert: o.requestCert,
        rejectUnauthorized: false,
        // Agree on what the client asks for first, so ALPN-strict clients (gRPC, HTTP/2-only) go on.
        ...(hello.alpn.length > 0 ? { ALPNProtocols: hello.alpn } : {}),
      });
      const t = tls;
      t.on('secure', () => {
        const cipher = t.getCipher();
        record.negotiated = { protocol: t.getProtocol() ?? 'unknown', cipher: cipher?.standardName ?? cipher?.name ?? 'unknown' };
        if (typeof t.alpnProtocol === 'string') record.alpnSelected = t.alpnProtocol;
        if (o.requestCert) record.clientCertificate = certificateSeen(t.getPeerCertificate(true)?.raw, now());
        record.outcome = 'handshake-completed';
        // The client may still abort right after (an alert instead of its request): give it a moment.
        setTimeout(() => finish(), SETTLE_MS);
      });
      t.on('data', () => finish());
      t.on('error', (error: NodeJS.ErrnoException) => {
        if (record.outcome === 'handshake-completed') return finish();
        const classified = classifyError(error);
        finish(classified.outcome, classified.detail);
      });
      t.on('close', () => finish(record.outcome === 'handshake-completed' ? undefined : 'client-closed'));
    };
    socket.on('data', onData);
  });
}
