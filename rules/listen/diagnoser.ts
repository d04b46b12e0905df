import listenRules from '../catalog/listen.json' with { type: 'json' };
import type { RuleFileInput } from '../engine/load.js';
import type { RuleEngine } from '../engine/rule-engine.js';
import { signalRuleEngine, type PlainRule } from '../probe/signal-rules.js';
import { diagnoseListen } from './diagnose.js';
import type { ListenDiagnosis, ListenObservation } from './signals.js';

// What `tls-triage listen` needs of the rules: listen.json (and an operator's own files), compiled
// to signal predicates like the probe's; the loader and json-rules-engine only when extra files come.

export interface ListenDiagnoser {
  diagnoseListen(observation: ListenObservation): Promise<ListenDiagnosis>;
}

export const LISTEN_RULE_FILE: RuleFileInput = { name: 'builtin:listen.json', json: listenRules };

export async function createListenDiagnoser(extraFiles: readonly RuleFileInput[] = []): Promise<ListenDiagnoser> {
  let engine: RuleEngine | undefined = extraFiles.length === 0 ? signalRuleEngine(listenRules.rules as PlainRule[]) : undefined;
  if (!engine) {
    const { loadRuleSet } = await import('../engine/load.js');
    const rules = loadRuleSet([LISTEN_RULE_FILE, ...extraFiles]);
    engine = signalRuleEngine(rules.rules) ?? (await import('../engine/rule-engine.js')).createRuleEngine(rules);
  }
  const ready = engine;
  return { diagnoseListen: (observation) => diagnoseListen(observation, ready) };
}
