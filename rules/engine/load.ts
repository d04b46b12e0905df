import safeRegex from 'safe-regex2';
import { ALERT_LITERALS, ALERT_SIDE_SIGNALS, ALERT_SIGNALS } from '../logs/extract/alerts.js';
import { validateConditions } from './conditions.js';
import { buildLiteralMatcher } from '../logs/literal-search.js';
import type { CompiledSignature, ScanRules } from '../logs/scan-rules.js';
import { CERTIFICATE_CONTEXT_SIGNALS, CERTIFICATE_SIGNALS } from '../certificates/signals.js';
import { CAPTURE_CONTEXT_SIGNALS, CAPTURE_SIGNALS } from '../capture/signals.js';
import { EXPORT_SIGNALS } from '../export/signals.js';
import { PROBE_SIGNALS } from '../probe/signals.js';
import { CAPTURE_NAMES, familySchema, type FamilySpec, type RuleSpec, type SignatureSpec, type StackStepsSpec } from './schema.js';

/** A rule-family file as read by the caller: rules/ does no I/O, so the text or parsed JSON is handed in. */
export interface RuleFileInput {
  /** Shown in errors: a path or a name such as "builtin:protocol-version.json". */
  readonly name: string;
  readonly text?: string;
  readonly json?: unknown;
}

export class RuleFileError extends Error {
  readonly code = 'RULES_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`invalid rule files:\n  ${problems.join('\n  ')}`);
    this.name = 'RuleFileError';
  }
}

export interface RuleSet extends ScanRules {
  readonly files: readonly string[];
  /** Next steps by cause and TLS stack, from every family's stackSteps. */
  readonly stackSteps: readonly StackStepsSpec[];
  readonly rules: readonly (RuleSpec & { file: string })[];
  /** Every lower-case literal whose presence makes a line worth a closer look. */
  readonly literals: readonly string[];
}

// A pattern may have at most this many unbounded quantifiers: star height 1 (safe-regex2) alone still
// allows polynomial blow-ups like .*.*.*x. (It runs on at most PATTERN_WINDOW characters of a line.)
const MAX_UNBOUNDED_QUANTIFIERS = 2;

