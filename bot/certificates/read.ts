// Certificates out of what users paste and upload: PEM blocks (one or a chain, possibly mangled by
// a chat client's line wrapping), DER files, and PKCS#7 bundles (.p7b, PEM or DER). Parsing of
// PKCS#7 is @peculiar/x509's (pure JS): no openssl process at run time.
import { x509 } from '../probe/x509.js';
import { toArrayBuffer } from '../probe/cert-describe.js';
import { derKind, pemBeginPattern } from './sniff.js';

/** More than this in one input is a CA bundle dump, not a chain: the rest is left out, and said so. */
export const MAX_CERTIFICATES = 200;
/**
 * PEM blocks looked at in one input, readable or not: reading stops there (20 MiB of tiny damaged
 * blocks would otherwise be 190 000 decodes and as many problem sentences).
 */
export const MAX_PEM_BLOCKS = 1000;
/** Unreadable blocks named one by one; more would only flood the thread. */
const MAX_PROBLEMS = 5;
/**
 * A DER certificate or PKCS#7 bundle larger than this is not parsed: the ASN.1 parser builds an
 * object per element, so a 20 MiB bundle would cost hundreds of MB; a real CA bundle is far smaller.
 */
export const MAX_DER_BYTES = 1024 * 1024;

export interface ReadCertificates {
  readonly format: 'pem' | 'der' | 'pkcs7-pem' | 'pkcs7-der';
  /** DER of each certificate in input order. */
  readonly ders: Buffer[];
  /** What could not be read, in words a user can act on. */
  readonly problems: string[];
}

/** Certificates in PEM text; undefined when the text holds no certificate or PKCS#7 block at all. */
export function readPemCertificates(text: string): ReadCertificates | undefined {
  const ders: Buffer[] = [];
  const problems: string[] = [];
  let sawPkcs7 = false;
  let blocks = 0;
  // Where each END marker was last found (-1: nowhere further): thousands of BEGIN lines without
  // an END must not rescan the rest of the text for each one.
  const ends = new Map<string, number>();
  const begin = pemBeginPattern();
  for (let m = begin.exec(text); m; m = begin.exec(text)) {
    if (blocks >= MAX_PEM_BLOCKS || ders.length > MAX_CERTIFICATES) {
      problems.push(`more than ${blocks >= MAX_PEM_BLOCKS ? `${MAX_PEM_BLOCKS} PEM blocks` : `${MAX_CERTIFICATES} certificates`}: the rest of the input was not read`);
      break;
    }
    const label = m[1] as string;
    const endMarker = `-----END ${label}-----`;
    const known = ends.get(endMarker);
    const end = known === -1 || (known !== undefined && known >= begin.lastIndex) ? known : text.indexOf(endMarker, begin.lastIndex);
    ends.set(endMarker, end);
    blocks += 1;
    if (end === -1) {
      problems.push(`certificate block ${blocks} (${label}) has no END line: it was cut off`);
      break;
    }
    const der = Buffer.from(text.slice(begin.lastIndex, end).replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    begin.lastIndex = end + endMarker.length;
    if (label === 'PKCS7' || label === 'CMS') {
      sawPkcs7 = true;
      addAll(readPkcs7(der, `block ${blocks} (${label})`, problems), ders);
    } else {
      // OpenSSL's TRUSTED CERTIFICATE appends trust settings after the certificate itself.
      const cert = label === 'TRUSTED CERTIFICATE' ? firstElement(der) : der;
      if (cert && derKind(cert, true) === 'certificate') ders.push(cert);
      else if (problems.length < MAX_PROBLEMS) problems.push(`certificate block ${blocks} is not a valid certificate (damaged base64?)`);
    }
  }
  if (blocks === 0) return undefined;
  return finish(sawPkcs7 && blocks === 1 ? 'pkcs7-pem' : 'pem', ders, problems);
}

/** Certificates in a binary upload: one DER certificate or a DER/BER PKCS#7 bundle. */
export function readDerCertificates(bytes: Uint8Array): ReadCertificates | undefined {
  const kind = derKind(bytes, true);
  if (kind && bytes.length > MAX_DER_BYTES) return { format: kind === 'pkcs7' ? 'pkcs7-der' : 'der', ders: [], problems: [`the file is ${bytes.length} bytes: a certificate or PKCS#7 bundle over ${MAX_DER_BYTES} bytes is not read`] };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (kind === 'certificate') return finish('der', [buffer], []);
  if (kind !== 'pkcs7') return undefined;
  const problems: string[] = [];
  return finish('pkcs7-der', readPkcs7(buffer, 'the PKCS#7 file', problems), problems);
}

function readPkcs7(der: Buffer, what: string, problems: string[]): Buffer[] {
  if (der.length > MAX_DER_BYTES) {
    problems.push(`${what} is ${der.length} bytes: a PKCS#7 bundle over ${MAX_DER_BYTES} bytes is not read`);
    return [];
  }
  try {
    const bundle = new x509.X509Certificates(toArrayBuffer(der));
    if (bundle.length === 0) problems.push(`${what} holds no certificate`);
    // Array.from: X509Certificates is an Array subclass, and its map() would build another one.
    return Array.from(bundle, (c) => Buffer.from(c.rawData));
  } catch (error) {
    problems.push(`${what} is not a readable PKCS#7 certificate bundle: ${(error as Error).message}`);
    return [];
  }
}

function addAll(from: readonly Buffer[], to: Buffer[]): void {
  for (const der of from) to.push(der);
}

function finish(format: ReadCertificates['format'], ders: Buffer[], problems: string[]): ReadCertificates {
  if (ders.length > MAX_CERTIFICATES) {
    problems.push(`more than ${MAX_CERTIFICATES} certificates: only the first ${MAX_CERTIFICATES} were checked`);
    return { format, ders: ders.slice(0, MAX_CERTIFICATES), problems };
  }
  return { format, ders, problems };
}

/** The first DER element (tag, length, content) of `der`, ignoring whatever follows it. */
function firstElement(der: Buffer): Buffer | undefined {
  if (der.length < 2) return undefined;
  const first = der[1] as number;
  let length = first;
  let header = 2;
  if (first >= 0x80) {
    const octets = first & 0x7f;
    if (octets < 1 || octets > 3 || der.length < 2 + octets) return undefined;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (der[2 + i] as number);
    header = 2 + octets;
  }
  return header + length <= der.length ? der.subarray(0, header + length) : undefined;
}
