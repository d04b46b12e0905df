// A ClientHello read in full from the bytes a client sends: the listener (bot/listen) reports what
// each client offers with it, and the client profiles were captured with it. Every field of the
// hello is kept (extensions in order, their raw bytes), GREASE values (RFC 8701) are noted and left
// out of the lists. Reading past the end of a field throws RangeError; the reader below turns it
// into a `malformed` answer, so hostile bytes never throw out of it.
import { isGrease } from '../../rules/probe/tls-names.data.js';
import { protocolOfWire } from './protocol-names.js';
import { Reader } from './server-flight.js';
import { CONTENT_TYPE, EXT, HANDSHAKE_TYPE } from './tls-constants.js';

export interface HelloExtension {
  readonly type: number;
  readonly data: Buffer;
}

export interface ParsedClientHello {
  readonly format: 'tls' | 'sslv2';
  /** The version field of the hello (0x0303 for TLS 1.3 clients, which use supported_versions). */
  readonly legacyVersion: number;
  /** Versions offered, highest first: supported_versions when sent, else the legacy version alone. */
  readonly versions: string[];
  readonly suites: number[];
  readonly compression: number[];
  readonly extensions: HelloExtension[];
  readonly sni: string | null;
  readonly alpn: string[];
  readonly groups: number[];
  readonly signatureAlgorithms: number[];
  readonly signatureAlgorithmsCert: number[] | null;
  readonly keyShareGroups: number[];
  readonly pointFormats: number[] | null;
  /** The client put GREASE values in its lists (Chrome, BoringSSL, Go's newer releases). */
  readonly grease: boolean;
  readonly sessionIdLength: number;
  /** The version field of the (first) record header, when the hello came in TLS records. */
  readonly recordVersion?: number;
}

function list16(r: Reader, width: 1 | 2): number[] {
  const body = new Reader(width === 2 ? r.take(r.u16()) : r.take(r.u8()));
  const out: number[] = [];
  while (body.left >= 2) out.push(body.u16());
  return out;
}

function serverName(data: Buffer): string | null {
  const r = new Reader(data);
  const names = new Reader(r.take(r.u16()));
  while (names.left >= 3) {
    const type = names.u8();
    const name = names.take(names.u16());
    if (type === 0) return name.toString('latin1');
  }
  return null;
}

function alpnList(data: Buffer): string[] {
  const r = new Reader(data);
  const list = new Reader(r.take(r.u16()));
  const out: string[] = [];
  while (list.left > 0) out.push(list.take(list.u8()).toString('latin1'));
  return out;
}

function keyShareGroups(data: Buffer): number[] {
  const r = new Reader(data);
  const shares = new Reader(r.take(r.u16()));
  const out: number[] = [];
  while (shares.left >= 4) {
    out.push(shares.u16());
    shares.take(shares.u16());
  }
  return out;
}

/** Parses a ClientHello handshake message body (after the 4-byte handshake header). */
export function parseClientHelloBody(msg: Buffer): ParsedClientHello {
  const r = new Reader(msg);
  const legacyVersion = r.u16();
  r.take(32);
  const sessionIdLength = r.take(r.u8()).length;
  const rawSuites = list16(r, 2);
  const compression = [...r.take(r.u8())];
  const extensions: HelloExtension[] = [];
  if (r.left >= 2) {
    const exts = new Reader(r.take(r.u16()));
    while (exts.left >= 4) {
      const type = exts.u16();
      extensions.push({ type, data: Buffer.from(exts.take(exts.u16())) });
    }
  }
  const find = (type: number): Buffer | undefined => extensions.find((e) => e.type === type)?.data;
  const clean = (values: number[]): number[] => values.filter((v) => !isGrease(v));
  const supportedVersions = find(EXT.supportedVersions);
  const offered = supportedVersions ? clean(list16(new Reader(supportedVersions), 1)) : [legacyVersion];
  const groupsData = find(EXT.supportedGroups);
  const sigalgs = find(EXT.signatureAlgorithms);
  const sigalgsCert = find(50);
  const alpn = find(16);
  const sni = find(EXT.serverName);
  const shares = find(EXT.keyShare);
  const points = find(EXT.ecPointFormats);
  const grease = rawSuites.some(isGrease) || extensions.some((e) => isGrease(e.type));
  return {
    format: 'tls',
    legacyVersion,
    versions: [...new Set(offered)].sort((a, b) => b - a).map(protocolOfWire),
    suites: clean(rawSuites),
    compression,
    extensions,
    sni: sni ? serverName(sni) : null,
    alpn: alpn ? alpnList(alpn) : [],
    groups: groupsData ? clean(list16(new Reader(groupsData), 2)) : [],
    signatureAlgorithms: sigalgs ? list16(new Reader(sigalgs), 2) : [],
    signatureAlgorithmsCert: sigalgsCert ? list16(new Reader(sigalgsCert), 2) : null,
    keyShareGroups: shares ? clean(keyShareGroups(shares)) : [],
    pointFormats: points ? [...new Reader(points.subarray(1)).take(points[0] ?? 0)] : null,
    grease,
    sessionIdLength,
  };
}

