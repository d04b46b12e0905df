import type { FiredDiagnosis } from './rule-engine.js';
import type { Diagnosis, Warning, WarningEventParams } from '../types.js';

// One observation (a probe, a certificate file, a domain export) judged by the engine gives every
// rule that fired; the first is the primary cause and the rest are listed. Shared so the three
// evidence kinds word their diagnoses alike.

export type VerdictParts = Pick<Diagnosis, 'cause' | 'team' | 'title' | 'explanation' | 'nextSteps' | 'others'>;

/** The primary cause and the others, placeholders filled; undefined when no rule fired. */
export function primaryOf(diagnoses: readonly FiredDiagnosis[], fill: (text: string) => string): VerdictParts | undefined {
  const [primary, ...rest] = diagnoses;
  if (!primary) return undefined;
  return {
    cause: primary.params.cause,
    team: primary.params.team,
    title: fill(primary.params.title),
    explanation: fill(primary.params.explanation),
    nextSteps: primary.params.nextSteps.map(fill),
    others: rest.map((d) => ({ cause: d.params.cause, team: d.params.team, count: 1, example: { line: 0, text: fill(d.params.title) } })),
  };
}

export function warningsOf(warnings: readonly WarningEventParams[], fill: (text: string) => string): Warning[] {
  return warnings.map((w) => ({ id: w.warning, text: fill(w.text) }));
}
