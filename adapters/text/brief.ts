import type { IncidentNote } from '../../bot/types.js';
import type { Diagnosis, EvidenceLine } from '../../rules/index.js';
import { alternativesLine } from './who-acts.js';

// What the first reply in a chat shows of a diagnosis, the same in Slack, Teams and the console: the
// cause, who acts, at most three evidence lines (the causal ones: the rules list them first and
// never a stack frame), at most three next steps and the alternatives in one line. Everything else
// is behind "Details", and the reply says what that holds.

export const BRIEF_EVIDENCE = 3;
export const BRIEF_STEPS = 3;
/** Characters of one evidence line in a chat-sized reply. */
export const BRIEF_LINE_CHARS = 300;

export interface Brief {
  readonly evidence: readonly EvidenceLine[];
  readonly nextSteps: readonly string[];
  readonly alternatives?: string;
  /** The missing evidence item most likely to change the diagnosis, in one line. */
  readonly ask?: string;
  /** What "Details" adds, in words ("the explanation, 2 more next steps, 1 warning"). */
  readonly more: string;
}

export function briefOf(d: Diagnosis, note?: IncidentNote): Brief {
  const evidence = d.evidence.slice(0, BRIEF_EVIDENCE).map((e) => ({ ...e, text: clipLine(e.text) }));
  const nextSteps = d.nextSteps.slice(0, BRIEF_STEPS);
  const alternatives = alternativesLine(d);
  const first = note?.asks[0];
  const count = (n: number, one: string, many = `${one}s`): string | undefined => (n > 0 ? `${n} ${n === 1 ? one : many}` : undefined);
  const more = [
    'the explanation',
    count(d.evidence.length - evidence.length, 'more evidence line'),
    count(d.nextSteps.length - nextSteps.length, 'more next step'),
    count(d.warnings.length, 'warning'),
    count(d.others.length, 'other cause'),
    count((d.alternatives?.length ?? 0) - Math.min(d.alternatives?.length ?? 0, 2), 'more alternative'),
    d.runbook ? 'the runbook' : undefined,
  ].filter((x): x is string => x !== undefined);
  return {
    evidence,
    nextSteps,
    ...(alternatives ? { alternatives } : {}),
    ...(first ? { ask: `${first.title}: ${first.how[0] ?? ''}` } : {}),
    more: joinWords(more),
  };
}

function clipLine(text: string): string {
  return text.length > BRIEF_LINE_CHARS ? `${text.slice(0, BRIEF_LINE_CHARS)}…` : text;
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
