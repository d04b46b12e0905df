// Names of the TLS code points a ClientHello carries besides cipher suites: named groups (RFC 8446
// §4.2.7, RFC 8422, RFC 7919), signature schemes (RFC 8446 §4.2.3 and the TLS 1.2 hash/signature
// pairs of RFC 5246 §7.4.1.4.1 under their customary names) and extension types (IANA "TLS
// ExtensionType Values"). The listener names what clients offer with them, the client profiles
// (rules/catalog/client-profiles.json) are written with them, the emulation judge explains with them.
// Data only.

export const GROUP_NAMES: Readonly<Record<number, string>> = {
  1: 'sect163k1', 2: 'sect163r1', 3: 'sect163r2', 4: 'sect193r1', 5: 'sect193r2', 6: 'sect233k1',
  7: 'sect233r1', 8: 'sect239k1', 9: 'sect283k1', 10: 'sect283r1', 11: 'sect409k1', 12: 'sect409r1',
  13: 'sect571k1', 14: 'sect571r1', 15: 'secp160k1', 16: 'secp160r1', 17: 'secp160r2', 18: 'secp192k1',
  19: 'secp192r1', 20: 'secp224k1', 21: 'secp224r1', 22: 'secp256k1', 23: 'secp256r1', 24: 'secp384r1',
  25: 'secp521r1', 26: 'brainpoolP256r1', 27: 'brainpoolP384r1', 28: 'brainpoolP512r1', 29: 'x25519',
  30: 'x448', 31: 'brainpoolP256r1tls13', 32: 'brainpoolP384r1tls13', 33: 'brainpoolP512r1tls13',
  256: 'ffdhe2048', 257: 'ffdhe3072', 258: 'ffdhe4096', 259: 'ffdhe6144', 260: 'ffdhe8192',
  0x11ec: 'X25519MLKEM768', 0x11eb: 'SecP256r1MLKEM768', 0x11ed: 'SecP384r1MLKEM1024', 0x6399: 'X25519Kyber768Draft00',
  0xff01: 'arbitrary_explicit_prime_curves', 0xff02: 'arbitrary_explicit_char2_curves',
};

export const SIGNATURE_SCHEME_NAMES: Readonly<Record<number, string>> = {
  0x0101: 'rsa_md5', 0x0102: 'dsa_md5', 0x0103: 'ecdsa_md5',
  0x0201: 'rsa_pkcs1_sha1', 0x0202: 'dsa_sha1', 0x0203: 'ecdsa_sha1',
  0x0301: 'rsa_sha224', 0x0302: 'dsa_sha224', 0x0303: 'ecdsa_sha224',
  0x0401: 'rsa_pkcs1_sha256', 0x0402: 'dsa_sha256', 0x0403: 'ecdsa_secp256r1_sha256',
  0x0501: 'rsa_pkcs1_sha384', 0x0502: 'dsa_sha384', 0x0503: 'ecdsa_secp384r1_sha384',
  0x0601: 'rsa_pkcs1_sha512', 0x0602: 'dsa_sha512', 0x0603: 'ecdsa_secp521r1_sha512',
  0x0804: 'rsa_pss_rsae_sha256', 0x0805: 'rsa_pss_rsae_sha384', 0x0806: 'rsa_pss_rsae_sha512',
  0x0807: 'ed25519', 0x0808: 'ed448',
  0x0809: 'rsa_pss_pss_sha256', 0x080a: 'rsa_pss_pss_sha384', 0x080b: 'rsa_pss_pss_sha512',
  0x081a: 'ecdsa_brainpoolP256r1tls13_sha256', 0x081b: 'ecdsa_brainpoolP384r1tls13_sha384', 0x081c: 'ecdsa_brainpoolP512r1tls13_sha512',
};

export const EXTENSION_NAMES: Readonly<Record<number, string>> = {
  0: 'server_name', 1: 'max_fragment_length', 5: 'status_request', 10: 'supported_groups',
  11: 'ec_point_formats', 13: 'signature_algorithms', 14: 'use_srtp', 15: 'heartbeat',
  16: 'application_layer_protocol_negotiation', 17: 'status_request_v2', 18: 'signed_certificate_timestamp',
  21: 'padding', 22: 'encrypt_then_mac', 23: 'extended_master_secret', 27: 'compress_certificate',
  28: 'record_size_limit', 34: 'delegated_credentials', 35: 'session_ticket', 41: 'pre_shared_key',
  42: 'early_data', 43: 'supported_versions', 44: 'cookie', 45: 'psk_key_exchange_modes',
  47: 'certificate_authorities', 49: 'post_handshake_auth', 50: 'signature_algorithms_cert',
  51: 'key_share', 57: 'quic_transport_parameters', 13172: 'next_protocol_negotiation',
  17513: 'application_settings', 0xfe0d: 'encrypted_client_hello', 0xff01: 'renegotiation_info',
};

function reverse(table: Readonly<Record<number, string>>): ReadonlyMap<string, number> {
  return new Map(Object.entries(table).map(([code, name]) => [name.toLowerCase(), Number(code)]));
}

export const GROUP_CODES = reverse(GROUP_NAMES);
export const SIGNATURE_SCHEME_CODES = reverse(SIGNATURE_SCHEME_NAMES);
export const EXTENSION_CODES = reverse(EXTENSION_NAMES);

/** GREASE values (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa; clients add them on purpose, they mean nothing. */
export function isGrease(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff);
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}

export function groupName(code: number): string {
  return GROUP_NAMES[code] ?? (isGrease(code) ? 'GREASE' : hex(code));
}

export function signatureSchemeName(code: number): string {
  return SIGNATURE_SCHEME_NAMES[code] ?? hex(code);
}

export function extensionName(code: number): string {
  return EXTENSION_NAMES[code] ?? (isGrease(code) ? 'GREASE' : hex(code));
}
