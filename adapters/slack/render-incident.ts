import type { IncidentReport } from '../../bot/types.js';
import { describeLine } from '../text/render-diagnosis.js';
import { checklistTitle, describeFeedback } from '../text/render-incident.js';
import { codeSections, context, fields, header, section, type SlackBlock } from './blocks.js';
import { escapeMrkdwn } from './markup.js';
import { diagnosisBlocks, whoActs } from './render-diagnosis.js';

// 'status' (where the incident stands) and 'summary' (the hand-over for a ticket) as Block Kit.
// User ids are shown as text, not as <@U…> mentions: a status report must not ping everyone who
// ever pasted a log line into the thread.

export function incidentBlocks(report: IncidentReport, view: 'status' | 'summary'): SlackBlock[] {
  const d = report.diagnosis;
  const blocks: SlackBlock[] = [
    header(view === 'summary' ? 'TLS incident hand-over' : 'Incident status'),
    fields([`*State*\n${report.status}`, `*Opened*\n${report.createdAt}`, `*Last activity*\n${report.updatedAt}`, `*Thread*\n${escapeMrkdwn(`${report.key.channel} / ${report.key.thread}`)}`]),
  ];
  if (d && view === 'summary') blocks.push(...diagnosisBlocks(d, report.route));
  else if (d) {
    if (d.redHerringOnly) blocks.push(section(':rotating_light: *Red herring only so far*: not the root cause; the SSL library error lines are still needed.'));
    blocks.push(section(`*Diagnosis:* ${escapeMrkdwn(d.title)} (\`${d.cause}\`)\n*Who acts:* ${whoActs(d, report.route)}`));
    if (d.evidence.length > 0) blocks.push(...codeSections(d.evidence.map(describeLine), { maxLines: 3, maxLineChars: 300, what: 'evidence lines' }));
  }
  const evidence = report.evidence.map((e) => {
    const what = e.kind === 'probe' ? `probe of ${e.name ?? '?'}` : e.kind === 'listen' ? (e.name ?? 'listener') : e.kind === 'file' ? `file ${e.name ?? ''} (${e.bytes} bytes)` : `paste (${e.bytes} bytes)`;
    return `#${e.seq} ${e.at} ${what} from ${e.user}${e.gathered.length > 0 ? `; gives: ${e.gathered.join(', ')}` : ''}`;
  });
  blocks.push(section(`*Evidence (${report.evidence.length})*`));
  blocks.push(...codeSections(evidence, { maxLines: 20, maxLineChars: 300, what: 'evidence items' }));
  if (report.feedback.length > 0) {
    blocks.push(section(`*Feedback (${report.feedback.length})*`));
    blocks.push(...codeSections(report.feedback.map(describeFeedback), { maxLines: 10, maxLineChars: 600, what: 'verdicts' }));
  }
  const checklist = report.checklist.map((item) => `${item.held ? ':white_check_mark:' : ':white_large_square:'} ${escapeMrkdwn(item.title)}${item.held ? '' : ` — ${escapeMrkdwn(item.how[0] ?? '')}`}`);
  blocks.push(section(`*${escapeMrkdwn(checklistTitle(report))}*\n${checklist.join('\n')}`));
  if (view === 'summary') {
    const events = [
      ...report.evidence.map((e) => ({ at: e.at, text: `evidence #${e.seq} (${e.kind}${e.name ? ` ${e.name}` : ''}) from ${e.user}` })),
      ...report.timeline.map((t) => ({ at: t.at, text: t.what === 'diagnosis' ? `diagnosis: ${t.cause} (${t.team}), on ${t.basedOn} evidence item(s)` : `${t.what} by ${t.by}` })),
      ...report.feedback.map((f) => ({ at: f.at, text: `feedback from ${f.user}: ${f.verdict} cause (${f.cause})` })),
    ].sort((a, b) => a.at.localeCompare(b.at));
    blocks.push(section('*Timeline*'));
    blocks.push(...codeSections(events.map((e) => `${e.at} ${e.text}`), { maxLines: 30, maxLineChars: 300, what: 'timeline entries' }));
  }
  if (!d) blocks.push(context('No diagnosis yet.'));
  return blocks;
}
