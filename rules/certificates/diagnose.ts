import type { RuleEngine } from '../engine/rule-engine.js';
import { CERTIFICATE_CONTEXT_SIGNALS, certificateSignals, type CertificateDetail, type CertificateDiagnosis, type CertificateObservation } from './signals.js';
import type { GroupFacts } from '../logs/fact-buckets.js';
import { primaryOf, warningsOf } from '../engine/verdict.js';

const CONTEXT: readonly string[] = CERTIFICATE_CONTEXT_SIGNALS;

/** Diagnoses certificates with the same engine as logs and probes: primary cause, others, warnings. */
export async function diagnoseCertificates(observation: CertificateObservation, engine: RuleEngine): Promise<CertificateDiagnosis> {
  const signals = certificateSignals(observation);
  // No vantage: a certificate file was written by no side of a handshake; the role signals say whose it is.
  const facts: GroupFacts = { signals, vantage: 'unknown', sources: ['certificate'], causalSignals: signals.filter((s) => !CONTEXT.includes(s)).length };
  const verdict = await engine.evaluateAll(facts);
  const leaf = observation.certificates.find((c) => c.position === observation.chain.leaf);
  const fill = placeholders(observation, leaf);
  const details = {
    certificates: [...observation.certificates],
    certificateChain: {
      ...observation.chain,
      name: observation.name,
      format: observation.format,
      observedAt: observation.observedAt,
      role: observation.role,
      ...(observation.declaredRole ? { declaredRole: observation.declaredRole } : {}),
    },
  };
  const warnings = warningsOf(verdict.warnings, fill);
  const flags = { vantage: 'unknown' as const, redHerringPresent: false, redHerringOnly: false, evidence: [] };
  const extraSteps = [
    ...(observation.format.startsWith('pkcs7') ? [`For the openssl commands, PKCS#7 to PEM: ${fill(`openssl pkcs7 ${observation.format === 'pkcs7-der' ? '-inform DER ' : ''}-print_certs -in {name} -out chain.pem`)}`] : []),
    ...(observation.format === 'der' ? [`For the openssl commands, DER to PEM: ${fill('openssl x509 -inform DER -in {name} -out cert.pem')}`] : []),
    ...(observation.chain.orderOk ? [] : [`Reorder ${observation.name}: leaf first, then each certificate's issuer (some servers and clients send the file as it is)`]),
  ];
  const primary = primaryOf(verdict.diagnoses, fill);
  if (!primary) {
    return {
      cause: 'healthy',
      team: 'none',
      title: `${leaf?.subject || 'The certificate'}: valid and trusted, nothing to fix`,
      explanation: `${describeLeaf(leaf)} verifies against the trust store (${observation.chain.anchor ?? 'its own root'}) and is within its validity period.${warnings.length > 0 ? ' The warnings below still deserve a ticket.' : ''}`,
      ...flags,
      nextSteps: extraSteps,
      warnings,
      others: [],
      ...details,
    };
  }
  return { ...primary, ...flags, nextSteps: [...extraSteps, ...primary.nextSteps], warnings, ...details };
}

function placeholders(o: CertificateObservation, leaf: CertificateDetail | undefined): (text: string) => string {
  const values: Record<string, string> = {
    subject: leaf?.subject || '(empty subject)',
    issuer: leaf?.issuer ?? '',
    notAfter: leaf?.notAfter ?? '',
    missing: o.chain.missing.join(', ') || '(unknown)',
    // The CA the path leads to: its missing root, else the last certificate on it.
    top: o.chain.missing[0] ?? o.certificates.find((c) => c.position === o.chain.path[o.chain.path.length - 1])?.subject ?? '',
    verifyError: o.chain.verifyError ?? 'verified',
    // A name with spaces or quotes must still paste into a shell as one argument.
    name: /^[\w./:@+-]+$/.test(o.name) ? o.name : `'${o.name.replace(/'/g, `'\\''`)}'`,
  };
  return (text) => text.replace(/\{(subject|issuer|notAfter|missing|top|verifyError|name)\}/g, (_, key: string) => values[key] ?? '');
}

function describeLeaf(leaf: CertificateDetail | undefined): string {
  if (!leaf) return 'The certificate';
  return `${leaf.subject} (issued by ${leaf.issuer}, ${leaf.daysLeft} days left)`;
}
