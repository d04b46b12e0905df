import type { ListenConnectionJson } from '../../bot/listen/listen-json.js';
import type { ListenSummary } from '../../bot/listen/summary.js';
import type { ListenDiagnosis } from '../../rules/listen/signals.js';
import { renderDiagnosisText } from './render-diagnosis.js';

// Terminal rendering of the listener: one block per connection as it ends, then the summary and
// the diagnosis in the usual form.

const LIST_MAX = 12;

function shortList(items: readonly string[]): string {
  if (items.length === 0) return '(none)';
  return items.length > LIST_MAX ? `${items.slice(0, LIST_MAX).join(', ')}, ... (${items.length} in all)` : items.join(', ');
}

export function renderListenConnection(c: ListenConnectionJson, index: number): string {
  const out = [`#${index + 1} ${c.remote}: ${c.outcome}${c.detail ? ` (${c.detail})` : ''}${c.negotiated ? `: ${c.negotiated.protocol} ${c.negotiated.cipher}` : ''}`];
  const o = c.offered;
  if (o) {
    out.push(`  versions: ${o.versions.join(', ')}${o.format === 'sslv2' ? ' (SSLv2-format hello)' : ''}; SNI: ${c.sni ?? '(none)'}; ALPN: ${c.alpn.join(', ') || '(none)'}`);
    out.push(`  ciphers (${o.ciphers.length}): ${shortList(o.ciphers.map((s) => (s.openssl ? `${s.openssl} [${s.iana}]` : s.iana)))}`);
    out.push(`  groups: ${shortList(o.groups)}`);
    out.push(`  signature algorithms: ${shortList(o.sigalgs)}`);
  }
  if (c.clientCertificate) out.push(`  client certificate: ${c.clientCertificate.subject} (issuer ${c.clientCertificate.issuer}, until ${c.clientCertificate.notAfter}${c.clientCertificate.expired ? ', EXPIRED' : ''})`);
  return out.join('\n');
}

export function renderListenSummary(s: ListenSummary, where: string, seconds: number, diagnosis: ListenDiagnosis, requestCert: boolean): string {
  const out = [`Listened on ${where} for ${seconds} s: ${s.connections} connection(s) from ${s.distinctClients} distinct client(s)`];
  if (s.connections > 0) out.push(`  offered across clients: at most ${s.offered.highestVersion ?? '-'}, at least ${s.offered.lowestVersion ?? '-'}`);
  for (const c of s.clients) {
    const outcomes = Object.entries(c.outcomes).map(([k, n]) => `${k} x${n}`).join(', ');
    const versions = c.highestVersion ? `at most ${c.highestVersion}, at least ${c.lowestVersion}` : 'no ClientHello';
    out.push(`  ${c.client}${c.fingerprint ? ` [hello ${c.fingerprint}]` : ''}: ${c.connections} connection(s); ${versions}; ${outcomes}`);
    if (c.strongestSuite) out.push(`    strongest suite ${c.strongestSuite}, weakest ${c.weakestSuite}${c.weakSuites.length > 0 ? `; weak: ${shortList(c.weakSuites)}` : ''}`);
  }
  if (requestCert) {
    out.push(s.clientCertificates.length > 0 ? '  client certificates seen:' : '  client certificates seen: none');
    for (const cert of s.clientCertificates) out.push(`    ${cert.subject} (issuer ${cert.issuer}) x${cert.count}`);
  }
  out.push('', renderDiagnosisText(diagnosis));
  return out.join('\n');
}
