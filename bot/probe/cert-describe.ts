// Per-certificate facts: names, validity, key, signature algorithm and their weaknesses.
// node:crypto X509Certificate supplies key details and issuance checks; @peculiar/x509 supplies
// what Node does not expose (signature algorithm, structured SANs, RFC 4514 names).
import { X509Certificate as NodeX509 } from 'node:crypto';
import { x509 } from './x509.js';

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

/** Signature OIDs that WebCrypto (hence @peculiar/x509) cannot name. */
const OID_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '2.16.840.1.101.3.4.3.1': 'dsa-with-SHA224',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-SHA256',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

const CURVE_BITS: Readonly<Record<string, number>> = {
  prime192v1: 192, secp224r1: 224, prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256,
  brainpoolP256r1: 256, brainpoolP384r1: 384, brainpoolP512r1: 512, 'P-256': 256, 'P-384': 384, 'P-521': 521,
};

function hashTag(h: string): string {
  return h.toLowerCase().replace('-', '');
}

export function signatureAlgorithmName(cert: InstanceType<typeof x509.X509Certificate>): string {
  let alg: { name: string; hash?: { name: string } };
  try {
    alg = cert.signatureAlgorithm as { name: string; hash?: { name: string } };
  } catch {
    return 'unknown';
  }
  const hash = alg.hash?.name;
  if (alg.name === 'RSASSA-PKCS1-v1_5' && hash) return `${hashTag(hash)}WithRSAEncryption`;
  if (alg.name === 'ECDSA' && hash) return `ecdsa-with-${hash.replace('-', '')}`;
  if (alg.name === 'RSA-PSS') return `rsassaPss${hash ? `-${hashTag(hash)}` : ''}`;
  if (alg.name === 'Ed25519' || alg.name === 'Ed448') return alg.name.toUpperCase();
  return OID_NAMES[alg.name] ?? alg.name;
}

/** Self-signed means issued by itself AND its own key verifies the signature (not just equal DNs). */
export function isSelfSigned(cert: NodeX509): boolean {
  try {
    return cert.checkIssued(cert) && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

export function describeCertificate(der: Buffer): ChainEntry {
  const node = new NodeX509(der);
  const pec = new x509.X509Certificate(toArrayBuffer(der));
  const key = node.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const type = key.asymmetricKeyType ?? 'unknown';
  let keyBits: number | null = details.modulusLength ?? null;
  if (type === 'ec') keyBits = CURVE_BITS[details.namedCurve ?? ''] ?? null;
  if (type === 'ed25519') keyBits = 253;
  if (type === 'ed448') keyBits = 456;
  const entry: ChainEntry = {
    subject: pec.subject,
    issuer: pec.issuer,
    serial: node.serialNumber,
    notBefore: new Date(node.validFrom).toISOString(),
    notAfter: new Date(node.validTo).toISOString(),
    selfSigned: isSelfSigned(node),
    keyType: type,
    keyBits,
    signatureAlgorithm: signatureAlgorithmName(pec),
    fingerprintSha256: node.fingerprint256,
  };
  if (details.namedCurve) entry.curve = details.namedCurve;
  return entry;
}

/** Subject alternative names as "DNS:x" / "IP:y" / "URI:z" / "email:w" strings. */
export function subjectAltNames(der: Buffer): string[] {
  const pec = new x509.X509Certificate(toArrayBuffer(der));
  const ext = pec.getExtension(x509.SubjectAlternativeNameExtension);
  if (!ext) return [];
  const label: Record<string, string> = { dns: 'DNS', ip: 'IP', url: 'URI', email: 'email', upn: 'UPN', guid: 'GUID' };
  return ext.names.items.map((n) => `${label[n.type] ?? n.type}:${n.value}`);
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
