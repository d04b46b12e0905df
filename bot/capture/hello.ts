import { createHash } from 'node:crypto';
import type { CaptureStep, CertificateName } from '../../rules/index.js';
import { decodeDistinguishedName } from '../probe/client-auth.js';
import { describeSuite } from '../probe/cipher-suites.js';
import { toArrayBuffer } from '../probe/cert-describe.js';
import { protocolOfWire } from '../probe/protocol-names.js';
import { EXT } from '../probe/tls-constants.js';
import { x509 } from '../probe/x509.js';

// The handshake messages a capture shows in clear, read the way the probe reads a server's flight
// (the probe's version, suite and DN tables and parsers are reused): ClientHello in both formats,
// and the names in Certificate and CertificateRequest. Names are cached: a capture of a busy
// endpoint repeats the same certificate thousands of times.

type Step<K extends CaptureStep['kind']> = Omit<Extract<CaptureStep, { kind: K }>, 'packet' | 'from'>;

const SUITE_NAMES_BOUND = 64;
const NAME_CACHE_BOUND = 1000;

export function versionName(wire: number): string {
  return wire === 0x0002 ? 'SSLv2' : protocolOfWire(wire);
}

/** GREASE values (RFC 8701) are noise a client adds on purpose: 0x0a0a, 0x1a1a, ... */
function isGrease(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff);
}

/** Bounds-checked big-endian reader; reading past the end throws RangeError. */
export class Reader {
  constructor(private readonly b: Buffer, private at = 0) {}
  get left(): number {
    return this.b.length - this.at;
  }
  take(n: number): Buffer {
    if (n > this.left) throw new RangeError('short');
    this.at += n;
    return this.b.subarray(this.at - n, this.at);
  }
  u8(): number {
    return this.take(1)[0] as number;
  }
  u16(): number {
    return this.take(2).readUInt16BE(0);
  }
}

export function parseClientHello(msg: Buffer): Step<'client-hello'> {
  const r = new Reader(msg);
  const version = r.u16();
  r.take(32);
  r.take(r.u8());
  const suites = new Reader(r.take(r.u16()));
  const codes: number[] = [];
  while (suites.left >= 2) {
    const code = suites.u16();
    if (!isGrease(code)) codes.push(code);
  }
  r.take(r.u8());
  let sni: string | null = null;
  let versions: string[] | null = null;
  if (r.left >= 2) {
    const exts = new Reader(r.take(r.u16()));
    while (exts.left >= 4) {
      const type = exts.u16();
      const body = new Reader(exts.take(exts.u16()));
      if (type === EXT.serverName && body.left >= 2) sni = serverName(new Reader(body.take(body.u16())));
      if (type === EXT.supportedVersions && body.left >= 1) {
        const list = new Reader(body.take(body.u8()));
        const wires: number[] = [];
        while (list.left >= 2) wires.push(list.u16());
        versions = wires.filter((v) => !isGrease(v)).sort((a, b) => b - a).map(versionName);
      }
    }
  }
  return { kind: 'client-hello', format: 'tls', version: versionName(version), versions, suiteCount: codes.length, suites: codes.slice(0, SUITE_NAMES_BOUND).map(suiteName), sni };
}

function serverName(list: Reader): string | null {
  while (list.left >= 3) {
    const type = list.u8();
    const name = list.take(list.u16());
    if (type === 0) return name.toString('latin1');
  }
  return null;
}

/**
 * The SSLv2-format ClientHello (two-byte header with the high bit set): SSLv2 clients, and old
 * SSLv3/TLS clients that wrap their first hello in it for compatibility. `record` starts at the header.
 */
export function parseSslv2Hello(record: Buffer): Step<'client-hello'> {
  const r = new Reader(record);
  r.take(3); // length, message type
  const version = r.u16();
  const specLength = r.u16();
  r.u16();
  r.u16();
  const specs = new Reader(r.take(specLength));
  const codes: number[] = [];
  // Three-byte cipher kinds; those starting with 0 are TLS suite codes, the rest SSLv2 ciphers.
  while (specs.left >= 3) {
    const spec = specs.take(3);
    codes.push(spec[0] === 0 ? spec.readUInt16BE(1) : -spec.readUIntBE(0, 3));
  }
  return { kind: 'client-hello', format: 'sslv2', version: versionName(version), versions: null, suiteCount: codes.length, suites: codes.slice(0, SUITE_NAMES_BOUND).map(suiteName), sni: null };
}

/** Signalling values that sit in the suite list without being suites (RFC 5746, RFC 7507). */
const SIGNALS: Readonly<Record<number, string>> = { 0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV', 0x5600: 'TLS_FALLBACK_SCSV' };

function suiteName(code: number): string {
  const signal = SIGNALS[code];
  if (signal) return signal;
  let name = suiteNames.get(code);
  if (name === undefined) suiteNames.set(code, (name = code < 0 ? `SSL2_CIPHER_0x${(-code).toString(16).padStart(6, '0').toUpperCase()}` : describeSuite(code).iana));
  return name;
}

/** Suite names by code: every hello of a capture names the same few dozen suites. */
const suiteNames = new Map<number, string>();
const certificateNames = new Map<string, CertificateName>();
const authorityNames = new Map<string, string>();

/** Subject and issuer of a DER certificate, as the certificate details elsewhere in tls-triage print them. */
export function certificateName(der: Buffer): CertificateName {
  const key = createHash('sha1').update(der).digest('base64');
  let name = certificateNames.get(key);
  if (!name) {
    try {
      const cert = new x509.X509Certificate(toArrayBuffer(der));
      name = { subject: cert.subject, issuer: cert.issuer };
    } catch {
      name = { subject: '(unreadable certificate)', issuer: '(unreadable certificate)' };
    }
    remember(certificateNames, key, name);
  }
  return name;
}

export function authorityName(der: Buffer): string {
  const key = der.toString('base64');
  let name = authorityNames.get(key);
  if (name === undefined) remember(authorityNames, key, (name = decodeDistinguishedName(der)));
  return name;
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= NAME_CACHE_BOUND) cache.clear();
  cache.set(key, value);
}
