import { hostOf } from './host-port.js';
import { describeOwner } from './owner.js';
import type { RuleEngine } from './engine.js';
import { probeSignals, type ProbeDiagnosis, type ProbeObservation } from './probe-signals.js';
import type { GroupFacts } from './scan.js';
import type { LineContext } from './types.js';

/** Diagnoses a probe observation with the same engine as logs: primary cause, findings, warnings. */
export async function diagnoseProbe(observation: ProbeObservation, engine: RuleEngine): Promise<ProbeDiagnosis> {
  const signals = probeSignals(observation).sort();
  const facts: GroupFacts = { signals, vantage: 'client', sources: ['probe'], causalSignals: signals.length };
  const verdict = await engine.evaluateAll(facts);
  const context: LineContext = { server: observation.target, source: 'probe' };
  const fill = (text: string): string => text.replace(/\{(server|host)\}/g, (_, k: string) => (k === 'server' ? observation.target : hostOf(observation.target)));
  const findings = verdict.diagnoses.map((d) => ({ cause: d.params.cause, team: d.params.team, title: fill(d.params.title) }));
  const warnings = verdict.warnings.map((w) => ({ id: w.warning, text: fill(w.text) }));
  const primary = verdict.diagnoses[0];
  if (!primary) {
    return {
      cause: 'healthy',
      team: 'none',
      title: `${observation.target} completed a TLS handshake: nothing to fix`,
      explanation:
        warnings.length > 0
          ? 'The endpoint accepts a modern TLS handshake with a valid, trusted certificate for this name. The warnings below still deserve a ticket.'
          : 'The endpoint accepts a modern TLS handshake with a valid, trusted certificate for this name.',
      vantage: 'client',
      redHerringPresent: false,
      redHerringOnly: false,
      evidence: [],
      nextSteps: [],
      warnings,
      others: [],
      findings: [{ cause: 'healthy', team: 'none', title: 'healthy' }],
    };
  }
  const owner = describeOwner(primary.params.team, 'client', context);
  return {
    cause: primary.params.cause,
    team: primary.params.team,
    title: fill(primary.params.title),
    explanation: fill(primary.params.explanation),
    vantage: 'client',
    redHerringPresent: false,
    redHerringOnly: false,
    evidence: [],
    nextSteps: primary.params.nextSteps.map(fill),
    warnings,
    others: verdict.diagnoses.slice(1).map((d) => ({ cause: d.params.cause, team: d.params.team, count: 1, example: { line: 0, text: fill(d.params.title) } })),
    findings,
    ...(owner ? { owner } : {}),
  };
}
