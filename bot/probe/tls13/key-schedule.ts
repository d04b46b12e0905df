// The TLS 1.3 key schedule up to the server's handshake traffic keys (RFC 8446 §7.1, §7.3), with
// HKDF (RFC 5869) built on node:crypto HMAC: hkdfSync does extract and expand in one step, and
// TLS 1.3 needs them apart.
import { createHash, createHmac } from 'node:crypto';

export type HashName = 'sha256' | 'sha384';

export function hkdfExtract(hash: HashName, salt: Buffer, ikm: Buffer): Buffer {
  return createHmac(hash, salt).update(ikm).digest();
}

export function hkdfExpand(hash: HashName, prk: Buffer, info: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1, have = 0; have < length; i++) {
    previous = createHmac(hash, prk).update(Buffer.concat([previous, info, Buffer.from([i])])).digest();
    blocks.push(previous);
    have += previous.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** HKDF-Expand-Label: struct { uint16 length; opaque label<7..255>; opaque context<0..255>; }. */
export function expandLabel(hash: HashName, secret: Buffer, label: string, context: Buffer, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'ascii');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([context.length]), context]);
  return hkdfExpand(hash, secret, info, length);
}

export function transcriptHash(hash: HashName, messages: readonly Buffer[]): Buffer {
  const h = createHash(hash);
  for (const m of messages) h.update(m);
  return h.digest();
}

/** The server's handshake traffic secret from the (EC)DHE secret and the hash of ClientHello..ServerHello. */
export function serverHandshakeSecret(hash: HashName, sharedSecret: Buffer, helloHash: Buffer): Buffer {
  const zeros = Buffer.alloc(createHash(hash).digest().length);
  const early = hkdfExtract(hash, zeros, zeros);
  const derived = expandLabel(hash, early, 'derived', createHash(hash).digest(), zeros.length);
  const handshake = hkdfExtract(hash, derived, sharedSecret);
  return expandLabel(hash, handshake, 's hs traffic', helloHash, zeros.length);
}

export interface TrafficKeys {
  key: Buffer;
  iv: Buffer;
}

export function trafficKeys(hash: HashName, secret: Buffer, keyLength: number): TrafficKeys {
  return { key: expandLabel(hash, secret, 'key', Buffer.alloc(0), keyLength), iv: expandLabel(hash, secret, 'iv', Buffer.alloc(0), 12) };
}
