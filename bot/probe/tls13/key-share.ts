// TLS 1.3 (EC)DHE key shares from node:crypto: X25519 / X448 (raw 32 / 56-byte public values, RFC
// 7748) and the NIST curves (uncompressed points, RFC 8446 §4.2.8.2). The shared secret of a NIST
// curve is the x coordinate, which is what ECDH.computeSecret returns.
import { createECDH, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface KeyShare {
  readonly group: number;
  /** The public value as it goes in key_share. */
  readonly publicValue: Buffer;
  /** The shared secret with the server's public value; throws on a malformed one. */
  secret(serverValue: Buffer): Buffer;
}

/** SPKI DER prefixes of the Montgomery curves: the raw public value follows. */
const MONTGOMERY: Readonly<Record<number, { type: 'x25519' | 'x448'; spki: Buffer }>> = {
  29: { type: 'x25519', spki: Buffer.from('302a300506032b656e032100', 'hex') },
  30: { type: 'x448', spki: Buffer.from('3042300506032b656f033900', 'hex') },
};

const NIST: Readonly<Record<number, string>> = { 23: 'prime256v1', 24: 'secp384r1', 25: 'secp521r1' };

/** Groups this module can finish a key exchange for (ffdhe is not offered for the full read). */
export const KEY_SHARE_GROUPS: readonly number[] = [29, 23, 24, 25, 30];

function montgomery(group: number, m: { type: 'x25519' | 'x448'; spki: Buffer }): KeyShare {
  // The overloads of generateKeyPairSync want a literal type; both branches give KeyObjects.
  const pair: { publicKey: KeyObject; privateKey: KeyObject } = m.type === 'x25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('x448');
  const spki = pair.publicKey.export({ format: 'der', type: 'spki' });
  return {
    group,
    publicValue: Buffer.from(spki.subarray(m.spki.length)),
    secret(serverValue) {
      const publicKey = createPublicKey({ key: Buffer.concat([m.spki, serverValue]), format: 'der', type: 'spki' });
      return diffieHellman({ privateKey: pair.privateKey, publicKey });
    },
  };
}

/** A fresh key share for `group`, or undefined when node:crypto cannot do that group here. */
export function createKeyShare(group: number): KeyShare | undefined {
  const m = MONTGOMERY[group];
  if (m) return montgomery(group, m);
  const curve = NIST[group];
  if (!curve) return undefined;
  const ecdh = createECDH(curve);
  const publicValue = ecdh.generateKeys();
  return { group, publicValue, secret: (serverValue) => ecdh.computeSecret(serverValue) };
}
