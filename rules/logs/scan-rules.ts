import { matcherFromTables, type LiteralMatcher, type MatcherTables } from './literal-search.js';
import type { SignatureSpec } from '../engine/schema.js';

// What the scanner needs of a rule set, kept apart from the loader (zod, json-rules-engine) so that
// a worker thread scanning part of a big log starts in milliseconds: it gets these as plain data
// from the thread that loaded and validated the rule files, and never reads a rule file itself.

// A pattern runs on at most this many characters of a line (a 20 MB single line is read in windows).
export const PATTERN_WINDOW = 2048;

export interface CompiledSignature {
  readonly id: string;
  readonly signal: string;
  readonly literals: readonly string[];
  /** Indexes into RuleSet.literals. */
  readonly literalIds: readonly number[];
  readonly regex?: RegExp;
  readonly captures?: RegExp;
  readonly vantage?: 'server' | 'client';
  readonly source?: string;
  readonly role: SignatureSpec['role'];
  readonly file: string;
}

export interface ScanRules {
  readonly signatures: readonly CompiledSignature[];
  /** Signal id -> role; alert signals are causal. */
  readonly signalRoles: ReadonlyMap<string, SignatureSpec['role']>;
  /** Finds the literals in text (Aho-Corasick over all of them). */
  readonly matcher: LiteralMatcher;
  /** Ids of the alert extractor's literals: it runs only on lines that hold one. */
  readonly alertLiteralIds: readonly number[];
  /** Signals of background noise (health checkers, scanners): ranked below every other failure. */
  readonly backgroundSignals: ReadonlySet<string>;
  /** Signals that say only that a handshake failed: they do not decide whether a connection is background. */
  readonly genericSignals: ReadonlySet<string>;
}

/** ScanRules as structured-cloneable data (RegExp, Map and typed arrays clone; the matcher's closures do not). */
export interface ScanTables {
  readonly signatures: readonly CompiledSignature[];
  readonly signalRoles: ReadonlyMap<string, SignatureSpec['role']>;
  readonly matcher: MatcherTables;
  readonly alertLiteralIds: readonly number[];
  readonly backgroundSignals: ReadonlySet<string>;
  readonly genericSignals: ReadonlySet<string>;
}

export function scanTablesOf(rules: ScanRules): ScanTables {
  return { signatures: rules.signatures, signalRoles: rules.signalRoles, matcher: rules.matcher.tables, alertLiteralIds: rules.alertLiteralIds, backgroundSignals: rules.backgroundSignals, genericSignals: rules.genericSignals };
}

export function scanRulesFrom(tables: ScanTables): ScanRules {
  return {
    signatures: tables.signatures,
    signalRoles: tables.signalRoles,
    matcher: matcherFromTables(tables.matcher),
    alertLiteralIds: tables.alertLiteralIds,
    backgroundSignals: tables.backgroundSignals,
    genericSignals: tables.genericSignals,
  };
}
