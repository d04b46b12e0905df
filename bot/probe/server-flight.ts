// Incremental parser for what a server sends back to a hand-built ClientHello: TLS record framing,
// handshake message reassembly (messages may span records), ServerHello / Certificate /
// CertificateRequest / ServerHelloDone, and alerts. Nothing past TLS framing is hand-parsed:
// certificates and DNs stay DER for @peculiar/x509 / node:crypto.
import { protocolOfWire, WIRE_VERSION, type ProtocolName } from './protocol-names.js';
import { CONTENT_TYPE, EXT, HANDSHAKE_TYPE, HRR_RANDOM } from './tls-constants.js';
import { describeSuite } from './cipher-suites.js';

export interface ServerHelloInfo {
  /** Negotiated version: supported_versions when present (TLS 1.3), else the legacy field. */
  version: ProtocolName | `0x${string}`;
  legacyVersion: number;
  cipherSuite: number;
  helloRetryRequest: boolean;
  /** Group chosen in key_share (TLS 1.3 ServerHello / HRR), when present. */
  keyShareGroup?: number;
  /** The server's key_share public value (TLS 1.3 ServerHello; a HelloRetryRequest has none). */
  keyShareKey?: Buffer;
  /** HelloRetryRequest cookie, to echo in the second ClientHello. */
  cookie?: Buffer;
}

/**
 * A TLS <= 1.2 ServerKeyExchange: finite-field DHE (the prime's size) or ECDHE (the named curve),
 * and in TLS 1.2 the signature scheme the server signed it with.
 */
export type KeyExchangeInfo =
  | { kind: 'dhe'; /** Size of the prime p in bits. */ bits: number; signatureScheme?: number }
  | { kind: 'ecdhe'; group: number; signatureScheme?: number };

export interface CertificateRequestInfo {
  certificateTypes: number[];
  /** DER-encoded DistinguishedNames from certificate_authorities. */
  authorities: Buffer[];
}

export type FlightEvent =
  | { kind: 'server-hello'; hello: ServerHelloInfo }
  | { kind: 'certificate'; certificates: Buffer[] }
  | { kind: 'certificate-request'; request: CertificateRequestInfo }
  | { kind: 'server-key-exchange'; exchange: KeyExchangeInfo }
  | { kind: 'server-hello-done' }
  | { kind: 'alert'; level: number; description: number }
  /** Encrypted records began (TLS 1.3 after ServerHello): nothing more is readable. */
  | { kind: 'encrypted' }
  | { kind: 'not-tls'; head: Buffer }
  | { kind: 'malformed'; reason: string };

const MAX_RECORD = 16384 + 2048;

export class FlightParser {
  private buf: Buffer = Buffer.alloc(0);
  private hs: Buffer = Buffer.alloc(0);
  private version = 0;
  private suite = 0;
  private sawAnyRecord = false;
  private done = false;

  /** Feeds bytes; returns the events completed by them. After not-tls/malformed the parser stops. */
  push(chunk: Buffer): FlightEvent[] {
    if (this.done) return [];
    this.buf = Buffer.concat([this.buf, chunk]);
    const events: FlightEvent[] = [];
    while (this.buf.length >= 5 && !this.done) {
      const type = this.buf[0] ?? 0;
      const major = this.buf[1] ?? 0;
      const len = this.buf.readUInt16BE(3);
      const plausible = type >= 20 && type <= 23 && major === 3 && len <= MAX_RECORD;
      if (!plausible) {
        this.done = true;
        events.push(this.sawAnyRecord ? { kind: 'malformed', reason: 'bad record header' } : { kind: 'not-tls', head: this.buf.subarray(0, 512) });
        break;
      }
      if (this.buf.length < 5 + len) break;
      const body = this.buf.subarray(5, 5 + len);
      this.buf = this.buf.subarray(5 + len);
      this.sawAnyRecord = true;
      if (type === CONTENT_TYPE.alert) {
        // Alerts after ServerHello in TLS 1.3 are encrypted (type 23), so a plaintext alert is readable.
        if (body.length >= 2) events.push({ kind: 'alert', level: body[0] ?? 0, description: body[1] ?? 0 });
        else events.push({ kind: 'malformed', reason: 'short alert' });
      } else if (type === CONTENT_TYPE.handshake) {
        this.hs = Buffer.concat([this.hs, body]);
        events.push(...this.drainHandshake());
      } else if (type === CONTENT_TYPE.applicationData || type === CONTENT_TYPE.changeCipherSpec) {
        if (this.version === WIRE_VERSION['TLSv1.3']) events.push({ kind: 'encrypted' });
      }
    }
    // Less than a record header but clearly not TLS (e.g. "HTTP/1.1 400"): decide early.
    if (!this.done && !this.sawAnyRecord && this.buf.length > 0 && !((this.buf[0] ?? 0) >= 20 && (this.buf[0] ?? 0) <= 23)) {
      this.done = true;
      events.push({ kind: 'not-tls', head: this.buf.subarray(0, 512) });
    }
    return events;
  }

