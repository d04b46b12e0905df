import type { IncidentNote, Route } from '../../bot/types.js';
import type { Diagnosis, EvidenceLine } from '../../rules/index.js';
import { briefOf } from './brief.js';
import { alternativesLine, describeOther, whoActs } from './who-acts.js';

// One diagnosis as plain text: whole (the CLI, `details`, a hand-over) or chat-sized (the first
// reply in the console, and the notification text of chat messages).

export { actingTeamWords, TEAM_WORDS } from './who-acts.js';

const RED_HERRING = [
  '!!! RED HERRING: the only evidence is "SSL peer did not send a certificate during the handshake".',
  '!!! It is NOT the root cause. Do not send the client team after their certificate yet.',
];

export function describeLine(e: EvidenceLine): string {
  const where = e.document !== undefined ? (e.line > 0 ? `#${e.document} line ${e.line}` : `#${e.document}`) : `line ${e.line}`;
  return `${where}: ${e.text}`;
}

/** The whole diagnosis; `extra` lines (the incident note) go before the closing "cause: <id>" line. */
export function renderDiagnosisText(d: Diagnosis, route?: Route, extra: readonly string[] = []): string {
  const out: string[] = [];
  if (d.redHerringOnly) out.push(...RED_HERRING, '');
  out.push(d.title);
  out.push(`Who acts: ${whoActs(d, route)}`);
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
  const alternatives = alternativesLine(d, Number.POSITIVE_INFINITY);
  if (alternatives) out.push('', alternatives);
  if (d.warnings.length > 0) {
    out.push('', 'Warnings:');
    for (const w of d.warnings) out.push(`  - [${w.id}] ${w.text}`);
  }
  if (d.others.length > 0) {
    out.push('', 'Also in this input:');
    for (const o of d.others) out.push(`  - ${describeOther(o)}, e.g. ${describeLine(o.example)}`);
  }
  if (d.runbook) out.push('', `Runbook: ${d.runbook}`);
  out.push(...extra, '', `cause: ${d.cause}`);
  return out.join('\n');
}

/**
 * The chat-sized diagnosis: cause, who acts, three evidence lines, three next steps, the
 * alternatives, then what `details` holds and how to say whether the cause was right.
 */
export function renderBriefText(d: Diagnosis, route?: Route, note?: IncidentNote): string {
  const brief = briefOf(d, note);
  const out: string[] = [];
  if (d.redHerringOnly) out.push(...RED_HERRING);
  out.push(d.title, `Who acts: ${whoActs(d, route)}`);
  if (brief.evidence.length > 0) out.push('Evidence:', ...brief.evidence.map((e) => `  ${describeLine(e)}`));
  if (brief.nextSteps.length > 0) out.push('Next steps:', ...brief.nextSteps.map((s, i) => `  ${i + 1}. ${s}`));
  if (brief.alternatives) out.push(brief.alternatives);
  if (note) out.push(`Incident: ${note.evidenceCount} evidence item(s).${note.reopened ? ' This evidence reopened it.' : ''}${brief.ask ? ` Still needed: ${brief.ask}` : ''}`);
  out.push(`More: 'details' shows ${brief.more}. Right cause? Say 'feedback right' or 'feedback wrong <what it was>'.`);
  out.push('', `cause: ${d.cause}`);
  return out.join('\n');
}
