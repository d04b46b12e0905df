import type { Reply } from '../../bot/types.js';
import { describeLine } from '../text/render-diagnosis.js';
import { describeSummary } from '../text/render-incident.js';
import { renderReplyText } from '../text/render.js';
import { box, card, clip, footer, heading, limited, para, run, type AdaptiveCard, type Budget, type CardElement } from './card-elements.js';
import { targetWords } from './mention.js';
import { briefBody, diagnosisActions, diagnosisBody, incidentNote, type Mentions } from './render-diagnosis.js';
import { incidentBody } from './render-incident.js';

// Reply -> Adaptive Card (schema 1.5, what Teams renders). Every card carries the plain-text
// rendering as fallbackText and, where there is one, the cause id in a footer. Teams refuses
// messages over about 28 KB, so a card that comes out too large is rebuilt with fewer list items
// and shorter lines, each cut saying what was left out.

/** Card JSON (fallback text included) stays under this; the rest of the activity is small. */
export const CARD_LIMIT_BYTES = 24 * 1024;
const FALLBACK_CHARS = 1500;
// A chat card shows the first ten of each list even when more would fit: the thread is for
// triage, the CLI and `summary` are for reading everything.
const BUDGETS: readonly Budget[] = [
  { items: 10, chars: 500 },
  { items: 6, chars: 300 },
  { items: 4, chars: 200 },
  { items: 2, chars: 120 },
  { items: 1, chars: 80 },
];

export function renderCard(reply: Reply): AdaptiveCard {
  const fallbackText = plainFallback(reply);
  for (const budget of BUDGETS) {
    const built = buildCard(reply, budget, fallbackText);
    if (cardBytes(built) <= CARD_LIMIT_BYTES) return built;
  }
  return card([para('This reply is too large for a Teams card. Ask for it with the CLI (tls-triage diagnose FILE).'), ...footerFor(reply)], { fallbackText: clip(fallbackText, 400) });
}

export function cardBytes(value: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/** A one-line summary (notifications, the chat list preview). */
export function cardSummary(reply: Reply): string {
  const first = plainFallback(reply).split('\n').find((l) => l.trim().length > 0 && !l.startsWith('!!!')) ?? reply.kind;
  return clip(first.trim(), 200);
}

function buildCard(reply: Reply, budget: Budget, fallbackText: string): AdaptiveCard {
  const mentions: Mentions = [];
  const body = bodyOf(reply, budget, mentions);
  const runbook = reply.kind === 'diagnosis' || reply.kind === 'change' ? reply.diagnosis.runbook : reply.kind === 'incident' ? reply.report.diagnosis?.runbook : undefined;
  const buttons = reply.kind === 'diagnosis' || reply.kind === 'change' ? diagnosisActions(reply.diagnosis, reply.route, reply, budget, mentions) : [];
  const actions = [...buttons, ...(runbook ? [{ type: 'Action.OpenUrl', title: 'Open the runbook', url: runbook }] : [])];
  return card([...body, ...footerFor(reply)], { fallbackText, actions, entities: mentions });
}

function bodyOf(reply: Reply, budget: Budget, mentions: Mentions): CardElement[] {
  switch (reply.kind) {
    case 'diagnosis':
      if (!reply.full) return briefBody(reply.diagnosis, reply.route, budget, mentions, reply.incident);
      return [...diagnosisBody(reply.diagnosis, reply.route, budget, mentions), ...(reply.incident ? incidentNote(reply.incident, budget) : [])];
    case 'change': {
      const now = describeSummary({ ...reply.diagnosis, basedOn: 0, at: '' });
      const because = reply.because ? [para([run('Because of: '), run(clip(describeLine(reply.because), budget.chars), { fontType: 'Monospace', size: 'Small' })])] : [];
      const head = box('accent', [para('Diagnosis changed', { weight: 'Bolder', color: 'Accent' }), para(`Was: ${describeSummary(reply.was)}. Now: ${now}.`), ...because]);
      return [head, ...briefBody(reply.diagnosis, reply.route, budget, mentions, reply.incident)];
    }
    case 'noted':
      return [
        para(`Added ${reply.added} to the incident.`, { weight: 'Bolder' }),
        para(`Diagnosis unchanged: ${describeSummary(reply.current)}: ${clip(reply.current.title, budget.chars)}.`),
        ...incidentNote(reply.incident, budget),
      ];
    case 'incident':
      return incidentBody(reply.report, reply.view, budget, mentions);
    case 'warning':
      return [box('attention', [para('WARNING', { weight: 'Bolder', color: 'Attention' }), para(reply.warning.text)])];
    case 'help':
      return [heading(reply.title), ...limited(reply.lines, { ...budget, items: Math.max(budget.items, 40) }, (l) => para(`• ${clip(l, budget.chars)}`, {}, 'Small'), 'lines')];
    case 'notice':
      return [para(clip(reply.text, budget.chars * 4))];
    case 'error':
      return [box('attention', [para(clip(reply.text, budget.chars * 4))])];
  }
}

function footerFor(reply: Reply): CardElement[] {
  switch (reply.kind) {
    case 'diagnosis':
    case 'change':
      return [footer(`cause: ${reply.diagnosis.cause}`)];
    case 'noted':
      return [footer(`cause: ${reply.current.cause}`)];
    case 'incident':
      return reply.report.diagnosis ? [footer(`cause: ${reply.report.diagnosis.cause}`)] : [];
    case 'warning':
      return [footer(`warning: ${reply.warning.id}`)];
    case 'error':
      return [footer(`error: ${reply.code}`)];
    case 'help':
    case 'notice':
      return [];
  }
}

/** The text rendering, with a Teams mention target shown as words, cut in the middle if long. */
function plainFallback(reply: Reply): string {
  const shown: Reply =
    (reply.kind === 'diagnosis' || reply.kind === 'change') && reply.route
      ? { ...reply, route: { ...reply.route, targets: reply.route.targets.map(targetWords) } }
      : reply.kind === 'incident' && reply.report.route
        ? { ...reply, report: { ...reply.report, route: { ...reply.report.route, targets: reply.report.route.targets.map(targetWords) } } }
        : reply;
  const text = renderReplyText(shown);
  if (text.length <= FALLBACK_CHARS) return text;
  // The closing "cause: <id>" line stays visible even when the middle is cut.
  const lines = text.split('\n');
  const last = lines.at(-1) ?? '';
  const tail = last.startsWith('cause: ') ? `\n…\n${last}` : '\n…';
  return `${text.slice(0, FALLBACK_CHARS - tail.length)}${tail}`;
}
