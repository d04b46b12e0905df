import type { StackStepsSpec } from '../engine/schema.js';
import type { CauseId } from '../vocabulary.js';

// A diagnosis's next steps: the rule's own, with the steps that fit the stack that failed (Java's
// keytool, Node's NODE_EXTRA_CA_CERTS, Windows' certutil...) after its first one, which is usually the
// check that confirms the diagnosis. Duplicates go; ten at most, as the contract says.

const MAX_STEPS = 10;

export function nextStepsFor(cause: CauseId, stacks: readonly string[], ruleSteps: readonly string[], table: readonly StackStepsSpec[]): string[] {
  const fitting = table.filter((entry) => entry.causes.includes(cause) && entry.stacks.some((s) => stacks.includes(s))).flatMap((entry) => entry.steps);
  const [first, ...rest] = ruleSteps;
  const merged = first === undefined ? fitting : [first, ...fitting, ...rest];
  return [...new Set(merged)].slice(0, MAX_STEPS);
}
