import { analyseLine } from './extract/line.js';
import { addHit, groupVantage, newGroup, UNTAGGED, type ConnectionGroup } from './group.js';
import { BoundedMap } from './bounded-map.js';
import { detach } from './detach.js';
import { PATTERN_WINDOW, type RuleSet } from './load.js';
import type { Vantage } from './vocabulary.js';

// Streaming scan of a paste or a log of any size. The text is searched chunk by chunk with one
// combined regular expression of every signature literal; only lines around a hit are analysed,
// so a 100 MB log of ordinary traffic costs little more than the search itself. Memory is bounded:
// at most MAX_OPEN connections are open at once (the oldest are folded into per-pattern buckets),
// and a single huge line is looked at only in a window around each hit.

const MAX_OPEN = 5_000;
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
}

export interface Scanner {
  push(chunk: string): void;
  end(): ScanResult;
}

export function createScanner(rules: RuleSet): Scanner {
  const buckets = new Map<string, FactBucket>();
  let carry = '';
  let lineBase = 1; // line number of the first character of `carry`
  let chars = 0;
  let endsWithNewline = false;

  function fold(group: ConnectionGroup): void {
    const facts = toFacts(group, rules);
    const key = `${facts.vantage}|${facts.sources.join(',')}|${facts.signals.join(',')}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      // Past this many distinct fact sets the input is pathological; further new ones are dropped.
      if (buckets.size >= MAX_BUCKETS) return;
      bucket = { key, facts, count: 0, examples: [] };
      buckets.set(key, bucket);
    }
    bucket.count += 1;
    if (bucket.examples.length < 3) bucket.examples.push(group);
  }

  // Lines that only give context (DataPower's "Starting SSL termination of connection" at debug
  // level is written for every connection) are parked raw by connection and analysed only if that
  // connection turns out to fail: most connections in a big log never do.
  const parked = new BoundedMap<{ text: string; line: number }[]>(MAX_OPEN);
  const open = new BoundedMap<ConnectionGroup>(MAX_OPEN, (_key, group) => fold(group));

  function record(text: string, line: number): void {
    const literals = rules.matcher.literalsIn(text);
    let contextOnly = true;
    for (const id of literals) if (rules.contextOnlyLiterals[id] === 0) contextOnly = false;
    if (contextOnly) {
      const tid = dataPowerTid(text);
      if (tid !== undefined && !open.has(tid)) {
        const lines = parked.get(tid);
        if (lines) {
          if (lines.length < 4) lines.push({ text: detach(text), line });
        } else parked.add(detach(tid), [{ text: detach(text), line }]);
        return;
      }
    }
    const hit = analyseLine(text, line, rules, literals);
    if (!hit) return;
    const key = hit.context.connection ?? UNTAGGED;
    let group = open.get(key);
    if (!group) {
      const earlier = parked.get(key);
      group = newGroup(detach(key), earlier?.[0]?.line ?? line);
      open.add(group.key, group);
      if (earlier) {
        parked.delete(key);
        for (const p of earlier) {
          const parkedHit = analyseLine(p.text, p.line, rules);
          if (parkedHit) addHit(group, parkedHit);
        }
      }
    }
    addHit(group, hit);
  }

  /** Scans complete lines in `text` (ending with a newline, or the final text at end of input). */
  function scan(text: string): void {
    let counted = 0; // position up to which newlines are counted into lineBase
    let from = 0;
    for (let after = rules.matcher.findNext(text, 0, text.length); after !== -1; after = rules.matcher.findNext(text, from, text.length)) {
      const hitAt = after - 1;
      const start = text.lastIndexOf('\n', hitAt) + 1;
      let end = text.indexOf('\n', hitAt);
      if (end === -1) end = text.length;
      lineBase += countNewlines(text, counted, start);
      counted = start;
      if (end - start > HUGE_LINE_WINDOW * 2) {
        // A huge line may hold several hits far apart: read a window around this one, go on after it.
        const windowStart = Math.max(start, hitAt - HUGE_LINE_WINDOW);
        const windowEnd = Math.min(end, windowStart + HUGE_LINE_WINDOW * 2);
        record(text.slice(windowStart, windowEnd), lineBase);
        from = windowEnd;
        continue;
      }
      let lineText = text.slice(start, end);
      if (lineText.endsWith('\r')) lineText = lineText.slice(0, -1);
      record(lineText, lineBase);
      from = end + 1;
      if (from >= text.length) break;
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
      return { buckets: [...buckets.values()], lines, chars };
    },
  };
}

/** The connection key analyseLine would give a DataPower line, found without parsing the line. */
function dataPowerTid(text: string): string | undefined {
  const at = text.indexOf('tid(');
  if (at === -1 || (at > 0 && /\w/.test(text[at - 1] as string))) return undefined;
  const close = text.indexOf(')', at + 4);
  if (close === -1 || close - at > 24) return undefined;
  const digits = text.slice(at + 4, close);
  return /^\d{1,20}$/.test(digits) ? `datapower:${digits}` : undefined;
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
