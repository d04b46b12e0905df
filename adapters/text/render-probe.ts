import type { ProbeJson } from '../../bot/probe/probe-json.js';
import { renderDiagnosisText } from './render-diagnosis.js';

/** Terminal rendering of a probe: what was found, then the diagnosis in the usual form. */
export function renderProbeText(p: ProbeJson): string {
  const out: string[] = [`Probe of ${p.target}${p.addresses.length > 0 ? ` (${p.addresses.join(', ')})` : ''} in ${p.durationMs} ms`];
  const accepted = Object.entries(p.protocols).filter(([, ok]) => ok).map(([name]) => name);
  if (p.starttls) out.push(`  upgrade to TLS: ${p.starttls}${p.starttlsError ? ` FAILED (${p.starttlsError.reason}): ${p.starttlsError.message}` : ' (STARTTLS) ok'}`);
  if (p.service) out.push(`  the port speaks ${p.service.protocol} (${p.service.banner}): its TLS is probed with ${p.service.suggestedTarget}`);
  if (p.reachable) {
    out.push(`  speaks TLS: ${p.speaksTls === null ? 'unknown' : p.speaksTls ? 'yes' : 'no'}`);
    out.push(`  protocols accepted: ${accepted.length > 0 ? accepted.join(', ') : 'none'}`);
  }
  if (p.ciphers) {
    for (const [protocol, suites] of Object.entries(p.ciphers)) {
      if (Array.isArray(suites)) out.push(`  ${protocol} ciphers: ${suites.map((s) => s.openssl ?? s.iana).join(', ') || 'none'}`);
    }
    if (p.ciphers.serverPreference) out.push(`  cipher order: ${p.ciphers.serverPreference} preference`);
  }
  const c = p.certificate;
  if (c) {
    out.push(`  certificate: ${c.subject} (issuer ${c.issuer})`);
    out.push(`    valid until ${c.notAfter} (${c.daysLeft} days left)${c.expired ? ' EXPIRED' : ''}${c.selfSigned ? ', self-signed' : ''}`);
    out.push(`    names: ${c.sans.join(', ') || '(none)'}; matches ${c.hostnameChecked}: ${c.hostnameMatches ?? 'unknown'}`);
    out.push(`    chain complete: ${c.chainComplete ?? 'unknown'}; trusted: ${c.trusted ?? 'unknown'}${c.verifyError ? ` (${c.verifyError})` : ''}${c.trusted !== c.trustedLenient ? `; leniently: ${c.trustedLenient ?? 'unknown'}` : ''}`);
    if (c.weakReason) out.push(`    refused by default clients: ${c.weakReason}`);
  }
  const k = p.keyExchange;
  if (k && (k.weakSuites.length > 0 || k.dheBits !== null || k.modernClientAgrees === false)) {
    if (k.weakSuites.length > 0) out.push(`  weak suites accepted: ${k.weakSuites.map((w) => `${w.protocol} ${w.openssl ?? w.iana} (${w.reason})`).join(', ')}`);
    if (k.dheBits !== null) out.push(`  DHE group: ${k.dheBits} bits${k.dheBits < 2048 ? ' (weak)' : ''}`);
    if (k.modernClientAgrees === false) out.push('  a modern client (TLS 1.2/1.3, no weak suite) finds no suite in common');
  }
  if (p.reachable) {
    out.push(`  client certificate requested: ${p.clientCertRequested ?? 'unknown'}${p.clientCertRequired ? ' (required)' : ''}`);
    if (p.acceptableCAs.length > 0) out.push(`    acceptable CAs: ${p.acceptableCAs.join(' | ')}`);
    if (p.clientAuthNote) out.push(`    ${p.clientAuthNote}`);
  }
  const e = p.emulated;
  if (e) {
    const verdict = e.wouldConnect === null ? 'cannot tell' : e.wouldConnect ? 'would connect' : `would NOT connect (${e.cause})`;
    out.push(`  as ${e.client} (${e.version}; ${e.source}): ${verdict}: ${e.reason}`);
    if (e.negotiated?.serverKey) out.push(`    server key ${e.negotiated.serverKey.type} ${e.negotiated.serverKey.bits ?? '?'} bits${e.negotiated.signatureScheme ? `, signed with ${e.negotiated.signatureScheme}` : ''}`);
    if (e.partial) out.push(`    ${e.partial}`);
    out.push(`    handshake parameters only: trust (above) is the probe's store, not ${e.client}'s`);
  }
  if (p.findings.length > 1) out.push(`  findings: ${p.findings.map((f) => f.cause).join(', ')}`);
  for (const a of p.alternatives ?? []) out.push(`  or ${a.cause} (${a.team}): ${a.check}`);
  out.push('');
  out.push(renderDiagnosisText(p));
  return out.join('\n');
}
