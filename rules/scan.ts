import { analyseLine } from './extract/line.js';
import { addHit, groupVantage, newGroup, UNTAGGED, type ConnectionGroup } from './group.js';
import { PATTERN_WINDOW, type RuleSet } from './load.js';
import type { Vantage } from './vocabulary.js';

// Streaming scan of a paste or a log of any size. The text is searched chunk by chunk with one
// combined regular expression of every signature literal; only lines around a hit are analysed,
// so a 100 MB log of ordinary traffic costs little more than the search itself. Memory is bounded:
// at most MAX_OPEN connections are open at once (the oldest are folded into per-pattern buckets),
// and a single huge line is looked at only in a window around each hit.

const MAX_OPEN = 20_000;
const MAX_BUCKETS = 10_000;
/** How far either side of a hit a line is read when the line is enormous. */
const HUGE_LINE_WINDOW = PATTERN_WINDOW;

/** The facts a rule sees: the vocabulary of rules/vocabulary.ts FACTS. */
export interface GroupFacts {
  signals: string[];
  vantage: Vantage;
  sources: string[];
  causalSignals: number;
}

/** Connections with identical facts share one bucket: the engine runs once per bucket. */
export interface FactBucket {
  readonly key: string;
  readonly facts: GroupFacts;
  count: number;
  /** The first connections seen with these facts, kept as evidence (bounded). */
  readonly examples: ConnectionGroup[];
}

export interface ScanResult {
  readonly buckets: FactBucket[];
  readonly lines: number;
  readonly chars: number;
  readonly hits: number;
  /** Connections that could not be given their own bucket because of the bucket cap. */
  readonly overflow: number;
}

export interface Scanner {
  push(chunk: string): void;
  end(): ScanResult;
}

export function createScanner(rules: RuleSet): Scanner {
  const finder = new RegExp(rules.literals.map(escapeRegExp).join('|'), 'g');
  const open = new Map<string, ConnectionGroup>();
  const buckets = new Map<string, FactBucket>();
  let carry = '';
  let lineBase = 1; // line number of the first character of `carry`
  let chars = 0;
  let hits = 0;
  let overflow = 0;
  let endsWithNewline = false;

  function fold(group: ConnectionGroup): void {
    const facts = toFacts(group, rules);
    const key = `${facts.vantage}|${facts.sources.join(',')}|${facts.signals.join(',')}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      if (buckets.size >= MAX_BUCKETS) return void (overflow += 1);
      bucket = { key, facts, count: 0, examples: [] };
      buckets.set(key, bucket);
    }
    bucket.count += 1;
    if (bucket.examples.length < 3) bucket.examples.push(group);
  }

  function record(text: string, line: number): void {
    const hit = analyseLine(text, line, rules);
    if (!hit) return;
    hits += 1;
    const key = hit.context.connection ?? UNTAGGED;
    let group = open.get(key);
    if (!group) {
      group = newGroup(key, line);
      open.set(key, group);
      if (open.size > MAX_OPEN) {
        const [oldestKey, oldest] = open.entries().next().value as [string, ConnectionGroup];
        open.delete(oldestKey);
        fold(oldest);
      }
    }
    addHit(group, hit);
  }

  /** Scans complete lines in `text` (ending with a newline, or the final text at end of input). */
  function scan(text: string): void {
    const lower = text.toLowerCase();
    // toLowerCase can change the length of some non-ASCII text; positions must stay aligned.
    const haystack = lower.length === text.length ? lower : text;
    const search = haystack === lower ? finder : new RegExp(finder.source, 'gi');
    search.lastIndex = 0;
    let counted = 0; // position up to which newlines are counted into lineBase
    for (let m = search.exec(haystack); m; m = search.exec(haystack)) {
      const start = text.lastIndexOf('\n', m.index) + 1;
      let end = text.indexOf('\n', m.index);
      if (end === -1) end = text.length;
      lineBase += countNewlines(text, counted, start);
      counted = start;
      let lineText = text.slice(start, end);
      if (lineText.endsWith('\r')) lineText = lineText.slice(0, -1);
      if (lineText.length > HUGE_LINE_WINDOW * 2) {
        const from = Math.max(0, m.index - start - HUGE_LINE_WINDOW);
        lineText = lineText.slice(from, from + HUGE_LINE_WINDOW * 2);
        // A huge line may hold several hits far apart: continue after this window, not after the line.
        record(lineText, lineBase);
        search.lastIndex = Math.min(end, start + from + HUGE_LINE_WINDOW * 2);
        continue;
      }
      record(lineText, lineBase);
      search.lastIndex = end + 1;
    }
    lineBase += countNewlines(text, counted, text.length);
  }

  return {
    push(chunk: string): void {
      if (chunk.length === 0) return;
      chars += chunk.length;
      endsWithNewline = chunk.endsWith('\n');
      const text = carry + chunk;
      const lastNewline = text.lastIndexOf('\n');
      if (lastNewline === -1) {
        // No complete line yet; keep a huge line bounded by scanning what we have and restarting.
        if (text.length > 8 * 1024 * 1024) {
          scan(text);
          carry = '';
        } else carry = text;
        return;
      }
      scan(text.slice(0, lastNewline + 1));
      carry = text.slice(lastNewline + 1);
    },
    end(): ScanResult {
      if (carry.length > 0) scan(carry);
      carry = '';
      for (const group of open.values()) fold(group);
      open.clear();
      const lines = chars === 0 ? 0 : lineBase - (endsWithNewline ? 1 : 0);
      return { buckets: [...buckets.values()], lines, chars, hits, overflow };
    },
  };
}

export function toFacts(group: ConnectionGroup, rules: RuleSet): GroupFacts {
  const signals = [...group.signals].sort();
  const causalSignals = signals.filter((s) => (rules.signalRoles.get(s) ?? 'cause') === 'cause').length;
  return { signals, vantage: groupVantage(group), sources: [...group.sources].sort(), causalSignals };
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
}

function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
