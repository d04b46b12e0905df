// TLS wire constants used by the raw ClientHello builder and the record parser (RFC 5246, RFC 8446, RFC 8422).
import { ALERTS } from '../../rules/logs/extract/alerts.js';

export const CONTENT_TYPE = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23 } as const;

export const HANDSHAKE_TYPE = {
  clientHello: 1,
  serverHello: 2,
  newSessionTicket: 4,
  certificate: 11,
  serverKeyExchange: 12,
  certificateRequest: 13,
  serverHelloDone: 14,
  certificateVerify: 15,
  finished: 20,
  encryptedExtensions: 8,
  /** Stands in for ClientHello1 in the transcript after a HelloRetryRequest (RFC 8446 §4.4.1). */
  messageHash: 254,
} as const;

export const EXT = {
  serverName: 0,
  supportedGroups: 10,
  ecPointFormats: 11,
  signatureAlgorithms: 13,
  padding: 21,
  extendedMasterSecret: 23,
  sessionTicket: 35,
  supportedVersions: 43,
  cookie: 44,
  pskKeyExchangeModes: 45,
  certificateAuthorities: 47,
  keyShare: 51,
  renegotiationInfo: 0xff01,
} as const;

export const GROUP_X25519 = 29;

/**
 * Groups offered. Many curves, because a server only picks an ECDHE suite when it shares a curve
 * with us, and the cipher enumeration must not miss ECDHE suites on servers with unusual curves.
 */
export const SUPPORTED_GROUPS: readonly number[] = [
  29, 23, 24, 25, 30, // x25519, secp256r1, secp384r1, secp521r1, x448
  21, 22, 19, 20, // secp224r1, secp256k1, secp192r1, secp224k1
  26, 27, 28, // brainpoolP256r1, P384r1, P512r1
  256, 257, 258, 259, 260, // ffdhe2048..8192
];

/** Signature schemes offered (TLS 1.2 SignatureAndHashAlgorithm pairs and TLS 1.3 schemes). */
export const SIGNATURE_ALGORITHMS: readonly number[] = [
  0x0403, 0x0503, 0x0603, 0x0807, 0x0808, // ecdsa sha256/384/512, ed25519, ed448
  0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, // rsa_pss_rsae_*, rsa_pss_pss_*
  0x0401, 0x0501, 0x0601, // rsa_pkcs1 sha256/384/512
  0x0303, 0x0301, 0x0302, 0x0203, 0x0201, 0x0202, // sha224 + sha1 variants (rsa, dsa, ecdsa)
  0x0402, 0x0502, 0x0602, // dsa sha256/384/512
  0x0101, // rsa md5 (old servers)
];

/** Random of a HelloRetryRequest: SHA-256("HelloRetryRequest"), RFC 8446 §4.1.3. */
export const HRR_RANDOM = Buffer.from(
  'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c',
  'hex',
);

export function alertName(description: number): string {
  return ALERTS[description] ?? `alert_${description}`;
}
