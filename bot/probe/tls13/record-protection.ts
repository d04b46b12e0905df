// TLS 1.3 record decryption (RFC 8446 §5.2-5.3) with the AEADs of the five TLS 1.3 suites, all
// from node:crypto. The per-record nonce is the IV XOR the 64-bit sequence number; the additional
// data is the record header; the inner plaintext ends with the real content type, then zeros.
import { createDecipheriv, type CipherCCMTypes, type CipherGCMTypes } from 'node:crypto';
import type { HashName, TrafficKeys } from './key-schedule.js';

export interface Tls13Suite {
  readonly code: number;
  readonly hash: HashName;
  readonly cipher: CipherGCMTypes | CipherCCMTypes | 'chacha20-poly1305';
  readonly keyLength: number;
  readonly tagLength: number;
}

export const TLS13_SUITES: Readonly<Record<number, Tls13Suite>> = {
  0x1301: { code: 0x1301, hash: 'sha256', cipher: 'aes-128-gcm', keyLength: 16, tagLength: 16 },
  0x1302: { code: 0x1302, hash: 'sha384', cipher: 'aes-256-gcm', keyLength: 32, tagLength: 16 },
  0x1303: { code: 0x1303, hash: 'sha256', cipher: 'chacha20-poly1305', keyLength: 32, tagLength: 16 },
  0x1304: { code: 0x1304, hash: 'sha256', cipher: 'aes-128-ccm', keyLength: 16, tagLength: 16 },
  0x1305: { code: 0x1305, hash: 'sha256', cipher: 'aes-128-ccm', keyLength: 16, tagLength: 8 },
};

export interface InnerPlaintext {
  contentType: number;
  content: Buffer;
}

/** Decrypts the records of one direction in order; throws when a record does not authenticate. */
export class RecordDecrypter {
  private sequence = 0n;

  constructor(private readonly suite: Tls13Suite, private readonly keys: TrafficKeys) {}

  decrypt(header: Buffer, payload: Buffer): InnerPlaintext {
    if (payload.length < this.suite.tagLength + 1) throw new Error('record shorter than its tag');
    const nonce = Buffer.from(this.keys.iv);
    const seq = Buffer.alloc(8);
    seq.writeBigUInt64BE(this.sequence++);
    for (let i = 0; i < 8; i++) nonce[4 + i] = (nonce[4 + i] ?? 0) ^ (seq[i] ?? 0);
    const ciphertext = payload.subarray(0, payload.length - this.suite.tagLength);
    const tag = payload.subarray(payload.length - this.suite.tagLength);
    const decipher = createDecipheriv(this.suite.cipher as CipherGCMTypes, this.keys.key, nonce, { authTagLength: this.suite.tagLength });
    decipher.setAuthTag(tag);
    decipher.setAAD(header, { plaintextLength: ciphertext.length });
    const plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    if (end < 0) throw new Error('record with no content type');
    return { contentType: plain[end] ?? 0, content: plain.subarray(0, end) };
  }
}
