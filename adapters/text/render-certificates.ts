import type { CertificateDetail, CertificateDiagnosis, Diagnosis } from '../../rules/index.js';

// Text rendering of certificate evidence: each certificate as `openssl x509 -text` would make
// someone look for it (names, serial, dates, key, usages), then the chain as `openssl verify` sees
// it. The CLI and chat replies put it above the diagnosis in its usual form.

export function hasCertificates(d: Diagnosis): d is CertificateDiagnosis {
  return 'certificates' in d && 'certificateChain' in d;
}

export function renderCertificateDetails(d: CertificateDiagnosis): string {
  const chain = d.certificateChain;
  const role = chain.declaredRole ? `${chain.declaredRole} (as you said; key usage says ${chain.role})` : `${chain.role} (by its extended key usage)`;
  const out: string[] = [`Certificates in ${chain.name}: ${d.certificates.length} (${chain.format}); role: ${role}`];
  for (const c of d.certificates) out.push(...describe(c, c.position === chain.leaf));
  const at = (p: number): string => `#${p}`;
  const top = chain.anchor ? `trust store: ${chain.anchor}` : chain.complete ? 'self-signed, not in the trust store' : `missing: ${chain.missing.join(', ')}`;
  out.push('', `  chain: ${[...chain.path.map(at), `(${top})`].join(' -> ')}`);
  out.push(`  order: ${chain.orderOk ? 'ok (leaf first, each followed by its issuer)' : 'WRONG: the leaf must come first, each certificate followed by its issuer'}`);
  out.push(`  verify: ${chain.trusted ? 'OK' : `failed: ${chain.verifyError ?? 'unknown'}`} (as of ${chain.observedAt})`);
  if (chain.unrelated.length > 0) out.push(`  not on the leaf's chain: ${chain.unrelated.map(at).join(', ')}`);
  return out.join('\n');
}

function describe(c: CertificateDetail, leaf: boolean): string[] {
  const flags = [leaf ? 'leaf' : undefined, c.isCa ? 'CA' : undefined, c.selfSigned ? 'self-signed' : undefined].filter(Boolean);
  const validity = c.expired ? `EXPIRED ${-c.daysLeft} days ago` : c.notYetValid ? 'NOT YET VALID' : `${c.daysLeft} days left`;
  const key = `${c.keyType}${c.keyBits !== null ? ` ${c.keyBits} bits` : ''}${c.curve ? ` (${c.curve})` : ''}`;
  const lines = [
    '',
    `  #${c.position} ${c.subject || '(empty subject)'}${flags.length > 0 ? `  [${flags.join(', ')}]` : ''}`,
    `     issuer: ${c.issuer}`,
    `     serial: ${c.serial}`,
    `     names: ${c.sans.join(', ') || '(none)'}`,
    `     valid: ${c.notBefore} to ${c.notAfter} (${validity})`,
    `     key: ${key}; signature: ${c.signatureAlgorithm}`,
    `     key usage: ${c.keyUsage.join(', ') || '(any)'}; extended: ${c.extKeyUsage === null ? '(any)' : c.extKeyUsage.join(', ') || '(none)'}`,
    `     sha256: ${c.fingerprintSha256}`,
  ];
  if (c.weaknesses.length > 0) lines.push(`     weak: ${c.weaknesses.map((w) => w.detail).join('; ')}`);
  return lines;
}
