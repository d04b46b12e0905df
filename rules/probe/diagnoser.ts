import type { RuleFileInput } from '../engine/load.js';
import { PROBE_RULE_FILES, PROBE_RULES } from './catalog.js';
import type { RuleEngine } from '../engine/rule-engine.js';
import { diagnoseProbe } from './diagnose.js';
import { signalRuleEngine, type PlainRule } from './signal-rules.js';
import type { ProbeDiagnosis, ProbeObservation } from './signals.js';

// What `tls-triage probe` needs of the rules: the probe's catalog files (and an operator's own
// files), nothing else. The full diagnoser (rules/index.ts) compiles every log family's signatures
// and the MustGather list, which a probe never uses and a short-lived CLI process pays for. The
// built-in probe.json is checked by the rule tests (rules check, test/rules/probe/), so with no
// extra file it goes straight to the compiled signal rules; extra files are loaded and validated
// (the loader, zod schemas and, for conditions beyond signals, json-rules-engine come in then).

export interface ProbeDiagnoser {
  diagnoseProbe(observation: ProbeObservation): Promise<ProbeDiagnosis>;
}

export async function createProbeDiagnoser(extraFiles: readonly RuleFileInput[] = []): Promise<ProbeDiagnoser> {
  let engine: RuleEngine | undefined = extraFiles.length === 0 ? signalRuleEngine(PROBE_RULES as PlainRule[]) : undefined;
  if (!engine) {
    const { loadRuleSet } = await import('../engine/load.js');
    const rules = loadRuleSet([...PROBE_RULE_FILES, ...extraFiles]);
    engine = signalRuleEngine(rules.rules) ?? (await import('../engine/rule-engine.js')).createRuleEngine(rules);
  }
  const ready = engine;
  return { diagnoseProbe: (observation) => diagnoseProbe(observation, ready) };
}
