import type { IncidentReport } from '../../bot/types.js';
import { describeLine } from '../text/render-diagnosis.js';
import { checklistTitle, describeFeedback } from '../text/render-incident.js';
import { clip, facts, heading, limited, mono, para, section, type Budget, type CardElement } from './card-elements.js';
import { diagnosisBody, whoActs, type Mentions } from './render-diagnosis.js';

// `status` and `summary` as a card: state, the current diagnosis (in full for the hand-over),
// the evidence held, the MustGather checklist and, for the hand-over, the timeline.

export function incidentBody(report: IncidentReport, view: 'status' | 'summary', budget: Budget, mentions: Mentions): CardElement[] {
  const d = report.diagnosis;
  const body: CardElement[] = [
    heading(view === 'summary' ? 'TLS incident hand-over' : 'Incident status', 'Large'),
    facts([
      ['State', report.status],
      ['Opened', report.createdAt],
      ['Last activity', report.updatedAt],
    ]),
  ];
  if (d && view === 'summary') body.push(...diagnosisBody(d, report.route, budget, mentions));
  else if (d) {
    body.push(para(clip(d.title, budget.chars), { weight: 'Bolder' }, 'Medium'), ...whoActs(d, report.route, mentions));
    body.push(...d.evidence.slice(0, Math.min(3, budget.items)).map((e) => mono(clip(describeLine(e), budget.chars))));
  }
  const evidence = (e: IncidentReport['evidence'][number]): CardElement => {
    const what = e.kind === 'probe' ? `probe of ${e.name ?? '?'}` : e.kind === 'listen' ? (e.name ?? 'listener') : e.kind === 'file' ? `file ${e.name ?? ''} (${e.bytes} bytes)` : `paste (${e.bytes} bytes)`;
    return para(clip(`#${e.seq} ${e.at} ${what} from ${e.user}${e.gathered.length > 0 ? `; gives: ${e.gathered.join(', ')}` : ''}`, budget.chars), {}, 'None');
  };
  body.push(...section(`Evidence (${report.evidence.length})`, limited(report.evidence, budget, evidence, 'evidence items')));
  const item = (c: IncidentReport['checklist'][number]): CardElement =>
    para(clip(`${c.held ? '☑' : '☐'} ${c.title}${c.held ? '' : ` — ${c.how[0] ?? ''}`}`, budget.chars), {}, 'None');
  body.push(...section(`Feedback (${report.feedback.length})`, limited(report.feedback, budget, (f) => para(clip(describeFeedback(f), budget.chars), {}, 'None'), 'verdicts')));
  // The checklist is short and is the point of `status`: it gets more room than other lists.
  body.push(...section(checklistTitle(report), limited(report.checklist, { ...budget, items: Math.max(budget.items, 12) }, item, 'checklist items')));
  if (view === 'summary') {
    const events = [
      ...report.evidence.map((e) => ({ at: e.at, text: `evidence #${e.seq} (${e.kind}${e.name ? ` ${e.name}` : ''}) from ${e.user}` })),
      ...report.timeline.map((t) => ({ at: t.at, text: t.what === 'diagnosis' ? `diagnosis: ${t.cause} (${t.team}), on ${t.basedOn} evidence item(s)` : `${t.what} by ${t.by}` })),
      ...report.feedback.map((f) => ({ at: f.at, text: `feedback from ${f.user}: ${f.verdict} cause (${f.cause})` })),
    ].sort((a, b) => a.at.localeCompare(b.at));
    // The latest events matter most in a hand-over: a cut timeline keeps its end.
    const latest = events.length > budget.items ? events.slice(-budget.items) : events;
    const cut = events.length - latest.length;
    const lines = latest.map((e) => para(clip(`${e.at} ${e.text}`, budget.chars), {}, 'None'));
    if (cut > 0) lines.unshift(para(`… ${cut} earlier events not shown here (Teams card size limit).`, { isSubtle: true, size: 'Small' }, 'None'));
    body.push(...section('Timeline', lines));
  }
  return body;
}
