import type { FiredDiagnosis, RuleEngine } from '../engine/rule-engine.js';
import type { GroupFacts } from '../logs/fact-buckets.js';
import type { DiagnosisEventParams, WarningEventParams } from '../types.js';

// The probe's rules test one fact, `signals`, with contains / doesNotContain under all / any / not.
// Such rules are compiled here into plain predicates: same verdicts as json-rules-engine (priority
// first, then file order; one diagnosis per cause, one warning per id), without loading it and
// its JSONPath dependency into a short-lived `tls-triage probe` process. A rule set with any other
// condition is not compiled (signalRuleEngine returns undefined) and goes to the full engine.
// test/rules/probe/signal-rules.test.ts checks the two agree on every probe signal combination.

export interface PlainRule {
  readonly name: string;
  readonly priority: number;
  readonly conditions: unknown;
  readonly event: { readonly type: string; readonly params: unknown };
}

type Test = (signals: ReadonlySet<string>) => boolean;

function compile(c: unknown): Test | undefined {
  if (typeof c !== 'object' || c === null) return undefined;
  const node = c as Record<string, unknown>;
  const keys = Object.keys(node);
  if (keys.length === 1 && (keys[0] === 'all' || keys[0] === 'any') && Array.isArray(node[keys[0]])) {
    const parts = (node[keys[0]] as unknown[]).map(compile);
    if (parts.some((p) => p === undefined)) return undefined;
    const tests = parts as Test[];
    return keys[0] === 'all' ? (s) => tests.every((t) => t(s)) : (s) => tests.some((t) => t(s));
  }
  if (keys.length === 1 && keys[0] === 'not') {
    const inner = compile(node.not);
    return inner ? (s) => !inner(s) : undefined;
  }
  if (node.fact === 'signals' && typeof node.value === 'string' && node.path === undefined && node.params === undefined) {
    const value = node.value;
    if (node.operator === 'contains') return (s) => s.has(value);
    if (node.operator === 'doesNotContain') return (s) => !s.has(value);
  }
  return undefined;
}

export function signalRuleEngine(rules: readonly PlainRule[]): RuleEngine | undefined {
  const compiled: { rule: PlainRule; test: Test }[] = [];
  for (const rule of rules) {
    const test = compile(rule.conditions);
    if (!test) return undefined;
    compiled.push({ rule, test });
  }
  // Stable: equal priorities keep file order, as the engine's results do.
  compiled.sort((a, b) => b.rule.priority - a.rule.priority);
  const evaluateAll = async (facts: GroupFacts): Promise<{ diagnoses: FiredDiagnosis[]; warnings: WarningEventParams[] }> => {
    const signals = new Set(facts.signals);
    const diagnoses: FiredDiagnosis[] = [];
    const warnings: WarningEventParams[] = [];
    for (const { rule, test } of compiled) {
      if (!test(signals)) continue;
      if (rule.event.type === 'diagnosis') {
        const params = rule.event.params as DiagnosisEventParams;
        if (!diagnoses.some((d) => d.params.cause === params.cause)) diagnoses.push({ params, priority: rule.priority, rule: rule.name });
      } else if (rule.event.type === 'warning') {
        const params = rule.event.params as WarningEventParams;
        if (!warnings.some((w) => w.warning === params.warning)) warnings.push(params);
      }
    }
    return { diagnoses, warnings };
  };
  return {
    evaluateAll,
    async evaluate(facts) {
      const { diagnoses, warnings } = await evaluateAll(facts);
      const [diagnosis] = diagnoses;
      return diagnosis ? { diagnosis, warnings } : { warnings };
    },
  };
}
