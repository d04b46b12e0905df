import type { Diagnosis, EvidenceLine } from '../../rules/index.js';

// One diagnosis as plain text, and the words for who acts: shared by the terminal renderers and the
// chat adapters' fallback text.

export const TEAM_WORDS: Record<string, string> = {
  client: 'client team',
  server: 'server team',
  security: 'security team',
  network: 'network team',
  both: 'client and server teams together',
  none: 'nobody (nothing to fix)',
};

/** The acting team in words; nobody acts on the red herring alone. */
export function actingTeamWords(d: Pick<Diagnosis, 'team' | 'redHerringOnly'>): string {
  return d.redHerringOnly ? 'nobody yet: collect the SSL library error lines first' : (TEAM_WORDS[d.team] ?? d.team);
}

export function describeLine(e: EvidenceLine): string {
  const where = e.document !== undefined ? (e.line > 0 ? `#${e.document} line ${e.line}` : `#${e.document}`) : `line ${e.line}`;
  return `${where}: ${e.text}`;
}

/** `extra` lines (the incident note) go before the closing "cause: <id>" line. */
export function renderDiagnosisText(d: Diagnosis, mention?: string, extra: readonly string[] = []): string {
  const out: string[] = [];
  if (d.redHerringOnly) {
    out.push('!!! RED HERRING: the only evidence is "SSL peer did not send a certificate during the handshake".');
    out.push('!!! It is NOT the root cause. Do not send the client team after their certificate yet.');
    out.push('');
  }
  out.push(d.title);
  const who = actingTeamWords(d);
  const acting = `${who}${d.owner ? `: ${d.owner}` : ''}${mention ? ` (${mention})` : ''}`;
  out.push(`Who acts: ${acting}`);
  if (d.vantage !== 'unknown') out.push(`Written by: the TLS ${d.vantage} side${d.count && d.count > 1 ? `; ${d.count} connections` : ''}`);
  out.push('', d.explanation);
  if (d.evidence.length > 0) {
    out.push('', 'Evidence:');
    for (const e of d.evidence) out.push(`  ${describeLine(e)}`);
  }
  if (d.nextSteps.length > 0) {
    out.push('', 'Next steps:');
    d.nextSteps.forEach((step, i) => out.push(`  ${i + 1}. ${step}`));
  }
  if (d.warnings.length > 0) {
    out.push('', 'Warnings:');
    for (const w of d.warnings) out.push(`  - [${w.id}] ${w.text}`);
  }
  if (d.others.length > 0) {
    out.push('', 'Also in this input:');
    for (const o of d.others) out.push(`  - ${o.cause} (${o.team}) x${o.count}, e.g. ${describeLine(o.example)}`);
  }
  if (d.runbook) out.push('', `Runbook: ${d.runbook}`);
  out.push(...extra, '', `cause: ${d.cause}`);
  return out.join('\n');
}
