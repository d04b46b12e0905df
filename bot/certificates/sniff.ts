// Is this a certificate, by its bytes? Used on whole uploads (file-kind.ts) and on the first chunk
// of a CLI input, so it looks at a header only and never at the rest of a possibly huge log.

/** DER of OID 1.2.840.113549.1.7.2 (PKCS#7 / CMS signedData), tag and length included. */
const SIGNED_DATA_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];

/** PEM labels that hold certificates: X.509 ones and PKCS#7/CMS bundles (.p7b). */
export const PEM_CERTIFICATE_LABELS = ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE', 'PKCS7', 'CMS'] as const;
/** A fresh global regex each time: a shared one would carry lastIndex from one caller to the next. */
export function pemBeginPattern(): RegExp {
  return new RegExp(`-----BEGIN (${PEM_CERTIFICATE_LABELS.join('|')})-----`, 'g');
}

export type DerKind = 'certificate' | 'pkcs7';

export interface DerHeader {
  /** Index of the first byte inside the outer SEQUENCE. */
  readonly body: number;
  /** Declared total size (header + content); null for BER indefinite length. */
  readonly total: number | null;
}

/** The outer SEQUENCE's header: where its content starts and the size it declares. */
export function outerSequence(bytes: Uint8Array): DerHeader | undefined {
  if (bytes[0] !== 0x30 || bytes.length < 4) return undefined;
  const first = bytes[1] as number;
  if (first === 0x80) return { body: 2, total: null };
  if (first < 0x80) return { body: 2, total: first + 2 };
  const octets = first & 0x7f;
  if (octets < 1 || octets > 3) return undefined;
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + (bytes[2 + i] as number);
  return { body: 2 + octets, total: length + 2 + octets };
}

/**
 * What a DER (or BER) file is, from its first bytes. `whole`: bytes is the complete file, so the
 * declared length must match it exactly; otherwise only the start of the file is known.
 */
export function derKind(bytes: Uint8Array, whole: boolean): DerKind | undefined {
  const header = outerSequence(bytes);
  if (!header) return undefined;
  if (header.total !== null && (whole ? header.total !== bytes.length : header.total < bytes.length)) return undefined;
  const { body } = header;
  // PKCS#7 is ContentInfo { contentType OID, [0] content }; a certificate is SEQUENCE { SEQUENCE tbs, ... }.
  if (SIGNED_DATA_OID.every((b, i) => bytes[body + i] === b)) return 'pkcs7';
  if (header.total === null) return undefined;
  // tbsCertificate: SEQUENCE, long-form length, then [0] version or INTEGER serial.
  if (bytes[body] === 0x30 && ((bytes[body + 1] as number) & 0x80) !== 0) {
    const octets = (bytes[body + 1] as number) & 0x7f;
    const next = bytes[body + 2 + octets];
    if (octets >= 1 && octets <= 3 && (next === 0xa0 || next === 0x02)) return 'certificate';
  }
  return undefined;
}

/** The first bytes of an input hold a PEM certificate or PKCS#7 block. */
export function hasPemCertificate(head: Uint8Array | string): boolean {
  const text = typeof head === 'string' ? head : Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1');
  return pemBeginPattern().test(text);
}
