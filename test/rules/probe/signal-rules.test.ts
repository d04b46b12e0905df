import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import listenRules from '../../../rules/catalog/listen.json' with { type: 'json' };
import { loadRuleSet } from '../../../rules/engine/load.js';
import { LISTEN_RULE_FILE } from '../../../rules/listen/diagnoser.js';
import { PROBE_RULE_FILES, PROBE_RULES } from '../../../rules/probe/catalog.js';
import { createRuleEngine } from '../../../rules/engine/rule-engine.js';
import { signalRuleEngine, type PlainRule } from '../../../rules/probe/signal-rules.js';
import { PROBE_SIGNALS } from '../../../rules/probe/signals.js';

// The compiled signal rules the probe and listen CLIs use must judge exactly as json-rules-engine
// does: probe.json, starttls.json and client-emulation.json together, and listen.json.
const rules = loadRuleSet(PROBE_RULE_FILES);
const full = createRuleEngine(rules);
const fast = signalRuleEngine(PROBE_RULES as PlainRule[]);
const listenFull = createRuleEngine(loadRuleSet([LISTEN_RULE_FILE]));
const listenFast = signalRuleEngine(listenRules.rules as PlainRule[]);

describe('compiled probe signal rules', () => {
  it('compile every built-in probe and listen rule file', () => {
    expect(fast).toBeDefined();
    expect(listenFast).toBeDefined();
  });

  it('agree with json-rules-engine on the listener\'s rules', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray([...PROBE_SIGNALS]), async (signals) => {
        const facts = { signals, vantage: 'server' as const, sources: ['listen'], causalSignals: signals.length };
        const [a, b] = await Promise.all([listenFull.evaluateAll(facts), listenFast?.evaluateAll(facts)]);
        expect(b?.diagnoses.map((d) => [d.params.cause, d.rule])).toEqual(a.diagnoses.map((d) => [d.params.cause, d.rule]));
      }),
      { numRuns: 200 },
    );
  });

  it('agree with json-rules-engine on any set of probe signals', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray([...PROBE_SIGNALS]), async (signals) => {
        const facts = { signals, vantage: 'client' as const, sources: ['probe'], causalSignals: signals.length };
        const [a, b] = await Promise.all([full.evaluateAll(facts), fast?.evaluateAll(facts)]);
        expect(b?.diagnoses.map((d) => [d.params.cause, d.rule])).toEqual(a.diagnoses.map((d) => [d.params.cause, d.rule]));
        // Among warnings of equal priority json-rules-engine's order follows evaluation timing; compare as sets.
        const ids = (ws: readonly { warning: string }[] | undefined): string[] => (ws ?? []).map((w) => w.warning).sort();
        expect(ids(b?.warnings)).toEqual(ids(a.warnings));
      }),
      { numRuns: 300 },
    );
  });

  it('decline a rule with any other fact or operator (the full engine then runs)', () => {
    const rule = (conditions: unknown): PlainRule[] => [{ name: 'x', priority: 1, conditions, event: { type: 'warning', params: {} } }];
    expect(signalRuleEngine(rule({ any: [{ fact: 'vantage', operator: 'equal', value: 'client' }] }))).toBeUndefined();
    expect(signalRuleEngine(rule({ all: [{ fact: 'signals', operator: 'in', value: ['a'] }] }))).toBeUndefined();
    expect(signalRuleEngine(rule({ not: { fact: 'signals', operator: 'contains', value: 'a' } }))).toBeDefined();
  });
});
