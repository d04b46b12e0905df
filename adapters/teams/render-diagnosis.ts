import type { IncidentNote, ReplyOffers, Route } from '../../bot/types.js';
import type { Diagnosis } from '../../rules/index.js';
import { briefOf } from '../text/brief.js';
import { noteLines } from '../text/render-incident.js';
import { describeLine } from '../text/render-diagnosis.js';
import { alternativesLine, describeOther, whoActs as whoActsWords } from '../text/who-acts.js';
import { box, card, clip, limited, markdown, mono, para, run, section, type Budget, type CardElement } from './card-elements.js';
import { mentionEntity, parseTarget, targetWords, type MentionEntity } from './mention.js';

// The diagnosis part of a card, the same content as the text and Slack replies. The first reply is
// chat-sized (the red herring first, the cause, who acts in one sentence mentioning the routed
// team, three evidence lines, three next steps, the alternatives in one line); the whole diagnosis
// is behind "Details" (Action.ShowCard), and Action.Submit buttons probe the endpoint and say
// whether the cause was right.

/** Mentions a card needs declared in `msteams.entities`; collected while its body is built. */
export type Mentions = MentionEntity[];

/** What an Action.Submit button sends back (to-message.ts reads it). */
export type SubmitData = { readonly tlsTriage: 'feedback'; readonly verdict: 'right' | 'wrong'; readonly cause: string } | { readonly tlsTriage: 'probe'; readonly target: string };

function redHerring(): CardElement {
  return box('attention', [
    para('RED HERRING', { weight: 'Bolder', color: 'Attention' }),
    para('The only evidence is "SSL peer did not send a certificate during the handshake". It is NOT the root cause: do not send the client team after their certificate yet.'),
  ]);
}

/** The chat-sized diagnosis. */
export function briefBody(d: Diagnosis, route: Route | undefined, budget: Budget, mentions: Mentions, note?: IncidentNote): CardElement[] {
  const brief = briefOf(d, note);
  const body: CardElement[] = [];
  if (d.redHerringOnly) body.push(redHerring());
  body.push(para(clip(d.title, budget.chars), { weight: 'Bolder', size: 'Large' }, 'Medium'));
  body.push(...whoActs(d, route, mentions));
  body.push(...section('Evidence', brief.evidence.map((e) => mono(clip(describeLine(e), budget.chars)))));
  body.push(...section('Next steps', brief.nextSteps.map((step, i) => para(`${i + 1}. ${clip(step, budget.chars * 2)}`, {}, 'Small'))));
  if (brief.alternatives) body.push(para(clip(brief.alternatives, budget.chars * 2), { isSubtle: true }, 'Small'));
  if (note) body.push(para(clip(`Incident: ${note.evidenceCount} evidence item(s).${note.reopened ? ' This evidence reopened it.' : ''}${brief.ask ? ` Still needed: ${brief.ask}` : ''}`, budget.chars * 2), { isSubtle: true, size: 'Small' }, 'Small'));
  body.push(para(`Details shows ${brief.more}.`, { isSubtle: true, size: 'Small' }, 'Small'));
  return body;
}

/** The whole diagnosis: what Details shows, and the hand-over. */
export function diagnosisBody(d: Diagnosis, route: Route | undefined, budget: Budget, mentions: Mentions): CardElement[] {
  const body: CardElement[] = [];
  if (d.redHerringOnly) body.push(redHerring());
  body.push(para(clip(d.title, budget.chars), { weight: 'Bolder', size: 'Large' }, 'Medium'));
  body.push(...whoActs(d, route, mentions));
  if (d.vantage !== 'unknown') {
    body.push(para(`Written by: the TLS ${d.vantage} side${d.count && d.count > 1 ? `; ${d.count} connections` : ''}`, { isSubtle: true }, 'None'));
  }
  body.push(para(clip(d.explanation, budget.chars * 4)));
  body.push(...section('Evidence', limited(d.evidence, budget, (e) => mono(clip(describeLine(e), budget.chars)), 'evidence lines')));
  body.push(...section('Next steps', limited(d.nextSteps, budget, (step, i) => para(`${i + 1}. ${clip(step, budget.chars)}`, {}, 'Small'), 'steps')));
  const alternatives = alternativesLine(d, budget.items);
  if (alternatives) body.push(para(clip(alternatives, budget.chars * 2), {}, 'Small'));
  if (d.warnings.length > 0) {
    const shown = limited(d.warnings, budget, (w) => para([run(`[${w.id}] `, { weight: 'Bolder' }), run(clip(w.text, budget.chars * 2))], {}, 'Small'), 'warnings');
    body.push(box('warning', [para('Warnings', { weight: 'Bolder', color: 'Warning' }), ...shown]));
  }
  const other = (o: Diagnosis['others'][number]): CardElement =>
    para([run(`${describeOther(o)}, e.g. `), run(clip(describeLine(o.example), budget.chars), { fontType: 'Monospace', size: 'Small' })], {}, 'Small');
  body.push(...section('Also in this input', limited(d.others, budget, other, 'other causes')));
  return body;
}

/**
 * "Who acts" as one sentence; a routed team that is a real Teams mention is named in it as words
 * and mentioned (notifying) on the line below, since only Markdown TextBlocks carry mentions.
 */
export function whoActs(d: Diagnosis, route: Route | undefined, mentions: Mentions): CardElement[] {
  const runs = [run('Who acts: ', { weight: 'Bolder' }), run(whoActsWords(d, route, { mention: targetWords, text: (w) => w }))];
  const real = (route?.targets ?? []).map(parseTarget).flatMap((t) => (t.kind === 'mention' ? [mentionEntity(t)] : []));
  if (real.length === 0) return [para(runs)];
  for (const entity of real) if (!mentions.some((m) => m.text === entity.text && m.mentioned.id === entity.mentioned.id)) mentions.push(entity);
  // The names come from the operator's configuration, not from chat: safe in a Markdown block.
  return [para(runs), markdown(`**Routed to:** ${real.map((e) => e.text).join(' and ')}`)];
}

/** The buttons of a diagnosis card: Details (the whole diagnosis, in the card), Probe, Right / Wrong cause. */
export function diagnosisActions(d: Diagnosis, route: Route | undefined, offers: ReplyOffers & { readonly full?: boolean }, budget: Budget, mentions: Mentions): CardElement[] {
  const submit = (title: string, data: SubmitData): CardElement => ({ type: 'Action.Submit', title, data });
  const out: CardElement[] = [];
  if (!offers.full) {
    const details = card(diagnosisBody(d, route, budget, mentions), { fallbackText: d.title });
    out.push({ type: 'Action.ShowCard', title: 'Details', card: { type: details.type, $schema: details.$schema, version: details.version, body: details.body } });
  }
  if (offers.probeTarget) out.push(submit(`Probe ${offers.probeTarget}`, { tlsTriage: 'probe', target: offers.probeTarget }));
  out.push(submit('Right cause', { tlsTriage: 'feedback', verdict: 'right', cause: d.cause }), submit('Wrong cause', { tlsTriage: 'feedback', verdict: 'wrong', cause: d.cause }));
  return out;
}

export function incidentNote(note: IncidentNote, budget: Budget): CardElement[] {
  const [, head, ...rest] = noteLines(note);
  if (!head) return [];
  const lines = rest.map((l) => l.trim()).filter(Boolean);
  return [box('emphasis', [para(head, { weight: 'Bolder' }), ...limited(lines, budget, (l) => para(clip(l, budget.chars), {}, 'None'), 'items')])];
}
