import probeRules from '../catalog/probe.json' with { type: 'json' };
import { createRuleEngine } from '../engine/rule-engine.js';
import { loadRuleSet, type RuleFileInput } from '../engine/load.js';
import { diagnoseProbe } from './diagnose.js';
import type { ProbeDiagnosis, ProbeObservation } from './signals.js';

// What `tls-triage probe` needs of the rules: the probe's catalog file (and an operator's own
// files), nothing else. The full diagnoser (rules/index.ts) compiles every log family's signatures
// and the MustGather list, which a probe never uses and a short-lived CLI process pays for.

export interface ProbeDiagnoser {
  diagnoseProbe(observation: ProbeObservation): Promise<ProbeDiagnosis>;
}

export function createProbeDiagnoser(extraFiles: readonly RuleFileInput[] = []): ProbeDiagnoser {
  const engine = createRuleEngine(loadRuleSet([{ name: 'builtin:probe.json', json: probeRules }, ...extraFiles]));
  return { diagnoseProbe: (observation) => diagnoseProbe(observation, engine) };
}
