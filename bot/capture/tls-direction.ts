import type { CaptureSide } from '../../rules/index.js';
import { describeSuite } from '../probe/cipher-suites.js';
import { parseCertificateList, parseCertificateRequest, parseServerHello } from '../probe/server-flight.js';
import { alertName, CONTENT_TYPE, HANDSHAKE_TYPE } from '../probe/tls-constants.js';
import { authorityName, certificateName, parseClientHello, parseSslv2Hello } from './hello.js';
import type { ConnectionState } from './steps.js';
import type { StreamSink } from './stream.js';

// Decodes one direction of a connection: its first bytes decide what it speaks (TLS records, an
// SSLv2-format hello, plain HTTP, other text, an echo), then TLS records and the handshake
// messages in them are turned into steps until the traffic is encrypted. Only the handshake
// matters, so decoding stops after a few encrypted records and bytes are no longer kept.

const MAX_RECORD = 16384 + 2048;
/** Enough encrypted records to see a TLS 1.3 flight, tickets and an early alert. */
const ENCRYPTED_RECORDS_KEPT = 16;
/** Handshake messages past this (giant certificate chains) are skipped, not buffered. */
const MAX_HANDSHAKE_MESSAGE = 128 * 1024;
const HEAD_KEPT = 64;
const TEXT_BOUND = 100;
const HTTP_METHOD = /^(GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH|CONNECT|TRACE|PRI) \S/;

const HANDSHAKE_NAMES: Readonly<Record<number, string>> = {
  0: 'HelloRequest', 4: 'NewSessionTicket', 5: 'EndOfEarlyData', 8: 'EncryptedExtensions', 12: 'ServerKeyExchange', 14: 'ServerHelloDone',
  15: 'CertificateVerify', 16: 'ClientKeyExchange', 20: 'Finished', 22: 'CertificateStatus', 24: 'KeyUpdate',
};

export class TlsDirection implements StreamSink {
  private mode: 'sniff' | 'tls' | 'done' = 'sniff';
  // Bytes not decoded yet, kept as received until the next record is complete: gluing each
  // segment onto the last would copy a 16 KB record once per segment.
  private parts: Buffer[] = [];
  private have = 0;
  private need = 0;
  /** Bytes of an encrypted record still to come: counted, never kept. */
  private skip = 0;
  private hs: Buffer = Buffer.alloc(0);
  private skipHandshake = 0;
  private encrypted = false;
  private encryptedRecords = 0;
  private lastPacket = 0;

  constructor(private readonly side: CaptureSide, private readonly conn: ConnectionState) {}

  data(bytes: Buffer, packet: number): boolean {
    if (this.done()) return false;
    this.lastPacket = packet;
    let input = bytes;
    if (this.skip > 0) {
      const skipped = Math.min(this.skip, input.length);
      this.skip -= skipped;
      input = input.subarray(skipped);
      if (input.length === 0) return true;
    }
    if (this.side === 'client' && !this.conn.clientHead) this.conn.clientHead = Buffer.from(input.subarray(0, HEAD_KEPT));
    // A copy: the bytes are a view into the capture chunk being read.
    this.parts.push(Buffer.from(input));
    this.have += input.length;
    if (this.have < this.need) return true;
    const buf = this.pending();
    if (this.mode === 'sniff' && !this.sniff(buf, packet, false)) {
      this.keep(buf);
      return true;
    }
    const at = this.mode === 'tls' ? this.records(buf, packet) : buf.length;
    if (!this.done()) this.keep(buf.subarray(at));
    return !this.done();
  }

  private pending(): Buffer {
    const buf = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
    this.parts = [];
    this.have = 0;
    return buf;
  }

  private keep(rest: Buffer): void {
    if (rest.length === 0) return;
    this.parts = [rest];
    this.have = rest.length;
  }

  /** A method, not a field test: TypeScript would otherwise keep a narrowing the calls above invalidate. */
  private done(): boolean {
    return this.mode === 'done';
  }

  gap(packet: number): void {
    if (this.mode !== 'done') this.conn.log.add({ kind: 'gap', from: this.side, packet });
    this.mode = 'done';
  }

  /** End of the connection: bytes left undecided or a record left unfinished become a step. */
  finish(): void {
    if (this.mode === 'sniff' && this.have > 0) this.sniff(this.pending(), this.lastPacket, true);
    else if (this.mode === 'tls' && this.have + this.hs.length > 0) this.conn.log.add({ kind: 'partial', from: this.side, packet: this.lastPacket, bytes: this.have + this.hs.length });
    this.mode = 'done';
  }