/**
 * The SSLv2-format ClientHello (RFC 6101 appendix E.2): SSLv2 clients, and old SSLv3/TLS clients
 * (Java 6, old OpenSSL) that wrap their first hello in it. `record` starts at the two-byte header.
 */
export function parseSslv2ClientHello(record: Buffer): ParsedClientHello {
  const r = new Reader(record);
  r.take(3); // length (2) and message type (1)
  const legacyVersion = r.u16();
  const specLength = r.u16();
  const sessionIdLength = r.u16();
  r.u16(); // challenge length
  const specs = new Reader(r.take(specLength));
  const suites: number[] = [];
  // Three-byte cipher kinds: those with a zero first byte are TLS suite codes; SSLv2 ciphers are dropped.
  while (specs.left >= 3) {
    const spec = specs.take(3);
    if (spec[0] === 0) suites.push(spec.readUInt16BE(1));
  }
  return {
    format: 'sslv2',
    legacyVersion,
    versions: [legacyVersion === 0x0002 ? 'SSLv2' : protocolOfWire(legacyVersion)],
    suites,
    compression: [0],
    extensions: [],
    sni: null,
    alpn: [],
    groups: [],
    signatureAlgorithms: [],
    signatureAlgorithmsCert: null,
    keyShareGroups: [],
    pointFormats: null,
    grease: false,
    sessionIdLength,
  };
}

export type HelloReading =
  | { state: 'need-more' }
  | { state: 'hello'; hello: ParsedClientHello; bytes: Buffer }
  | { state: 'not-tls'; head: Buffer }
  | { state: 'malformed'; reason: string; head: Buffer };

/** A client's first flight is bounded: a ClientHello is a few hundred bytes, with post-quantum key shares a few kB. */
export const MAX_HELLO_BYTES = 64 * 1024;

function isSslv2Hello(b: Buffer): boolean {
  // Two-byte header with the high bit set, then message type 1 (CLIENT-HELLO) and a version.
  return b.length >= 5 && ((b[0] ?? 0) & 0x80) !== 0 && b[2] === 1 && (b[3] === 0 || b[3] === 3);
}

/**
 * Reads what a client sent so far: the complete ClientHello (which may span records), or why not.
 * `bytes` is everything consumed, to hand on to the TLS stack unchanged.
 */
export function readClientHello(buffer: Buffer): HelloReading {
  const head = buffer.subarray(0, 512);
  if (buffer.length === 0) return { state: 'need-more' };
  if (buffer[0] !== CONTENT_TYPE.handshake) {
    if (isSslv2Hello(buffer)) {
      const length = (((buffer[0] ?? 0) & 0x7f) << 8) | (buffer[1] ?? 0);
      if (buffer.length < 2 + length) return { state: 'need-more' };
      try {
        return { state: 'hello', hello: parseSslv2ClientHello(buffer.subarray(0, 2 + length)), bytes: buffer.subarray(0, 2 + length) };
      } catch {
        return { state: 'malformed', reason: 'truncated SSLv2 ClientHello', head };
      }
    }
    return buffer.length >= 3 || !/^[\x20-\x7e]/.test(head.toString('latin1')) ? { state: 'not-tls', head } : { state: 'need-more' };
  }
  let handshake = Buffer.alloc(0);
  let offset = 0;
  while (offset + 5 <= buffer.length) {
    const type = buffer[offset] ?? 0;
    const length = buffer.readUInt16BE(offset + 3);
    if (type !== CONTENT_TYPE.handshake || buffer[offset + 1] !== 3 || length > 16384 + 2048) {
      return { state: 'malformed', reason: 'a record that is not a TLS handshake record before the ClientHello ended', head };
    }
    if (offset + 5 + length > buffer.length) break;
    handshake = Buffer.concat([handshake, buffer.subarray(offset + 5, offset + 5 + length)]);
    offset += 5 + length;
    if (handshake.length >= 4) {
      if (handshake[0] !== HANDSHAKE_TYPE.clientHello) return { state: 'malformed', reason: `first handshake message is type ${handshake[0]}, not ClientHello`, head };
      const messageLength = ((handshake[1] ?? 0) << 16) | ((handshake[2] ?? 0) << 8) | (handshake[3] ?? 0);
      if (messageLength > MAX_HELLO_BYTES) return { state: 'malformed', reason: `ClientHello of ${messageLength} bytes, over ${MAX_HELLO_BYTES}`, head };
      if (handshake.length >= 4 + messageLength) {
        try {
          const hello = { ...parseClientHelloBody(handshake.subarray(4, 4 + messageLength)), recordVersion: buffer.readUInt16BE(1) };
          return { state: 'hello', hello, bytes: buffer.subarray(0, offset) };
        } catch {
          return { state: 'malformed', reason: 'truncated ClientHello', head };
        }
      }
    }
  }
  if (buffer.length > MAX_HELLO_BYTES) return { state: 'malformed', reason: `no complete ClientHello in ${MAX_HELLO_BYTES} bytes`, head };
  return { state: 'need-more' };
}