  private drainHandshake(): FlightEvent[] {
    const events: FlightEvent[] = [];
    while (this.hs.length >= 4) {
      const type = this.hs[0] ?? 0;
      const len = ((this.hs[1] ?? 0) << 16) | ((this.hs[2] ?? 0) << 8) | (this.hs[3] ?? 0);
      if (this.hs.length < 4 + len) break;
      const msg = this.hs.subarray(4, 4 + len);
      this.hs = this.hs.subarray(4 + len);
      try {
        const ev = this.message(type, msg);
        if (ev) events.push(ev);
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        events.push({ kind: 'malformed', reason: `truncated handshake message ${type}` });
      }
    }
    return events;
  }

  private message(type: number, msg: Buffer): FlightEvent | null {
    switch (type) {
      case HANDSHAKE_TYPE.serverHello: {
        const hello = parseServerHello(msg);
        this.version = hello.version === 'TLSv1.3' ? WIRE_VERSION['TLSv1.3'] : hello.legacyVersion;
        this.suite = hello.cipherSuite;
        return { kind: 'server-hello', hello };
      }
      case HANDSHAKE_TYPE.certificate:
        return { kind: 'certificate', certificates: parseCertificateList(msg) };
      case HANDSHAKE_TYPE.certificateRequest:
        return { kind: 'certificate-request', request: parseCertificateRequest(msg, this.version) };
      case HANDSHAKE_TYPE.serverHelloDone:
        return { kind: 'server-hello-done' };
      case HANDSHAKE_TYPE.serverKeyExchange:
        return readKeyExchange(msg, this.suite, this.version);
      default:
        return null;
    }
  }
}

/** DHE_RSA, DHE_DSS, DHE_PSK and DH_anon suites (their names say so; ECDHE has its own prefix). */
function isFiniteFieldDhe(suite: number): boolean {
  return /^TLS_(DHE|DH_anon)_/.test(describeSuite(suite).iana);
}

/** The parameters of a ServerKeyExchange (RFC 5246 §7.4.3, RFC 8422 §5.4), then TLS 1.2's signature scheme. */
function readKeyExchange(msg: Buffer, suite: number, version: number): FlightEvent | null {
  const iana = describeSuite(suite).iana;
  const signed = version >= WIRE_VERSION['TLSv1.2'] && !/_anon_|_PSK_/.test(iana);
  const r = new Reader(msg);
  if (isFiniteFieldDhe(suite)) {
    const bits = primeBits(r.take(r.u16()));
    r.take(r.u16()); // g
    r.take(r.u16()); // Ys
    return { kind: 'server-key-exchange', exchange: { kind: 'dhe', bits, ...(signed && r.left >= 2 ? { signatureScheme: r.u16() } : {}) } };
  }
  if (/^TLS_ECDHE_/.test(iana) && r.u8() === 3) {
    const group = r.u16();
    r.take(r.u8()); // the server's public point
    return { kind: 'server-key-exchange', exchange: { kind: 'ecdhe', group, ...(signed && r.left >= 2 ? { signatureScheme: r.u16() } : {}) } };
  }
  return null;
}

