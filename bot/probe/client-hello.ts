// Hand-built ClientHello records, so what we learn about a server does not depend on which
// protocols and suites the local OpenSSL still implements (Node's has no SSLv3, refuses TLS 1.0/1.1).
import { randomBytes } from 'node:crypto';
import { WIRE_VERSION, type ProtocolName } from './protocol-names.js';
import {
  CONTENT_TYPE,
  EXT,
  GROUP_X25519,
  HANDSHAKE_TYPE,
  SIGNATURE_ALGORITHMS,
  SUPPORTED_GROUPS,
} from './tls-constants.js';

export interface ClientHelloOptions {
  /** Highest protocol offered. For TLS 1.3 the legacy version is 1.2 and supported_versions carries 1.3. */
  protocol: ProtocolName;
  /** Suite codes in preference order. */
  suites: readonly number[];
  servername?: string;
  /**
   * Extra versions for supported_versions (TLS 1.3 probe only): used by the "speaks TLS?" hello,
   * which offers 1.3 down to 1.0 so any TLS server answers with a ServerHello.
   */
  alsoOfferVersions?: readonly ProtocolName[];
  /**
   * TLS 1.3 key shares. Absent: one x25519 share of random bytes, enough for the server to answer
   * with a ServerHello (or a HelloRetryRequest) when the key exchange is never finished.
   */
  keyShares?: readonly { group: number; key: Buffer }[];
  /** Groups for supported_groups (default SUPPORTED_GROUPS): a client profile may offer fewer. */
  groups?: readonly number[];
  /** The HelloRetryRequest's cookie, echoed in the second ClientHello (RFC 8446 §4.2.2). */
  cookie?: Buffer;
  /** Fixed random and legacy session id: the second ClientHello after a retry repeats the first's. */
  random?: Buffer;
  sessionId?: Buffer;
}

export function u8(n: number): Buffer {
  return Buffer.from([n & 0xff]);
}
export function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
export function u24(n: number): Buffer {
  return Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
}
export function vec16(body: Buffer): Buffer {
  return Buffer.concat([u16(body.length), body]);
}
export function vec8(body: Buffer): Buffer {
  return Buffer.concat([u8(body.length), body]);
}
export function ext(type: number, body: Buffer): Buffer {
  return Buffer.concat([u16(type), vec16(body)]);
}
export function list16(values: readonly number[]): Buffer {
  return Buffer.concat(values.map(u16));
}

/** SNI carries host names only (RFC 6066 §3): never an IP literal. */
export function isHostName(name: string): boolean {
  return name.length > 0 && name.length < 256 && !/^[0-9.]+$/.test(name) && !name.includes(':');
}

function extensions(o: ClientHelloOptions): Buffer[] {
  const out: Buffer[] = [];
  if (o.servername && isHostName(o.servername)) {
    const name = Buffer.from(o.servername, 'ascii');
    out.push(ext(EXT.serverName, vec16(Buffer.concat([u8(0), vec16(name)]))));
  }
  out.push(ext(EXT.supportedGroups, vec16(list16(o.groups ?? SUPPORTED_GROUPS))));
  out.push(ext(EXT.ecPointFormats, vec8(Buffer.from([0, 1, 2]))));
  const tls12plus = o.protocol === 'TLSv1.2' || o.protocol === 'TLSv1.3';
  if (tls12plus) out.push(ext(EXT.signatureAlgorithms, vec16(list16(SIGNATURE_ALGORITHMS))));
  out.push(ext(EXT.sessionTicket, Buffer.alloc(0)));
  out.push(ext(EXT.extendedMasterSecret, Buffer.alloc(0)));
  if (o.protocol === 'TLSv1.3') {
    const versions = [WIRE_VERSION['TLSv1.3'], ...(o.alsoOfferVersions ?? []).map((p) => WIRE_VERSION[p])];
    out.push(ext(EXT.supportedVersions, vec8(list16(versions))));
    out.push(ext(EXT.pskKeyExchangeModes, vec8(Buffer.from([1]))));
    const shares = o.keyShares ?? [{ group: GROUP_X25519, key: randomBytes(32) }];
    out.push(ext(EXT.keyShare, vec16(Buffer.concat(shares.map((s) => Buffer.concat([u16(s.group), vec16(s.key)]))))));
    if (o.cookie) out.push(ext(EXT.cookie, vec16(o.cookie)));
  }
  // Secure renegotiation indication (RFC 5746), empty on an initial handshake.
  out.push(ext(EXT.renegotiationInfo, vec8(Buffer.alloc(0))));
  return out;
}

/** Builds one complete TLS record containing a ClientHello. */
export function buildClientHello(o: ClientHelloOptions): Buffer {
  const legacyVersion = o.protocol === 'TLSv1.3' ? 0x0303 : WIRE_VERSION[o.protocol];
  // TLS 1.3 middlebox compatibility mode wants a 32-byte legacy session id (RFC 8446 §D.4).
  const sessionId = o.sessionId ?? (o.protocol === 'TLSv1.3' ? randomBytes(32) : Buffer.alloc(0));
  const exts = extensions(o);
  const fixed = Buffer.concat([
    u16(legacyVersion),
    o.random ?? randomBytes(32),
    vec8(sessionId),
    vec16(list16(o.suites)),
    vec8(Buffer.from([0])), // null compression only
  ]);
  let extBytes = Buffer.concat(exts);
  // Some TLS terminators (old F5) hang on ClientHellos of 256..511 bytes: pad past 512 (RFC 7685).
  const helloLen = fixed.length + 2 + extBytes.length;
  if (helloLen >= 0x100 && helloLen < 0x200) {
    const pad = Math.max(1, 0x200 - helloLen - 4);
    extBytes = Buffer.concat([extBytes, ext(EXT.padding, Buffer.alloc(pad))]);
  }
  const body = Buffer.concat([fixed, vec16(extBytes)]);
  const handshake = Buffer.concat([u8(HANDSHAKE_TYPE.clientHello), u24(body.length), body]);
  // Record-layer version: SSLv3 servers want 0x0300; everything newer is safest with 0x0301.
  const recordVersion = o.protocol === 'SSLv3' ? 0x0300 : 0x0301;
  if (handshake.length > 0x4000) throw new Error('ClientHello exceeds one record');
  return Buffer.concat([u8(CONTENT_TYPE.handshake), u16(recordVersion), vec16(handshake)]);
}
