import { FACT_NAMES, OPERATORS, VANTAGES } from '../vocabulary.js';

// json-rules-engine accepts any condition tree and only complains at run time (or never, for a
// misspelt signal). This checks a tree against the closed fact vocabulary and the known signals,
// returning one message per problem with the JSON path to it.

const BOOLEAN_KEYS = ['all', 'any', 'not'] as const;
const LEAF_KEYS = new Set(['fact', 'operator', 'value', 'path', 'params', 'priority', 'name']);
const MAX_DEPTH = 8;

export function validateConditions(tree: unknown, path: string, knownSignals: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  walk(tree, path, 0);
  return problems;

  function walk(node: unknown, at: string, depth: number): void {
    if (depth > MAX_DEPTH) return void problems.push(`${at}: conditions nest deeper than ${MAX_DEPTH} levels`);
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      return void problems.push(`${at}: expected an object with "all", "any", "not" or "fact"`);
    }
    const record = node as Record<string, unknown>;
    const booleans = BOOLEAN_KEYS.filter((k) => k in record);
    if (booleans.length > 1) return void problems.push(`${at}: use only one of "all", "any", "not" per object`);
    const [kind] = booleans;
    if (kind === 'not') return walk(record.not, `${at}.not`, depth + 1);
    if (kind === 'all' || kind === 'any') {
      const list = record[kind];
      if (!Array.isArray(list) || list.length === 0) return void problems.push(`${at}.${kind}: expected a non-empty array`);
      list.forEach((child, i) => walk(child, `${at}.${kind}[${i}]`, depth + 1));
      return;
    }
    leaf(record, at);
  }

  function leaf(record: Record<string, unknown>, at: string): void {
    for (const key of Object.keys(record)) {
      if (!LEAF_KEYS.has(key)) problems.push(`${at}.${key}: unknown key (a condition has fact, operator, value)`);
    }
    const { fact, operator, value } = record;
    if (typeof fact !== 'string' || !(FACT_NAMES as readonly string[]).includes(fact)) {
      problems.push(`${at}.fact: unknown fact ${JSON.stringify(fact)}; facts are ${FACT_NAMES.join(', ')}`);
      return;
    }
    if (typeof operator !== 'string' || !(OPERATORS as readonly string[]).includes(operator)) {
      problems.push(`${at}.operator: unknown operator ${JSON.stringify(operator)}; operators are ${OPERATORS.join(', ')}`);
      return;
    }
    if (fact === 'signals') checkSignalValue(operator, value, `${at}.value`);
    if (fact === 'vantage') {
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) {
        if (typeof v !== 'string' || !(VANTAGES as readonly string[]).includes(v)) {
          problems.push(`${at}.value: vantage is one of ${VANTAGES.join(', ')}, not ${JSON.stringify(v)}`);
        }
      }
    }
    if (fact === 'causalSignals' && typeof value !== 'number') problems.push(`${at}.value: causalSignals is a number`);
  }

  function checkSignalValue(operator: string, value: unknown, at: string): void {
    if (operator !== 'contains' && operator !== 'doesNotContain') {
      problems.push(`${at}: the signals fact is an array; use "contains" or "doesNotContain"`);
      return;
    }
    if (typeof value !== 'string') return void problems.push(`${at}: expected a signal id (string)`);
    if (!knownSignals.has(value)) {
      const hint = closest(value, knownSignals);
      problems.push(`${at}: unknown signal "${value}"${hint ? ` (did you mean "${hint}"?)` : ''}; no signature emits it`);
    }
  }
}

function closest(word: string, candidates: ReadonlySet<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(word.length / 4)) + 1;
  for (const candidate of candidates) {
    const d = distance(word, candidate, bestDistance);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** Levenshtein distance, giving up early past `limit` (a hint, not an exact metric). */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? limit;
}