/** The opaque<0..2^16-1> vector at the start of `b`. */
export function vector16(b: Buffer): Buffer {
  const r = new Reader(b);
  return r.take(r.u16());
}

/** Bits of a big-endian unsigned integer (leading zero bytes and bits do not count). */
export function primeBits(p: Buffer): number {
  let i = 0;
  while (i < p.length && p[i] === 0) i++;
  if (i === p.length) return 0;
  return (p.length - i - 1) * 8 + (32 - Math.clz32(p[i] ?? 0));
}

/** Bounds-checked reader; out-of-range reads throw RangeError, turned into a 'malformed' event. */
export class Reader {
  constructor(private readonly b: Buffer, private off = 0) {}
  get left(): number {
    return this.b.length - this.off;
  }
  take(n: number): Buffer {
    if (n > this.left) throw new RangeError('short');
    const out = this.b.subarray(this.off, this.off + n);
    this.off += n;
    return out;
  }
  u8(): number {
    return this.take(1)[0] ?? 0;
  }
  u16(): number {
    return this.take(2).readUInt16BE(0);
  }
  u24(): number {
    const t = this.take(3);
    return ((t[0] ?? 0) << 16) | ((t[1] ?? 0) << 8) | (t[2] ?? 0);
  }
}

export function parseServerHello(msg: Buffer): ServerHelloInfo {
  const r = new Reader(msg);
  const legacyVersion = r.u16();
  const random = r.take(32);
  r.take(r.u8()); // session id
  const cipherSuite = r.u16();
  r.u8(); // compression
  let selected: number | undefined;
  let keyShareGroup: number | undefined;
  let keyShareKey: Buffer | undefined;
  let cookie: Buffer | undefined;
  if (r.left >= 2) {
    const exts = new Reader(r.take(r.u16()));
    while (exts.left >= 4) {
      const t = exts.u16();
      const body = exts.take(exts.u16());
      if (t === EXT.supportedVersions && body.length >= 2) selected = body.readUInt16BE(0);
      if (t === EXT.keyShare && body.length >= 2) keyShareGroup = body.readUInt16BE(0);
      // A HelloRetryRequest's key_share is the group alone; a ServerHello's adds the public value.
      if (t === EXT.keyShare && body.length >= 4) keyShareKey = Buffer.from(vector16(body.subarray(2)));
      if (t === EXT.cookie) cookie = Buffer.from(vector16(body));
    }
  }
  const info: ServerHelloInfo = {
    version: protocolOfWire(selected ?? legacyVersion),
    legacyVersion,
    cipherSuite,
    helloRetryRequest: random.equals(HRR_RANDOM),
  };
  if (keyShareGroup !== undefined) info.keyShareGroup = keyShareGroup;
  if (keyShareKey) info.keyShareKey = keyShareKey;
  if (cookie) info.cookie = cookie;
  return info;
}

export function parseCertificateList(msg: Buffer): Buffer[] {
  const r = new Reader(msg);
  const list = new Reader(r.take(r.u24()));
  const out: Buffer[] = [];
  while (list.left >= 3) out.push(Buffer.from(list.take(list.u24())));
  return out;
}

export function parseCertificateRequest(msg: Buffer, version: number): CertificateRequestInfo {
  const r = new Reader(msg);
  const certificateTypes = [...r.take(r.u8())];
  // TLS 1.2 inserted supported_signature_algorithms before the CA list (RFC 5246 §7.4.4).
  if (version >= WIRE_VERSION['TLSv1.2']) r.take(r.u16());
  const cas = new Reader(r.take(r.u16()));
  const authorities: Buffer[] = [];
  while (cas.left >= 2) authorities.push(Buffer.from(cas.take(cas.u16())));
  return { certificateTypes, authorities };
}
