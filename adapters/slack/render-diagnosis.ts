import type { IncidentNote, Reply, Route } from '../../bot/types.js';
import type { Diagnosis } from '../../rules/index.js';
import { describeSummary } from '../text/render-incident.js';
import { actingTeamWords, describeLine, TEAM_WORDS } from '../text/render-diagnosis.js';
import { codeSections, context, fields, header, section, type SlackBlock } from './blocks.js';
import { codeSafe, escapeMrkdwn, inlineCodeSafe, routeMention } from './markup.js';

// Block Kit for a diagnosis and the incident replies built on one: what an on-call engineer must
// see first (a red herring, the cause, who acts) comes first; evidence is in a code block so log
// text is never read as markup.

const EVIDENCE_LINES = 12;
const EVIDENCE_LINE_CHARS = 400;

export function redHerringBlocks(): SlackBlock[] {
  return [
    header(':rotating_light: RED HERRING: not the root cause'),
    section(
      ":warning: *The only evidence is DataPower's \"SSL peer did not send a certificate during the handshake\".*\n" +
        '*Do not send the client team after their certificate yet.* That line follows from almost any handshake failure; ' +
        'collect the SSL library error lines (debug log of the SSL proxy profile) first.',
    ),
  ];
}

/** The "who acts" words: team, the owner the evidence names, and the configured mention. */
export function whoActs(d: Pick<Diagnosis, 'team' | 'owner' | 'redHerringOnly'>, route?: Route): string {
  if (d.redHerringOnly) return actingTeamWords(d);
  const team = escapeMrkdwn(actingTeamWords(d));
  const owner = d.owner ? `: ${escapeMrkdwn(d.owner)}` : '';
  return `${team}${owner}${route ? ` (${routeMention(route.target)})` : ''}`;
}

export function diagnosisBlocks(d: Diagnosis, route?: Route, note?: IncidentNote): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  if (d.redHerringOnly) blocks.push(...redHerringBlocks());
  blocks.push(header(d.title));
  const facts = [`*Cause*\n\`${d.cause}\``, `*Who acts*\n${whoActs(d, route)}`];
  if (d.vantage !== 'unknown') facts.push(`*Written by*\nthe TLS ${d.vantage} side${d.count && d.count > 1 ? `; ${d.count} connections` : ''}`);
  blocks.push(fields(facts));
  blocks.push(section(escapeMrkdwn(d.explanation)));
  if (d.evidence.length > 0) {
    blocks.push(section('*Evidence*'));
    blocks.push(...codeSections(d.evidence.map(describeLine), { maxLines: EVIDENCE_LINES, maxLineChars: EVIDENCE_LINE_CHARS, what: 'evidence lines' }));
  }
  if (d.nextSteps.length > 0) blocks.push(section(`*Next steps*\n${d.nextSteps.map((s, i) => `${i + 1}. ${escapeMrkdwn(s)}`).join('\n')}`));
  for (const w of d.warnings) blocks.push(section(`:warning: *${escapeMrkdwn(w.id)}*: ${escapeMrkdwn(w.text)}`));
  if (d.others.length > 0) {
    const lines = d.others.map((o) => `• \`${o.cause}\` (${escapeMrkdwn(TEAM_WORDS[o.team] ?? o.team)}) ×${o.count}, e.g. \`${inlineCodeSafe(describeLine(o.example).slice(0, 300))}\``);
    blocks.push(section(`*Also in this input*\n${lines.join('\n')}`));
  }
  if (d.runbook) blocks.push(section(`:book: *Runbook:* <${d.runbook.replace(/[<>|]/g, encodeURIComponent)}>`));
  if (note) blocks.push(...noteBlocks(note));
  return blocks;
}

export function noteBlocks(note: IncidentNote): SlackBlock[] {
  const blocks: SlackBlock[] = [
    context(`:file_folder: Incident: ${note.evidenceCount} evidence item(s) in this thread.${note.reopened ? ' It had been resolved; this evidence reopened it.' : ''}`),
  ];
  if (note.asks.length > 0) {
    const asks = note.asks.map((a) => `• *${escapeMrkdwn(a.title)}*: ${escapeMrkdwn(a.how[0] ?? '')}`);
    blocks.push(section(`*Still missing* (first the one most likely to change this diagnosis)\n${asks.join('\n')}`));
  }
  return blocks;
}

export function changeBlocks(reply: Extract<Reply, { kind: 'change' }>): SlackBlock[] {
  const now = describeSummary({ ...reply.diagnosis, basedOn: 0, at: '' });
  const head = `:arrows_counterclockwise: *Diagnosis changed.*\n*Was:* ${escapeMrkdwn(describeSummary(reply.was))}\n*Now:* ${escapeMrkdwn(now)}`;
  const blocks: SlackBlock[] = [section(head)];
  if (reply.because) blocks.push(section(`*Because of*\n\`\`\`${codeSafe(describeLine(reply.because).slice(0, 2000))}\`\`\``));
  return [...blocks, ...diagnosisBlocks(reply.diagnosis, reply.route, reply.incident)];
}

export function notedBlocks(reply: Extract<Reply, { kind: 'noted' }>): SlackBlock[] {
  const c = reply.current;
  return [
    section(`:heavy_plus_sign: Added ${escapeMrkdwn(reply.added)} to the incident.\n*Diagnosis unchanged:* ${escapeMrkdwn(c.title)} (${escapeMrkdwn(describeSummary(c))})`),
    ...noteBlocks(reply.incident),
  ];
}
