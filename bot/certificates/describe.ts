// One certificate's details for the certificate observation: the probe's description (names,
// validity, key, signature algorithm) plus what matters for a file someone hands over: key usage,
// extended key usage and whether it is a CA.
import type { CertificateDetail } from '../../rules/index.js';
import { describeCertificate, subjectAltNames, toArrayBuffer, type ChainEntry } from '../probe/cert-describe.js';
import { x509 } from '../probe/x509.js';

const DAY_MS = 86_400_000;

/** RFC 5280 keyUsage bits in their order, by the names OpenSSL's config files use. */
const KEY_USAGE_NAMES: readonly [number, string][] = [
  [x509.KeyUsageFlags.digitalSignature, 'digitalSignature'],
  [x509.KeyUsageFlags.nonRepudiation, 'nonRepudiation'],
  [x509.KeyUsageFlags.keyEncipherment, 'keyEncipherment'],
  [x509.KeyUsageFlags.dataEncipherment, 'dataEncipherment'],
  [x509.KeyUsageFlags.keyAgreement, 'keyAgreement'],
  [x509.KeyUsageFlags.keyCertSign, 'keyCertSign'],
  [x509.KeyUsageFlags.cRLSign, 'cRLSign'],
  [x509.KeyUsageFlags.encipherOnly, 'encipherOnly'],
  [x509.KeyUsageFlags.decipherOnly, 'decipherOnly'],
];

const EKU_NAMES: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

export type DescribedCertificate = Omit<CertificateDetail, 'weaknesses'> & { readonly entry: ChainEntry };

export function describeForFile(der: Buffer, position: number, now: Date): DescribedCertificate {
  const entry = describeCertificate(der);
  const pec = new x509.X509Certificate(toArrayBuffer(der));
  const ku = pec.getExtension(x509.KeyUsagesExtension);
  const eku = pec.getExtension(x509.ExtendedKeyUsageExtension);
  const basic = pec.getExtension(x509.BasicConstraintsExtension);
  const notAfter = Date.parse(entry.notAfter);
  const notBefore = Date.parse(entry.notBefore);
  const t = now.getTime();
  return {
    entry,
    position,
    subject: entry.subject,
    issuer: entry.issuer,
    sans: subjectAltNames(der),
    serial: entry.serial.toUpperCase(),
    notBefore: entry.notBefore,
    notAfter: entry.notAfter,
    // Floor, as the probe does: 3 hours left is 0 days, expired an hour ago is -1.
    daysLeft: Math.floor((notAfter - t) / DAY_MS),
    expired: notAfter < t,
    notYetValid: notBefore > t,
    keyType: entry.keyType,
    keyBits: entry.keyBits,
    ...(entry.curve ? { curve: entry.curve } : {}),
    signatureAlgorithm: entry.signatureAlgorithm,
    keyUsage: ku ? KEY_USAGE_NAMES.filter(([bit]) => (ku.usages & bit) !== 0).map(([, name]) => name) : [],
    extKeyUsage: eku ? eku.usages.map((u) => EKU_NAMES[String(u)] ?? String(u)) : null,
    selfSigned: entry.selfSigned,
    isCa: basic?.ca === true,
    fingerprintSha256: entry.fingerprintSha256,
  };
}