  /** Decides what the direction speaks; false when more bytes are needed to tell. */
  private sniff(b: Buffer, packet: number, final: boolean): boolean {
    const [b0 = 0, b1 = 0, b2 = 0] = b;
    const head = this.conn.clientHead;
    // An echo server sends the ClientHello back: TLS-looking bytes that are no answer at all.
    const echo = this.side === 'server' && head !== undefined && b.length >= 4 && head.subarray(0, Math.min(head.length, b.length)).equals(b.subarray(0, Math.min(head.length, b.length)));
    if (echo) {
      this.conn.log.add({ kind: 'plaintext', from: this.side, packet, text: '', echo: true, mentionsTls: false });
      this.mode = 'done';
      return true;
    }
    if (b0 >= CONTENT_TYPE.changeCipherSpec && b0 <= 24 && (b.length < 3 || (b1 === 3 && b2 <= 4))) {
      if (b.length < 5 && !final) return false;
      if (b.length >= 3) {
        this.mode = 'tls';
        return true;
      }
    }
    if (this.side === 'client' && b0 & 0x80 && (b.length < 3 || b2 === 1)) {
      const length = ((b0 & 0x7f) << 8) | b1;
      if (b.length < 2 + length && !final) return false;
      if (b.length >= 2 + length) return this.sslv2(b.subarray(0, 2 + length), packet);
    }
    const text = firstLine(b);
    if (this.side === 'client' && HTTP_METHOD.test(text)) this.conn.log.add({ kind: 'http-request', from: this.side, packet, text });
    else this.conn.log.add({ kind: 'plaintext', from: this.side, packet, text, echo: false, mentionsTls: /https|ssl|tls/i.test(b.subarray(0, 1024).toString('latin1')) });
    this.mode = 'done';
    return true;
  }

  private sslv2(record: Buffer, packet: number): boolean {
    try {
      this.conn.log.add({ ...parseSslv2Hello(record), from: this.side, packet });
    } catch {
      this.conn.log.add({ kind: 'plaintext', from: this.side, packet, text: firstLine(record), echo: false, mentionsTls: false });
    }
    this.mode = 'done';
    return true;
  }

  private records(b: Buffer, packet: number): number {
    let at = 0;
    this.need = 5;
    while (this.mode === 'tls' && b.length - at >= 5) {
      const type = b[at] as number;
      const length = b.readUInt16BE(at + 3);
      if (type < CONTENT_TYPE.changeCipherSpec || type > 24 || b[at + 1] !== 3 || length > MAX_RECORD) {
        this.conn.log.add({ kind: 'plaintext', from: this.side, packet, text: `not a TLS record: ${firstLine(b.subarray(at))}`, echo: false, mentionsTls: false });
        this.mode = 'done';
        break;
      }
      const opaque = this.isEncrypted(type, length);
      if (b.length - at < 5 + length) {
        if (!opaque) {
          this.need = 5 + length;
          break;
        }
        // An encrypted record's bytes say nothing: it is counted now and the rest skipped as it comes.
        this.skip = 5 + length - (b.length - at);
        this.encryptedRecord(type, length, packet);
        return b.length;
      }
      if (opaque) this.encryptedRecord(type, length, packet);
      else this.record(type, b.subarray(at + 5, at + 5 + length), packet);
      at += 5 + length;
    }
    return at;
  }

  /**
   * A two-byte alert is in clear whatever the state: an encrypted one carries a MAC or tag. OpenSSL
   * sends a TLS 1.3 client's alert about the server's certificate in clear, before its own keys are in use.
   */
  private isEncrypted(type: number, length: number): boolean {
    if (type === CONTENT_TYPE.changeCipherSpec || type === 24 || (type === CONTENT_TYPE.alert && length === 2)) return false;
    return type === CONTENT_TYPE.applicationData || this.encrypted || this.conn.tls13;
  }

  private encryptedRecord(type: number, length: number, packet: number): void {
    this.conn.log.encrypted(this.side, packet, length, type === CONTENT_TYPE.alert);
    if (++this.encryptedRecords >= ENCRYPTED_RECORDS_KEPT) this.mode = 'done';
  }

