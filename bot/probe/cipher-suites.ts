// Lookup helpers over the cipher-suite table (cipher-suites.data.ts).
import { CIPHER_SUITE_ROWS, type SuiteRow } from './cipher-suites.data.js';
import type { ProtocolName } from './protocol-names.js';

/** A cipher suite as reported: IANA code (and hex), IANA name, OpenSSL name (null when unknown). */
export interface CipherSuiteRef {
  code: number;
  hex: string;
  iana: string;
  openssl: string | null;
}

const BY_CODE = new Map<number, SuiteRow>(CIPHER_SUITE_ROWS.map((r) => [r[0], r]));

export function suiteHex(code: number): string {
  return `0x${code.toString(16).padStart(4, '0').toUpperCase()}`;
}

/** Names a suite code; unknown codes still get a stable placeholder name so reports never lose data. */
export function describeSuite(code: number): CipherSuiteRef {
  const row = BY_CODE.get(code);
  return {
    code,
    hex: suiteHex(code),
    iana: row ? row[1] : `UNKNOWN_${suiteHex(code)}`,
    openssl: row ? row[2] : null,
  };
}

/**
 * Rough modern-client preference (lower is better): forward secrecy and AEAD first, broken
 * families last. Offering in this order makes a client-preference server pick what a browser
 * would get, and keeps the elimination loop's picks meaningful.
 */
export function preferenceRank(iana: string): number {
  // TLS 1.3 suites (no _WITH_) and (EC)DHE: forward secret.
  const kx = !iana.includes('_WITH_') || /^TLS_(ECDHE|DHE)_/.test(iana) ? 0 : /^TLS_RSA_WITH/.test(iana) ? 1 : 2;
  const enc = /_GCM_|CHACHA20/.test(iana) ? 0 : /_CCM/.test(iana) ? 1 : /_CBC_SHA(256|384)$/.test(iana) ? 2 : /_CBC_SHA$/.test(iana) ? 3 : /3DES/.test(iana) ? 4 : 5;
  const weak = /NULL|EXPORT|anon|_RC4_|_DES_|_DES40_|_RC2_|_MD5/.test(iana) ? 1 : 0;
  return weak * 100 + kx * 10 + enc;
}

/**
 * Suites worth offering when probing `protocol`: TLS 1.3 suites only for TLS 1.3 (and never for older
 * versions, where they are meaningless); SHA-256/GCM suites only from TLS 1.2 on, which keeps the
 * older ClientHellos short.
 */
export function suitesFor(protocol: ProtocolName): number[] {
  return CIPHER_SUITE_ROWS.filter((r) => {
    if (protocol === 'TLSv1.3') return r[3] === 'TLSv1.3';
    if (r[3] === 'TLSv1.3') return false;
    if (r[3] === 'TLSv1.2') return protocol === 'TLSv1.2';
    return true;
  })
    .map((r, i) => ({ code: r[0], rank: preferenceRank(r[1]) * 1000 + i }))
    .sort((a, b) => a.rank - b.rank)
    .map((r) => r.code);
}
