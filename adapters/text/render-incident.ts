import type { DiagnosisSummary } from '../../bot/store/types.js';
import type { IncidentNote, IncidentReport, Reply } from '../../bot/types.js';
import { actingTeamWords, describeLine, renderDiagnosisText, TEAM_WORDS } from './render-diagnosis.js';

// Incident replies as plain text: what changed, what joined, status and the hand-over summary.

export function describeSummary(s: DiagnosisSummary): string {
  return s.redHerringOnly ? `red herring only (${s.cause})` : `${s.cause}, ${TEAM_WORDS[s.team] ?? s.team} to act`;
}

export function noteLines(note: IncidentNote): string[] {
  const out = ['', `Incident: ${note.evidenceCount} evidence item(s) in this thread.${note.reopened ? ' It had been resolved; this evidence reopened it.' : ''}`];
  if (note.asks.length > 0) {
    out.push('Still missing from the MustGather list (first the one most likely to change this diagnosis):');
    for (const ask of note.asks) out.push(`  - ${ask.title}: ${ask.how[0] ?? ''}`);
  }
  return out;
}

export function renderChangeText(reply: Extract<Reply, { kind: 'change' }>, mention?: string): string {
  const now = describeSummary({ ...reply.diagnosis, basedOn: 0, at: '' });
  const head = [`Diagnosis changed. Was: ${describeSummary(reply.was)}. Now: ${now}${reply.because ? `, because of ${describeLine(reply.because)}` : ''}.`, ''];
  return [...head, renderDiagnosisText(reply.diagnosis, mention, noteLines(reply.incident))].join('\n');
}

export function renderNotedText(reply: Extract<Reply, { kind: 'noted' }>): string {
  return [`Added ${reply.added} to the incident. Diagnosis unchanged: ${describeSummary(reply.current)}: ${reply.current.title}.`, ...noteLines(reply.incident)].join('\n');
}

export function renderIncidentText(report: IncidentReport, view: 'status' | 'summary'): string {
  const d = report.diagnosis;
  const out: string[] = [];
  const where = `${report.key.platform} ${report.key.channel}, thread ${report.key.thread}`;
  out.push(view === 'summary' ? `TLS incident hand-over (${where})` : `Incident status (${where})`);
  out.push(`State: ${report.status}; opened ${report.createdAt}; last activity ${report.updatedAt}`);
  if (view === 'summary' && d) {
    out.push('', renderDiagnosisText(d, report.route?.target).replace(/\n\ncause: [^\n]*$/, ''));
  } else if (d) {
    const who = d.redHerringOnly ? actingTeamWords(d) : `${actingTeamWords(d)}${d.owner ? `: ${d.owner}` : ''}${report.route ? ` (${report.route.target})` : ''}`;
    out.push(`Diagnosis: ${d.title}`, `Who acts: ${who}`);
    for (const e of d.evidence.slice(0, 3)) out.push(`  ${describeLine(e)}`);
  }
  out.push('', `Evidence (${report.evidence.length}):`);
  for (const e of report.evidence) {
    const what = e.kind === 'probe' ? `probe of ${e.name ?? '?'}` : e.kind === 'listen' ? (e.name ?? 'listener') : e.kind === 'file' ? `file ${e.name ?? ''} (${e.bytes} bytes${e.sha256 ? `, sha256 ${e.sha256.slice(0, 16)}…` : ''})` : `paste (${e.bytes} bytes)`;
    out.push(`  #${e.seq} ${e.at} ${what} from ${e.user}${e.gathered.length > 0 ? `; gives: ${e.gathered.join(', ')}` : ''}`);
  }
  out.push('', 'MustGather (IBM, SSL handshake failures):');
  for (const item of report.checklist) out.push(`  [${item.held ? 'x' : ' '}] ${item.title}${item.held ? '' : ` -- ${item.how[0] ?? ''}`}`);
  if (view === 'summary') {
    out.push('', 'Timeline:');
    const events = [
      ...report.evidence.map((e) => ({ at: e.at, text: `evidence #${e.seq} (${e.kind}${e.name ? ` ${e.name}` : ''}) from ${e.user}` })),
      ...report.timeline.map((t) => ({ at: t.at, text: t.what === 'diagnosis' ? `diagnosis: ${t.cause} (${t.team}), on ${t.basedOn} evidence item(s)` : `${t.what} by ${t.by}` })),
    ].sort((a, b) => a.at.localeCompare(b.at));
    for (const e of events) out.push(`  ${e.at} ${e.text}`);
  }
  if (d) out.push('', `cause: ${d.cause}`);
  return out.join('\n');
}
