import type { Diagnosis } from '../types.js';

// Certificates pasted or uploaded are evidence too. bot/certificates reads them (PEM, DER,
// PKCS#7), checks the chain against the trust store and reduces what it saw to this observation;
// the observation becomes signals, and the same engine and rule files (catalog/certificate-file.json)
// turn them into the cause ids a log or a probe of the same problem would give.

/** Which side of a handshake presents the certificate, as far as its extended key usage tells. */
export type CertificateRole = 'server' | 'client' | 'unknown';

export interface CertificateWeakness {
  /** e.g. sha1-signature, rsa-key-too-small (bot/probe/cert-describe.ts WeaknessCode). */
  readonly code: string;
  readonly detail: string;
}

/** One certificate as read from the input. */
export interface CertificateDetail {
  /** 1-based position in the input as given. */
  readonly position: number;
  readonly subject: string;
  readonly issuer: string;
  /** "DNS:x", "IP:y", "email:z", "URI:w". */
  readonly sans: readonly string[];
  /** Upper-case hex, as `openssl x509 -serial` prints it. */
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** Whole days left when observed (floor); negative once expired. */
  readonly daysLeft: number;
  readonly expired: boolean;
  readonly notYetValid: boolean;
  readonly keyType: string;
  /** RSA/DSA modulus bits, EC curve size; null when unknown. */
  readonly keyBits: number | null;
  readonly curve?: string;
  readonly signatureAlgorithm: string;
  /** keyUsage bits by their RFC 5280 names; empty when the extension is absent. */
  readonly keyUsage: readonly string[];
  /** serverAuth, clientAuth, ... (an OID when unnamed); null when the extension is absent (any use). */
  readonly extKeyUsage: readonly string[] | null;
  readonly selfSigned: boolean;
  readonly isCa: boolean;
  readonly fingerprintSha256: string;
  readonly weaknesses: readonly CertificateWeakness[];
}

/** What the chain check found, the way `openssl verify` would see the input. */
export interface ChainFacts {
  /** Position of the certificate the input is about: the one that issued none of the others. */
  readonly leaf: number;
  /** Positions from the leaf up through its issuers found in the input. */
  readonly path: readonly number[];
  /** True when the path is given leaf first, each certificate followed by its issuer. */
  readonly orderOk: boolean;
  /** True when the path reaches a self-signed certificate or a trust anchor. */
  readonly complete: boolean;
  /** Issuer names the path needs that are neither in the input nor in the trust store. */
  readonly missing: readonly string[];
  /** Subject of the trust-store certificate the path ends on, null when none. */
  readonly anchor: string | null;
  readonly trusted: boolean;
  /** OpenSSL verify error name (UNABLE_TO_GET_ISSUER_CERT_LOCALLY, CERT_HAS_EXPIRED...), null when trusted. */
  readonly verifyError: string | null;
  /** Positions of certificates in the input that are not on the leaf's path. */
  readonly unrelated: readonly number[];
}

export interface CertificateObservation {
  /** File name, or "paste". */
  readonly name: string;
  /** PEM certificates, one DER certificate, or a PKCS#7 bundle (.p7b) in PEM or DER. */
  readonly format: 'pem' | 'der' | 'pkcs7-pem' | 'pkcs7-der';
  /** ISO time the certificates were checked: daysLeft and expiry are as of then. */
  readonly observedAt: string;
  /** From the leaf's extended key usage. */
  readonly role: CertificateRole;
  /** What the user said the certificate is for (a CLI flag, words in the message), when they did. */
  readonly declaredRole?: 'server' | 'client';
  readonly certificates: readonly CertificateDetail[];
  readonly chain: ChainFacts;
}

/** Every signal a certificate observation can emit; rule files may reference them. */
export const CERTIFICATE_SIGNALS = [
  'cert.expired', 'cert.not-yet-valid', 'cert.issuer-expired', 'cert.expiring-soon', 'cert.chain-incomplete',
  'cert.untrusted', 'cert.weak', 'cert.client-without-clientauth', 'cert.chain-out-of-order',
] as const;
/** Say what the certificate is, never what is wrong: they cannot be a root cause on their own. */
export const CERTIFICATE_CONTEXT_SIGNALS = ['cert.role-client', 'cert.role-server', 'cert.self-signed', 'cert.ca'] as const;

type CertificateSignal = (typeof CERTIFICATE_SIGNALS)[number] | (typeof CERTIFICATE_CONTEXT_SIGNALS)[number];

const EXPIRY_WARNING_DAYS = 30;

/** The role the diagnosis speaks for: what the user said, else what the key usage says. */
export function effectiveRole(o: CertificateObservation): CertificateRole {
  return o.declaredRole ?? o.role;
}

export function certificateSignals(o: CertificateObservation): string[] {
  const signals = new Set<CertificateSignal>();
  const at = (position: number): CertificateDetail | undefined => o.certificates.find((c) => c.position === position);
  const leaf = at(o.chain.leaf);
  if (!leaf) return [];
  const path = o.chain.path.map(at).filter((c): c is CertificateDetail => c !== undefined);
  const role = effectiveRole(o);
  if (role === 'client') signals.add('cert.role-client');
  if (role === 'server') signals.add('cert.role-server');
  if (leaf.selfSigned) signals.add('cert.self-signed');
  if (leaf.isCa) signals.add('cert.ca');
  if (leaf.expired) signals.add('cert.expired');
  if (leaf.notYetValid) signals.add('cert.not-yet-valid');
  if (path.slice(1).some((c) => c.expired || c.notYetValid)) signals.add('cert.issuer-expired');
  if (path.some((c) => !c.expired && !c.notYetValid && c.daysLeft < EXPIRY_WARNING_DAYS)) signals.add('cert.expiring-soon');
  // A path that stops at a leaf lacks an intermediate (the server must send it); one that stops at a
  // CA lacks only its root, which servers need not send: that root is simply not trusted here.
  const tip = path[path.length - 1] ?? leaf;
  if (!o.chain.complete && !tip.isCa) signals.add('cert.chain-incomplete');
  else if (o.chain.anchor === null) signals.add('cert.untrusted');
  if (path.some((c) => c.weaknesses.length > 0)) signals.add('cert.weak');
  // No extended key usage at all means any use; a list without clientAuth (or anyExtendedKeyUsage) forbids it.
  const eku = leaf.extKeyUsage;
  if (role === 'client' && eku !== null && !eku.includes('clientAuth') && !eku.includes('anyExtendedKeyUsage')) signals.add('cert.client-without-clientauth');
  if (!o.chain.orderOk) signals.add('cert.chain-out-of-order');
  return [...signals].sort();
}

/** A certificate diagnosis carries what was read, for the JSON output and the text rendering. */
export type CertificateDiagnosis = Diagnosis & {
  certificates: CertificateDetail[];
  certificateChain: ChainFacts & Pick<CertificateObservation, 'name' | 'format' | 'observedAt' | 'role' | 'declaredRole'>;
};
