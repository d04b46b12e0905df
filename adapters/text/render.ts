import type { Diagnosis } from '../../rules/index.js';
import type { Reply } from '../../bot/index.js';
import { hasCaptureLadder, renderCaptureDetails, withoutFrameEvidence } from './render-capture.js';
import { hasCertificates, renderCertificateDetails } from './render-certificates.js';
import { hasDomainExport, renderExportDetails } from './render-export.js';
import { describeLine, noteLines, renderChangeText, renderIncidentText, renderNotedText } from './render-incident.js';

// Plain-text rendering of the neutral Reply, for the terminal (CLI and console) and as the
// fallback text of chat messages. The last line of a diagnosis is always "cause: <id>".

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

export function renderReplyText(reply: Reply): string {
  switch (reply.kind) {
    case 'help':
      return [reply.title, '', ...reply.lines.map((l) => `  - ${l}`)].join('\n');
    case 'notice':
      return reply.text;
    case 'error':
      return `error (${reply.code}): ${reply.text}`;
    case 'diagnosis': {
      if (hasCaptureLadder(reply.diagnosis)) {
        // A capture's ladder shows the failing handshake message by message: it comes first.
        return `${renderCaptureDetails(reply.diagnosis)}\n\n${renderDiagnosisText(withoutFrameEvidence(reply.diagnosis), reply.route?.target, reply.incident ? noteLines(reply.incident) : [])}`;
      }
      const text = renderDiagnosisText(reply.diagnosis, reply.route?.target, reply.incident ? noteLines(reply.incident) : []);
      // A certificate's or an export's details are the answer to "what is in this file?": they come first.
      const exported = hasDomainExport(reply.diagnosis) ? `${renderExportDetails(reply.diagnosis)}\n\n` : '';
      return hasCertificates(reply.diagnosis) ? `${renderCertificateDetails(reply.diagnosis)}\n\n${exported}${text}` : `${exported}${text}`;
    }
    case 'change':
      return renderChangeText(reply, reply.route?.target);
    case 'noted':
      return renderNotedText(reply);
    case 'incident':
      return renderIncidentText(reply.report, reply.view);
    case 'warning':
      return `!!! WARNING [${reply.warning.id}]: ${reply.warning.text}`;
  }
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
