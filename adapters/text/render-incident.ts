import type { DiagnosisSummary } from '../../bot/store/types.js';
import type { FeedbackEntry, IncidentNote, IncidentReport, Reply } from '../../bot/types.js';
import { describeLine, renderBriefText, renderDiagnosisText } from './render-diagnosis.js';
import { TEAM_WORDS, whoActs } from './who-acts.js';

// Incident replies as plain text: what changed, what joined, status and the hand-over summary.

export function describeSummary(s: DiagnosisSummary): string {
  return s.redHerringOnly ? `red herring only (${s.cause})` : `${s.cause}, ${TEAM_WORDS[s.team] ?? s.team} to act`;
}

export function noteLines(note: IncidentNote): string[] {
  const out = ['', `Incident: ${note.evidenceCount} evidence item(s) in this thread.${note.reopened ? ' It had been resolved; this evidence reopened it.' : ''}`];
  if (note.asks.length > 0) {
    out.push('Still missing from the evidence checklist (first the one most likely to change this diagnosis):');
    for (const ask of note.asks) out.push(`  - ${ask.title}: ${ask.how[0] ?? ''}`);
  }
  return out;
}

/** The follow-up that says what changed and why, then the new diagnosis chat-sized. */
export function renderChangeText(reply: Extract<Reply, { kind: 'change' }>): string {
  const now = describeSummary({ ...reply.diagnosis, basedOn: 0, at: '' });
  const head = [`Diagnosis changed. Was: ${describeSummary(reply.was)}. Now: ${now}${reply.because ? `, because of ${describeLine(reply.because)}` : ''}.`, ''];
  return [...head, renderBriefText(reply.diagnosis, reply.route, reply.incident)].join('\n');
}

/** "the evidence checklist", with IBM's name for it when DataPower's items are in it. */
export function checklistTitle(report: Pick<IncidentReport, 'checklist'>): string {
  return report.checklist.some((item) => item.scope === 'datapower') ? 'Evidence checklist (IBM MustGather for DataPower SSL handshake failures)' : 'Evidence checklist';
}

/** One verdict: "2031-03-04T05:10:00Z U1: wrong cause (server-cert-untrusted): it was the proxy". */
export function describeFeedback(f: FeedbackEntry): string {
  return `${f.at} ${f.user}: ${f.verdict} cause (${f.cause})${f.comment ? `: ${f.comment}` : ''}`;
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
    out.push('', renderDiagnosisText(d, report.route).replace(/\n\ncause: [^\n]*$/, ''));
  } else if (d) {
    out.push(`Diagnosis: ${d.title}`, `Who acts: ${whoActs(d, report.route)}`);
    for (const e of d.evidence.slice(0, 3)) out.push(`  ${describeLine(e)}`);
  }
  out.push('', `Evidence (${report.evidence.length}):`);
  for (const e of report.evidence) {
    const what = e.kind === 'probe' ? `probe of ${e.name ?? '?'}` : e.kind === 'listen' ? (e.name ?? 'listener') : e.kind === 'file' ? `file ${e.name ?? ''} (${e.bytes} bytes${e.sha256 ? `, sha256 ${e.sha256.slice(0, 16)}…` : ''})` : `paste (${e.bytes} bytes)`;
    out.push(`  #${e.seq} ${e.at} ${what} from ${e.user}${e.gathered.length > 0 ? `; gives: ${e.gathered.join(', ')}` : ''}`);
  }
  if (report.feedback.length > 0) {
    out.push('', `Feedback (${report.feedback.length}):`);
    for (const f of report.feedback) out.push(`  ${describeFeedback(f)}`);
  }
  out.push('', `${checklistTitle(report)}:`);
  for (const item of report.checklist) out.push(`  [${item.held ? 'x' : ' '}] ${item.title}${item.held ? '' : ` -- ${item.how[0] ?? ''}`}`);
  if (view === 'summary') {
    out.push('', 'Timeline:');
    const events = [
      ...report.evidence.map((e) => ({ at: e.at, text: `evidence #${e.seq} (${e.kind}${e.name ? ` ${e.name}` : ''}) from ${e.user}` })),
      ...report.timeline.map((t) => ({ at: t.at, text: t.what === 'diagnosis' ? `diagnosis: ${t.cause} (${t.team}), on ${t.basedOn} evidence item(s)` : `${t.what} by ${t.by}` })),
      ...report.feedback.map((f) => ({ at: f.at, text: `feedback from ${f.user}: ${f.verdict} cause (${f.cause})${f.comment ? `: ${f.comment}` : ''}` })),
    ].sort((a, b) => a.at.localeCompare(b.at));
    for (const e of events) out.push(`  ${e.at} ${e.text}`);
  }
  if (d) out.push('', `cause: ${d.cause}`);
  return out.join('\n');
}
