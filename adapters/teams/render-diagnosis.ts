import type { IncidentNote, Route } from '../../bot/types.js';
import type { Diagnosis } from '../../rules/index.js';
import { noteLines } from '../text/render-incident.js';
import { actingTeamWords, describeLine } from '../text/render-diagnosis.js';
import { box, clip, limited, markdown, mono, para, run, section, type Budget, type CardElement } from './card-elements.js';
import { mentionEntity, parseTarget, type MentionEntity } from './mention.js';

// The diagnosis part of a card, the same content as the text and Slack replies: the red-herring
// warning first, then cause, who acts (mentioning the routed team), evidence, next steps.

/** Mentions a card needs declared in `msteams.entities`; collected while its body is built. */
export type Mentions = MentionEntity[];

export function diagnosisBody(d: Diagnosis, route: Route | undefined, budget: Budget, mentions: Mentions): CardElement[] {
  const body: CardElement[] = [];
  if (d.redHerringOnly) {
    body.push(
      box('attention', [
        para('RED HERRING', { weight: 'Bolder', color: 'Attention' }),
        para('The only evidence is "SSL peer did not send a certificate during the handshake". It is NOT the root cause: do not send the client team after their certificate yet.'),
      ]),
    );
  }
  body.push(para(clip(d.title, budget.chars), { weight: 'Bolder', size: 'Large' }, 'Medium'));
  body.push(...whoActs(d, route, mentions));
  if (d.vantage !== 'unknown') {
    body.push(para(`Written by: the TLS ${d.vantage} side${d.count && d.count > 1 ? `; ${d.count} connections` : ''}`, { isSubtle: true }, 'None'));
  }
  body.push(para(clip(d.explanation, budget.chars * 4)));
  body.push(...section('Evidence', limited(d.evidence, budget, (e) => mono(clip(describeLine(e), budget.chars)), 'evidence lines')));
  body.push(...section('Next steps', limited(d.nextSteps, budget, (step, i) => para(`${i + 1}. ${clip(step, budget.chars)}`, {}, 'Small'), 'steps')));
  if (d.warnings.length > 0) {
    const shown = limited(d.warnings, budget, (w) => para([run(`[${w.id}] `, { weight: 'Bolder' }), run(clip(w.text, budget.chars * 2))], {}, 'Small'), 'warnings');
    body.push(box('warning', [para('Warnings', { weight: 'Bolder', color: 'Warning' }), ...shown]));
  }
  const other = (o: Diagnosis['others'][number]): CardElement =>
    para([run(`${o.cause} (${o.team}) x${o.count}, e.g. `), run(clip(describeLine(o.example), budget.chars), { fontType: 'Monospace', size: 'Small' })], {}, 'Small');
  body.push(...section('Also in this input', limited(d.others, budget, other, 'other causes')));
  return body;
}

/** "Who acts", with the routed team as a real Teams mention when the target is one. */
export function whoActs(d: Diagnosis, route: Route | undefined, mentions: Mentions): CardElement[] {
  const who = actingTeamWords(d);
  const runs = [run('Who acts: ', { weight: 'Bolder' }), run(`${who}${d.owner ? `: ${d.owner}` : ''}`)];
  if (!route) return [para(runs)];
  const target = parseTarget(route.target);
  if (target.kind === 'text') return [para([...runs, run(` (${target.text})`)])];
  const entity = mentionEntity(target);
  if (!mentions.some((m) => m.text === entity.text && m.mentioned.id === entity.mentioned.id)) mentions.push(entity);
  // The name comes from the operator's configuration, not from chat: safe in a Markdown block.
  return [para(runs), markdown(`**Routed to:** ${entity.text}`)];
}

export function incidentNote(note: IncidentNote, budget: Budget): CardElement[] {
  const [, head, ...rest] = noteLines(note);
  if (!head) return [];
  const lines = rest.map((l) => l.trim()).filter(Boolean);
  return [box('emphasis', [para(head, { weight: 'Bolder' }), ...limited(lines, budget, (l) => para(clip(l, budget.chars), {}, 'None'), 'items')])];
}
