import type { IncidentNote, Reply, ReplyOffers, Route } from '../../bot/types.js';
import type { Diagnosis } from '../../rules/index.js';
import { briefOf, BRIEF_LINE_CHARS } from '../text/brief.js';
import { describeSummary } from '../text/render-incident.js';
import { describeLine } from '../text/render-diagnosis.js';
import { alternativesLine, describeOther, whoActs as whoActsWords, type Wording } from '../text/who-acts.js';
import { actions, button, codeSections, context, fields, header, section, type ButtonElement, type SlackBlock } from './blocks.js';
import { codeSafe, escapeMrkdwn, inlineCodeSafe, routeMention } from './markup.js';

// Block Kit for a diagnosis and the incident replies built on one. The first reply is chat-sized:
// the cause, who acts in one sentence, three evidence lines, three next steps, the alternatives in
// one line, then buttons: Details (the whole diagnosis as a reply in the thread), Probe host:port
// when the policy allows it, and Right cause / Wrong cause. Evidence is in a code block so log text
// is never read as markup.

const EVIDENCE_LINES = 12;
const EVIDENCE_LINE_CHARS = 400;

/** Action ids of the buttons (listeners.ts answers them); feedback ones start with "feedback". */
export const ACTION = { details: 'details', probe: 'probe', right: 'feedback-right', wrong: 'feedback-wrong' } as const;

const SLACK_WORDING: Wording = { mention: routeMention, text: escapeMrkdwn };

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

/** The "who acts" sentence with the configured mentions live and everything else escaped. */
export function whoActs(d: Pick<Diagnosis, 'team' | 'owner' | 'redHerringOnly'>, route?: Route): string {
  return whoActsWords(d, route, SLACK_WORDING);
}

/** The buttons under a diagnosis. */
export function diagnosisActions(d: Pick<Diagnosis, 'cause'>, offers: ReplyOffers & { readonly full?: boolean }): SlackBlock[] {
  const elements: ButtonElement[] = [];
  if (!offers.full) elements.push(button(ACTION.details, 'Details', d.cause));
  if (offers.probeTarget) elements.push(button(ACTION.probe, `Probe ${offers.probeTarget}`, offers.probeTarget));
  elements.push(button(ACTION.right, 'Right cause', d.cause, 'primary'), button(ACTION.wrong, 'Wrong cause', d.cause, 'danger'));
  return [actions(elements)];
}

/** The chat-sized diagnosis: what the first reply in a thread shows. */
export function briefBlocks(d: Diagnosis, route?: Route, note?: IncidentNote): SlackBlock[] {
  const brief = briefOf(d, note);
  const blocks: SlackBlock[] = [];
  if (d.redHerringOnly) blocks.push(...redHerringBlocks());
  blocks.push(header(d.title));
  blocks.push(section(`*Who acts:* ${whoActs(d, route)}`));
  if (brief.evidence.length > 0) blocks.push(...codeSections(brief.evidence.map(describeLine), { maxLines: brief.evidence.length, maxLineChars: BRIEF_LINE_CHARS + 1, what: 'evidence lines' }));
  if (brief.nextSteps.length > 0) blocks.push(section(`*Next steps*\n${brief.nextSteps.map((s, i) => `${i + 1}. ${escapeMrkdwn(s)}`).join('\n')}`));
  if (brief.alternatives) blocks.push(context(escapeMrkdwn(brief.alternatives)));
  if (note) {
    const ask = brief.ask ? ` Still needed: ${escapeMrkdwn(brief.ask)}` : '';
    blocks.push(context(`:file_folder: Incident: ${note.evidenceCount} evidence item(s).${note.reopened ? ' This evidence reopened it.' : ''}${ask}`));
  }
  blocks.push(context(`*Details* shows ${escapeMrkdwn(brief.more)}.`));
  return blocks;
}

/** The whole diagnosis: the answer to Details / `details`, and the hand-over. */
export function diagnosisBlocks(d: Diagnosis, route?: Route, note?: IncidentNote): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  if (d.redHerringOnly) blocks.push(...redHerringBlocks());
  blocks.push(header(d.title));
  const facts = [`*Cause*\n\`${d.cause}\``];
  if (d.vantage !== 'unknown') facts.push(`*Written by*\nthe TLS ${d.vantage} side${d.count && d.count > 1 ? `; ${d.count} connections` : ''}`);
  blocks.push(fields(facts));
  blocks.push(section(`*Who acts:* ${whoActs(d, route)}`));
  blocks.push(section(escapeMrkdwn(d.explanation)));
  if (d.evidence.length > 0) {
    blocks.push(section('*Evidence*'));
    blocks.push(...codeSections(d.evidence.map(describeLine), { maxLines: EVIDENCE_LINES, maxLineChars: EVIDENCE_LINE_CHARS, what: 'evidence lines' }));
  }
  if (d.nextSteps.length > 0) blocks.push(section(`*Next steps*\n${d.nextSteps.map((s, i) => `${i + 1}. ${escapeMrkdwn(s)}`).join('\n')}`));
  const alternatives = alternativesLine(d, Number.POSITIVE_INFINITY);
  if (alternatives) blocks.push(section(escapeMrkdwn(alternatives)));
  for (const w of d.warnings) blocks.push(section(`:warning: *${escapeMrkdwn(w.id)}*: ${escapeMrkdwn(w.text)}`));
  if (d.others.length > 0) {
    const lines = d.others.map((o) => `• ${escapeMrkdwn(describeOther(o))}, e.g. \`${inlineCodeSafe(describeLine(o.example).slice(0, 300))}\``);
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
  return [...blocks, ...briefBlocks(reply.diagnosis, reply.route, reply.incident)];
}

export function notedBlocks(reply: Extract<Reply, { kind: 'noted' }>): SlackBlock[] {
  const c = reply.current;
  return [
    section(`:heavy_plus_sign: Added ${escapeMrkdwn(reply.added)} to the incident.\n*Diagnosis unchanged:* ${escapeMrkdwn(c.title)} (${escapeMrkdwn(describeSummary(c))})`),
    ...noteBlocks(reply.incident),
  ];
}
