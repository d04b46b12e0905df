// Per-certificate facts: names, validity, key, signature algorithm and their weaknesses.
// node:crypto X509Certificate supplies key details and issuance checks; der.ts reads what Node 20
// does not expose (signature algorithm, structured SANs, RFC 4514 names).
import { X509Certificate as NodeX509 } from 'node:crypto';
import { certificateParts, children, nameToString, readTlv, type CertificateParts } from './der.js';

export interface ChainEntry {
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  selfSigned: boolean;
  keyType: string;
  /** RSA/DSA modulus bits, EC curve size, 253/456 for Ed25519/Ed448; null when unknown. */
  keyBits: number | null;
  curve?: string;
  signatureAlgorithm: string;
  fingerprintSha256: string;
}

export type WeaknessCode = 'md5-signature' | 'md2-signature' | 'sha1-signature' | 'rsa-key-too-small' | 'dsa-key-too-small' | 'ec-key-too-small' | 'dsa-key';

export interface Weakness {
  code: WeaknessCode;
  /** Index in `chain` (0 = leaf). */
  position: number;
  subject: string;
  detail: string;
}

/** @peculiar/x509 wants a plain ArrayBuffer (not a possibly shared Buffer view). */
export function toArrayBuffer(b: Buffer): ArrayBuffer {
  const out = new ArrayBuffer(b.length);
  new Uint8Array(out).set(b);
  return out;
}

/** Signature algorithm OIDs and the names OpenSSL gives them. */
const SIGNATURE_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '2.16.840.1.101.3.4.3.1': 'dsa-with-SHA224',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-SHA256',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

const HASH_NAMES: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.4': 'sha224',
};

const CURVE_BITS: Readonly<Record<string, number>> = {
  prime192v1: 192, secp224r1: 224, prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256,
  brainpoolP256r1: 256, brainpoolP384r1: 384, brainpoolP512r1: 512, 'P-256': 256, 'P-384': 384, 'P-521': 521,
};

export function signatureAlgorithmName(parts: CertificateParts): string {
  if (parts.signatureOid === '1.2.840.113549.1.1.10') return `rsassaPss-${HASH_NAMES[parts.pssHashOid ?? '1.3.14.3.2.26'] ?? parts.pssHashOid}`;
  return SIGNATURE_NAMES[parts.signatureOid] ?? parts.signatureOid;
}

/**
 * Self-signed: subject and issuer are the same name AND its own key verifies the signature. Not
 * checkIssued(itself): OpenSSL's issuer check also wants keyCertSign, which a self-signed server
 * certificate with a plain digitalSignature key usage (a common profile) does not have.
 */
export function isSelfSigned(cert: NodeX509): boolean {
  try {
    return cert.subject === cert.issuer && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

export function describeCertificate(der: Buffer): ChainEntry {
  const node = new NodeX509(der);
  const parts = certificateParts(der);
  const key = node.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const type = key.asymmetricKeyType ?? 'unknown';
  let keyBits: number | null = details.modulusLength ?? null;
  if (type === 'ec') keyBits = CURVE_BITS[details.namedCurve ?? ''] ?? null;
  if (type === 'ed25519') keyBits = 253;
  if (type === 'ed448') keyBits = 456;
  const entry: ChainEntry = {
    subject: nameToString(parts.subject),
    issuer: nameToString(parts.issuer),
    serial: node.serialNumber,
    notBefore: new Date(node.validFrom).toISOString(),
    notAfter: new Date(node.validTo).toISOString(),
    selfSigned: isSelfSigned(node),
    keyType: type,
    keyBits,
    signatureAlgorithm: signatureAlgorithmName(parts),
    fingerprintSha256: node.fingerprint256,
  };
  if (details.namedCurve) entry.curve = details.namedCurve;
  return entry;
}

/** Subject alternative names as "DNS:x" / "IP:y" / "URI:z" / "email:w" strings (RFC 5280 GeneralName). */
export function subjectAltNames(der: Buffer): string[] {
  const ext = certificateParts(der).extensions.get('2.5.29.17');
  if (!ext) return [];
  const out: string[] = [];
  let names: ReturnType<typeof children>;
  try {
    names = children(readTlv(ext).value);
  } catch {
    return ['(unreadable subjectAltName)']; // malformed extension: said, not thrown
  }
  for (const name of names) {
    if (name.tag === 0x82) out.push(`DNS:${name.value.toString('latin1')}`);
    else if (name.tag === 0x81) out.push(`email:${name.value.toString('latin1')}`);
    else if (name.tag === 0x86) out.push(`URI:${name.value.toString('latin1')}`);
    else if (name.tag === 0x87) out.push(`IP:${ipText(name.value)}`);
  }
  return out;
}

function ipText(b: Buffer): string {
  if (b.length === 4) return [...b].join('.');
  if (b.length !== 16) return b.toString('hex');
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(b.readUInt16BE(i).toString(16));
  // The URL parser writes the canonical, compressed IPv6 form (RFC 5952).
  return new URL(`http://[${words.join(':')}]/`).hostname.slice(1, -1);
}

export function weaknessesOf(chain: readonly ChainEntry[]): Weakness[] {
  const out: Weakness[] = [];
  chain.forEach((c, position) => {
    const add = (code: WeaknessCode, detail: string): void => void out.push({ code, position, subject: c.subject, detail });
    // A trust anchor's self-signature is never checked by clients, so its hash does not matter.
    if (!(c.selfSigned && position > 0)) {
      const s = c.signatureAlgorithm.toLowerCase();
      if (s.startsWith('md5')) add('md5-signature', c.signatureAlgorithm);
      else if (s.startsWith('md2')) add('md2-signature', c.signatureAlgorithm);
      else if (s.includes('sha1')) add('sha1-signature', c.signatureAlgorithm);
    }
    if ((c.keyType === 'rsa' || c.keyType === 'rsa-pss') && c.keyBits !== null && c.keyBits < 2048) add('rsa-key-too-small', `RSA ${c.keyBits} bits < 2048`);
    if (c.keyType === 'dsa') {
      add('dsa-key', 'DSA keys are deprecated and unsupported by TLS 1.3');
      if (c.keyBits !== null && c.keyBits < 2048) add('dsa-key-too-small', `DSA ${c.keyBits} bits < 2048`);
    }
    if (c.keyType === 'ec' && c.keyBits !== null && c.keyBits < 224) add('ec-key-too-small', `EC ${c.curve ?? ''} ${c.keyBits} bits < 224`.replace('  ', ' '));
  });
  return out;
}