export function loadRuleSet(inputs: readonly RuleFileInput[]): RuleSet {
  const problems: string[] = [];
  const families: { file: string; spec: FamilySpec }[] = [];
  for (const input of inputs) {
    const spec = parseFamily(input, problems);
    if (spec) families.push({ file: input.name, spec });
  }

  const seen = { family: new Map<string, string>(), signature: new Map<string, string>(), rule: new Map<string, string>() };
  const signatures: CompiledSignature[] = [];
  const backgroundSignals = new Set<string>();
  const genericSignals = new Set<string>();
  const signalRoles = new Map<string, SignatureSpec['role']>([
    ...[...ALERT_SIGNALS, ...ALERT_SIDE_SIGNALS, ...PROBE_SIGNALS, ...CERTIFICATE_SIGNALS].map((s): [string, SignatureSpec['role']] => [s, 'cause']),
    ...CERTIFICATE_CONTEXT_SIGNALS.map((s): [string, SignatureSpec['role']] => [s, 'context']),
    ...CAPTURE_SIGNALS.map((s): [string, SignatureSpec['role']] => [s, 'cause']),
    ...CAPTURE_CONTEXT_SIGNALS.map((s): [string, SignatureSpec['role']] => [s, 'context']),
    ...EXPORT_SIGNALS.map((s): [string, SignatureSpec['role']] => [s, 'context']),
  ]);
  for (const { file, spec } of families) {
    unique(seen.family, spec.family, file, 'family', problems);
    spec.signatures.forEach((signature, i) => {
      const at = `${file}: signatures[${i}]`;
      unique(seen.signature, signature.id, file, 'signature id', problems);
      const known = signalRoles.get(signature.signal);
      if (known && known !== signature.role) {
        problems.push(`${at}.role: signal "${signature.signal}" is already declared with role "${known}"`);
      }
      signalRoles.set(signature.signal, signature.role);
      if (signature.background) backgroundSignals.add(signature.signal);
      if (signature.generic) genericSignals.add(signature.signal);
      const regex = signature.pattern === undefined ? undefined : compilePattern(signature.pattern, `${at}.pattern`, problems);
      const captures = signature.captures === undefined ? undefined : compilePattern(signature.captures, `${at}.captures`, problems);
      signatures.push({
        id: signature.id,
        signal: signature.signal,
        literals: signature.contains.map((l) => l.toLowerCase()),
        literalIds: [],
        ...(regex ? { regex } : {}),
        ...(captures ? { captures } : {}),
        ...(signature.vantage && signature.vantage !== 'either' ? { vantage: signature.vantage } : {}),
        ...(signature.source ? { source: signature.source } : {}),
        role: signature.role,
        file,
      });
    });
  }

  const knownSignals = new Set(signalRoles.keys());
  const rules: (RuleSpec & { file: string })[] = [];
  for (const { file, spec } of families) {
    spec.rules.forEach((rule, i) => {
      unique(seen.rule, rule.name, file, 'rule name', problems);
      problems.push(...validateConditions(rule.conditions, `${file}: rules[${i}].conditions`, knownSignals));
      rules.push({ ...rule, file });
    });
  }
  if (problems.length > 0) throw new RuleFileError(problems);

  const literals = [...new Set([...signatures.flatMap((s) => s.literals), ...ALERT_LITERALS])];
  const idOf = new Map(literals.map((l, i) => [l, i]));
  const indexed = signatures.map((s) => ({ ...s, literalIds: s.literals.map((l) => idOf.get(l) as number) }));
  const alertLiteralIds = ALERT_LITERALS.map((l) => idOf.get(l) as number);
  // A literal is strong when an alert or a non-context signature uses it: only those can make a line causal.
  const strong = new Set([...alertLiteralIds, ...indexed.filter((s) => s.role !== 'context').flatMap((s) => s.literalIds)]);
  const matcher = buildLiteralMatcher(literals, (id) => strong.has(id));
  const stackSteps = families.flatMap((f) => f.spec.stackSteps);
  return { files: families.map((f) => f.file), signatures: indexed, rules, signalRoles, literals, matcher, alertLiteralIds, backgroundSignals, genericSignals, stackSteps };
}

function parseFamily(input: RuleFileInput, problems: string[]): FamilySpec | undefined {
  let json = input.json;
  if (input.text !== undefined) {
    try {
      json = JSON.parse(input.text);
    } catch (error) {
      problems.push(`${input.name}: not valid JSON: ${(error as Error).message}`);
      return undefined;
    }
  }
  const parsed = familySchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
      problems.push(`${input.name}: ${path || '(top level)'}: ${issue.message}`);
    }
    return undefined;
  }
  return parsed.data;
}

function unique(map: Map<string, string>, key: string, file: string, what: string, problems: string[]): void {
  const first = map.get(key);
  if (first !== undefined) problems.push(`${file}: ${what} "${key}" is already defined in ${first}`);
  else map.set(key, file);
}

/** Compiles a rule-file pattern, refusing ones that could backtrack catastrophically on hostile input. */
export function compilePattern(pattern: string, at: string, problems: string[], flags = 'i'): RegExp | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags);
  } catch (error) {
    problems.push(`${at}: not a valid regular expression: ${(error as Error).message}`);
    return undefined;
  }
  const unbounded = pattern.match(/(?<!\\)(?:[*+]|\{\d+,\})/g)?.length ?? 0;
  if (!safeRegex(regex) || unbounded > MAX_UNBOUNDED_QUANTIFIERS) {
    problems.push(
      `${at}: pattern may backtrack catastrophically (nested or more than ${MAX_UNBOUNDED_QUANTIFIERS} unbounded quantifiers); use bounded repeats such as [^:]{1,80}`,
    );
    return undefined;
  }
  for (const name of Object.keys(new RegExp(`${pattern}|(?:)`).exec('')?.groups ?? {})) {
    if (!(CAPTURE_NAMES as readonly string[]).includes(name)) {
      problems.push(`${at}: unknown capture group "${name}"; use ${CAPTURE_NAMES.join(', ')}`);
    }
  }
  return regex;
}