  private record(type: number, body: Buffer, packet: number): void {
    const log = this.conn.log;
    if (type === CONTENT_TYPE.changeCipherSpec) {
      log.add({ kind: 'change-cipher-spec', from: this.side, packet });
      // Only once a ServerHello chose TLS <= 1.2 does ChangeCipherSpec start encryption: in TLS 1.3 it is a
      // compatibility gesture, sent even around a HelloRetryRequest, before any version is agreed.
      if (this.conn.negotiated !== 0 && !this.conn.tls13) this.encrypted = true;
    } else if (type === CONTENT_TYPE.alert) {
      const [level = 0, description = 0] = body;
      log.add({ kind: 'alert', from: this.side, packet, level: level === 1 ? 'warning' : level === 2 ? 'fatal' : 'unknown', description: alertName(description), code: description });
    } else if (type === CONTENT_TYPE.handshake) {
      this.handshake(body, packet);
    }
  }

  /** Handshake messages may span records and records may hold several. */
  private handshake(body: Buffer, packet: number): void {
    let data = body;
    if (this.skipHandshake > 0) {
      const skipped = Math.min(this.skipHandshake, data.length);
      this.skipHandshake -= skipped;
      data = data.subarray(skipped);
    }
    this.hs = this.hs.length > 0 ? Buffer.concat([this.hs, data]) : Buffer.from(data);
    while (this.hs.length >= 4) {
      const type = this.hs[0] as number;
      const length = this.hs.readUIntBE(1, 3);
      if (length > MAX_HANDSHAKE_MESSAGE) {
        this.conn.log.add({ kind: 'handshake', from: this.side, packet, name: `${HANDSHAKE_NAMES[type] ?? `handshake type ${type}`} (${length} bytes, not decoded)` });
        this.skipHandshake = length - (this.hs.length - 4);
        this.hs = Buffer.alloc(0);
        if (this.skipHandshake < 0) this.skipHandshake = 0;
        return;
      }
      if (this.hs.length < 4 + length) return;
      const message = this.hs.subarray(4, 4 + length);
      this.hs = this.hs.subarray(4 + length);
      this.message(type, message, packet);
    }
  }

  private message(type: number, msg: Buffer, packet: number): void {
    const log = this.conn.log;
    const from = this.side;
    try {
      if (type === HANDSHAKE_TYPE.clientHello) log.add({ ...parseClientHello(msg), from, packet });
      else if (type === HANDSHAKE_TYPE.serverHello) {
        const hello = parseServerHello(msg);
        if (!hello.helloRetryRequest) {
          this.conn.negotiated = hello.version === 'TLSv1.3' ? 0x0304 : hello.legacyVersion;
          this.conn.tls13 = hello.version === 'TLSv1.3';
        }
        log.add({ kind: 'server-hello', from, packet, version: hello.version, suite: describeSuite(hello.cipherSuite).iana, helloRetry: hello.helloRetryRequest });
      } else if (type === HANDSHAKE_TYPE.certificate) {
        const ders = parseCertificateList(msg);
        log.add({ kind: 'certificate', from, packet, count: ders.length, chain: ders.slice(0, 4).map(certificateName) });
      } else if (type === HANDSHAKE_TYPE.certificateRequest) {
        const request = parseCertificateRequest(msg, this.conn.negotiated);
        log.add({ kind: 'certificate-request', from, packet, authorities: request.authorities.slice(0, 20).map(authorityName) });
      } else log.add({ kind: 'handshake', from, packet, name: HANDSHAKE_NAMES[type] ?? `handshake type ${type}` });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      log.add({ kind: 'handshake', from, packet, name: `malformed ${HANDSHAKE_NAMES[type] ?? `handshake message type ${type}`}` });
    }
  }
}

/** The first line of what was sent, printable, bounded; hex when it is not text. */
function firstLine(b: Buffer): string {
  const head = b.subarray(0, 256);
  let printable = 0;
  for (const byte of head) if ((byte >= 0x20 && byte < 0x7f) || byte === 0x0a || byte === 0x0d || byte === 0x09) printable += 1;
  if (head.length === 0 || printable / head.length < 0.9) return `bytes ${head.subarray(0, 16).toString('hex').replace(/(..)(?!$)/g, '$1 ')}`;
  const line = head.toString('latin1').split(/\r?\n/)[0] ?? '';
  return line.length > TEXT_BOUND ? `${line.slice(0, TEXT_BOUND)}...` : line;
}
