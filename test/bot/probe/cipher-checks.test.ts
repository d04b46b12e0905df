import { describe, expect, it } from 'vitest';
import { weakCipherReason } from '../../../bot/probe/cipher-checks.js';
import { CIPHER_SUITE_ROWS } from '../../../bot/probe/cipher-suites.data.js';

describe('weakCipherReason over the whole suite table', () => {
  it('names each weak family and nothing modern', () => {
    expect(weakCipherReason('TLS_RSA_WITH_RC4_128_SHA')).toBe('RC4');
    expect(weakCipherReason('TLS_RSA_WITH_3DES_EDE_CBC_SHA')).toBe('3DES');
    expect(weakCipherReason('TLS_RSA_EXPORT_WITH_RC4_40_MD5')).toBe('EXPORT');
    expect(weakCipherReason('TLS_DH_anon_WITH_AES_128_GCM_SHA256')).toBe('anonymous');
    expect(weakCipherReason('TLS_ECDHE_RSA_WITH_NULL_SHA')).toBe('NULL');
    expect(weakCipherReason('TLS_RSA_WITH_DES_CBC_SHA')).toBe('DES');
    for (const modern of ['TLS_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_256_CBC_SHA', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256']) {
      expect(weakCipherReason(modern)).toBeUndefined();
    }
    // Every table row whose OpenSSL name says RC4 / DES-CBC3 / NULL / ADH / EXP is classified weak.
    for (const [, iana, openssl] of CIPHER_SUITE_ROWS) {
      if (/RC4|DES-CBC3|^NULL|-NULL-|^ADH|^AECDH|^EXP/.test(openssl)) expect(weakCipherReason(iana), `${openssl} ${iana}`).toBeDefined();
    }
  });
});
