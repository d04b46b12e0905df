// Builds the certificate section from what the handshakes saw: the chain the server sent (raw
// TLS <= 1.2 Certificate message, else node:tls with an empty store), OpenSSL's verdict (node:tls
// with the full trust store), and our own structural checks.
import { X509Certificate } from 'node:crypto';
import { checkServerIdentity } from 'node:tls';
import { describeCertificate, subjectAltNames, weaknessesOf, type Weakness } from './cert-describe.js';
import { checkChain } from './chain-check.js';
import type { NodeHandshakeResult } from './node-handshake.js';
import type { CertificateReport } from './report-types.js';
import type { TrustStore } from './trust-store.js';

export interface CertificateInputs {
  address: string;
  servername?: string;
  /** DER chain exactly as sent, leaf first. */
  sent: Buffer[];
  chainSource: CertificateReport['chainSource'];
  /** The verifying node:tls handshake (full trust store). */
  verifying: NodeHandshakeResult | null;
  store: TrustStore;
  now: Date;
}

const DAY_MS = 86_400_000;

/**
 * What default clients refuse even when the chain verifies (OpenSSL 3 at its default security
 * level, Node, browsers): SHA-1 / MD5 / MD2 signatures below the root and keys under 2048 bits
 * (224 for EC). The verifying handshake itself runs at @SECLEVEL=0 so that old servers still hand
 * over their chain; its verdict is kept as `trustedLenient`.
 */
const STRICT: Readonly<Partial<Record<Weakness['code'], (position: number) => string>>> = {
  'md5-signature': () => 'CA_MD_TOO_WEAK',
  'md2-signature': () => 'CA_MD_TOO_WEAK',
  'sha1-signature': () => 'CA_MD_TOO_WEAK',
  'rsa-key-too-small': (p) => (p === 0 ? 'EE_KEY_TOO_SMALL' : 'CA_KEY_TOO_SMALL'),
  'dsa-key-too-small': (p) => (p === 0 ? 'EE_KEY_TOO_SMALL' : 'CA_KEY_TOO_SMALL'),
  'ec-key-too-small': (p) => (p === 0 ? 'EE_KEY_TOO_SMALL' : 'CA_KEY_TOO_SMALL'),
};

function refusedWeakness(weaknesses: readonly Weakness[]): { weakness: Weakness; error: string; reason: string } | undefined {
  for (const w of weaknesses) {
    const error = STRICT[w.code]?.(w.position);
    if (error) return { weakness: w, error, reason: `${w.detail} on ${w.position === 0 ? 'the leaf' : `chain certificate ${w.position}`} (${w.subject}): default clients refuse it` };
  }
  return undefined;
}

function hostnameVerdict(leafDer: Buffer, address: string, servername: string | undefined, sans: readonly string[]): Pick<CertificateReport, 'hostnameChecked' | 'hostnameMatches' | 'hostnameError'> {
  const host = servername ?? address;
  // IP-literal target and no IP SAN: whatever name clients use, we cannot know it. Not a mismatch.
  if (!servername && !sans.some((s) => s.startsWith('IP:'))) return { hostnameChecked: host, hostnameMatches: null };
  const legacy = new X509Certificate(leafDer).toLegacyObject();
  const err = checkServerIdentity(host, legacy);
  if (!err) return { hostnameChecked: host, hostnameMatches: true };
  return { hostnameChecked: host, hostnameMatches: false, hostnameError: (err as NodeJS.ErrnoException).code ?? err.message };
}

export function buildCertificateReport(i: CertificateInputs): CertificateReport | null {
  const leafDer = i.sent[0];
  if (!leafDer) return null;
  const chain = i.sent.map(describeCertificate);
  const leaf = chain[0];
  if (!leaf) return null;
  const sans = subjectAltNames(leafDer);
  const notAfter = Date.parse(leaf.notAfter);
  const notBefore = Date.parse(leaf.notBefore);
  const t = i.now.getTime();
  const check = checkChain(i.sent, i.store, i.now);
  const verified = i.verifying?.outcome === 'handshake' && i.verifying.authorized !== undefined;
  let trusted: boolean | null = null;
  let verifyError: string | null = null;
  let verifySource: CertificateReport['verifySource'] = null;
  if (verified && i.verifying) {
    trusted = i.verifying.authorized === true;
    verifyError = trusted ? null : (i.verifying.authorizationError ?? 'UNKNOWN');
    verifySource = 'openssl';
  } else if (check) {
    trusted = check.verifyError === null;
    verifyError = check.verifyError;
    verifySource = 'path-check';
  }
  const weaknesses = weaknessesOf(chain);
  const refused = refusedWeakness(weaknesses);
  const trustedLenient = trusted;
  if (trusted === true && refused) {
    trusted = false;
    verifyError = refused.error;
  }
  return {
    chainSource: i.chainSource,
    negotiatedProtocol: i.verifying?.protocol ?? null,
    subject: leaf.subject,
    issuer: leaf.issuer,
    sans,
    serial: leaf.serial,
    notBefore: leaf.notBefore,
    notAfter: leaf.notAfter,
    // Floor: a certificate expiring in 3 hours has 0 days left; one expired an hour ago has -1.
    daysLeft: Math.floor((notAfter - t) / DAY_MS),
    expired: notAfter < t,
    notYetValid: notBefore > t,
    selfSigned: leaf.selfSigned,
    ...hostnameVerdict(leafDer, i.address, i.servername, sans),
    chainComplete: check ? check.complete : null,
    chainShape: check ? check.shape : null,
    trusted,
    trustedLenient,
    ...(refused ? { weakReason: refused.reason } : {}),
    verifyError,
    verifySource,
    chain,
    weaknesses,
  };
}
