import { Engine } from 'json-rules-engine';
import type { RuleSet } from './load.js';
import type { GroupFacts } from '../logs/fact-buckets.js';
import type { DiagnosisEventParams, WarningEventParams } from '../types.js';

export interface FiredDiagnosis {
  readonly params: DiagnosisEventParams;
  readonly priority: number;
  readonly rule: string;
}
export interface BucketVerdict {
  /** The highest-priority diagnosis whose conditions hold, if any. */
  readonly diagnosis?: FiredDiagnosis;
  readonly warnings: readonly WarningEventParams[];
}

export interface RuleEngine {
  evaluate(facts: GroupFacts): Promise<BucketVerdict>;
  /** Every diagnosis that holds (highest priority first, one per cause), not only the top one. */
  evaluateAll(facts: GroupFacts): Promise<{ diagnoses: FiredDiagnosis[]; warnings: WarningEventParams[] }>;
}

/** Wraps json-rules-engine: one engine for the rule set, run once per distinct fact set. */
export function createRuleEngine(rules: RuleSet): RuleEngine {
  const engine = new Engine([], { allowUndefinedFacts: false });
  for (const rule of rules.rules) {
    engine.addRule({ name: rule.name, priority: rule.priority, conditions: rule.conditions as never, event: rule.event });
  }
  const cache = new Map<string, Promise<BucketVerdict>>();

  async function runAll(facts: GroupFacts): Promise<{ diagnoses: FiredDiagnosis[]; warnings: WarningEventParams[] }> {
    const result = await engine.run({ ...facts });
    const fired = [...result.results].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
    const diagnoses: FiredDiagnosis[] = [];
    const warnings: WarningEventParams[] = [];
    for (const r of fired) {
      const event = r.event as { type: string; params: unknown } | undefined;
      if (event?.type === 'diagnosis') {
        const params = event.params as DiagnosisEventParams;
        if (!diagnoses.some((d) => d.params.cause === params.cause)) diagnoses.push({ params, priority: r.priority ?? 0, rule: r.name ?? '' });
      } else if (event?.type === 'warning') {
        const params = event.params as WarningEventParams;
        if (!warnings.some((w) => w.warning === params.warning)) warnings.push(params);
      }
    }
    return { diagnoses, warnings };
  }
  async function run(facts: GroupFacts): Promise<BucketVerdict> {
    const { diagnoses, warnings } = await runAll(facts);
    const [diagnosis] = diagnoses;
    return diagnosis ? { diagnosis, warnings } : { warnings };
  }

  return {
    evaluateAll: runAll,
    evaluate(facts) {
      const key = JSON.stringify(facts);
      let verdict = cache.get(key);
      if (!verdict) {
        verdict = run(facts);
        if (cache.size < 5_000) cache.set(key, verdict);
      }
      return verdict;
    },
  };
}
