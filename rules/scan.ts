import { createLineAnalyser } from './extract/line-shapes.js';
import { addHit, groupVantage, newGroup, UNTAGGED, type ConnectionGroup } from './group.js';
import { BoundedMap } from './bounded-map.js';
import { HEADER_LIMIT } from './extract/datapower.js';
import { dataPowerTid, tidOfConnection } from './extract/datapower-tid.js';
import { newCursor } from './literal-search.js';
import { ParkedContext } from './parked-context.js';
import { PATTERN_WINDOW, type RuleSet } from './load.js';
import type { Vantage } from './vocabulary.js';

// Streaming scan of a paste or a log of any size. The raw UTF-8 bytes are searched chunk by chunk
// for every signature literal at once (literal-search.ts); only lines with a hit are decoded and
// analysed, so a 100 MB log of ordinary traffic costs little more than the search itself. Memory is
// bounded: at most MAX_OPEN connections are open at once (the oldest are folded into per-pattern
// buckets), and a single huge line is looked at only in a window around each hit.

const MAX_OPEN = 5_000;
const MAX_BUCKETS = 10_000;
/** How far either side of a hit a line is read when the line is enormous. */
const HUGE_LINE_WINDOW = PATTERN_WINDOW;
/** A line with no newline yet is held up to this size, then scanned as it is (a 20 MB single line). */
const MAX_CARRY = 8 * 1024 * 1024;
/** Chunk buffers kept, so that parked lines can be read back from them (parked-context.ts). */
const CHUNK_BUFFERS = 4;
const NEWLINE = 10;
const EMPTY = Buffer.alloc(0);

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
  readonly bytes: number;
}

export interface Scanner {
  /** Text, as typed or pasted (encoded to UTF-8 on the way in). */
  push(chunk: string): void;
  /** Raw bytes of a log, read from a file or a stream: never decoded as a whole. */
  pushBytes(chunk: Uint8Array): void;
  end(): ScanResult;
}

export function createScanner(rules: RuleSet): Scanner {
  const buckets = new Map<string, FactBucket>();
  const lines = createLineAnalyser(rules);
  // Chunk n is scanned in pool[n % CHUNK_BUFFERS]: the line carried over from chunk n-1, then the new
  // bytes. The buffers are reused, so a big log allocates none per chunk; hit lines are decoded.
  const pool: Buffer[] = Array.from({ length: CHUNK_BUFFERS }, () => EMPTY);
  let seq = -1;
  let carryFrom = 0;
  let carried = 0;
  let lineBase = 1; // line number of the first byte being scanned
  let bytesSeen = 0;
  let endsWithNewline = false;
  let pendingHighSurrogate = '';

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

  // Lines that only give context are parked by tid and analysed only if that connection turns out
  // to fail (parked-context.ts); a tid with an open group has its lines analysed straight away.
  const parked = new ParkedContext();
  const openTids = new Set<number>();
  const open = new BoundedMap<string, ConnectionGroup>(MAX_OPEN, (key, group) => {
    const tid = tidOfConnection(key);
    if (tid !== undefined) openTids.delete(tid);
    fold(group);
  });
  const bytesOf = (chunk: number): Buffer => pool[chunk % CHUNK_BUFFERS] as Buffer;

  function analyse(text: string, line: number): void {
    const hit = lines.analyse(text, line);
    if (!hit) return;
    const key = hit.context.connection ?? UNTAGGED;
    let group = open.get(key);
    if (!group) {
      const tid = tidOfConnection(key);
      const earlier = tid === undefined ? [] : parked.take(tid, bytesOf);
      group = newGroup(key, earlier[0]?.line ?? line);
      open.add(key, group);
      if (tid !== undefined) openTids.add(tid);
      for (const p of earlier) {
        const parkedHit = lines.analyse(p.text, p.line);
        if (parkedHit) addHit(group, parkedHit);
      }
    }
    addHit(group, hit);
  }

  /** One line with a hit: bytes[start, end), without its line break. */
  function record(bytes: Buffer, start: number, end: number, line: number, strong: boolean): void {
    if (!strong) {
      const tid = dataPowerTid(bytes, start, Math.min(end, start + HEADER_LIMIT));
      if (tid !== undefined && !openTids.has(tid)) return parked.park(tid, seq, start, end, line);
    }
    analyse(bytes.toString('utf8', start, end), line);
  }

  /** Scans the complete lines in bytes[from, to): `to` is just past a newline, or the end of input. */
  function scan(bytes: Buffer, from: number, to: number): void {
    const cursor = newCursor(from);
    for (let after = rules.matcher.advance(bytes, from, to, cursor); after !== -1; after = rules.matcher.advance(bytes, from, to, cursor)) {
      const hitAt = after - 1;
      const start = cursor.lastNewline + 1;
      let end = bytes.indexOf(NEWLINE, hitAt);
      if (end === -1 || end > to) end = to;
      const line = lineBase + cursor.newlines;
      const hitState = cursor.state;
      cursor.state = 0;
      if (end - start > HUGE_LINE_WINDOW * 2) {
        // A huge line may hold several hits far apart: read a window around this one, go on after it.
        const windowStart = Math.max(start, hitAt - HUGE_LINE_WINDOW);
        const windowEnd = Math.min(end, windowStart + HUGE_LINE_WINDOW * 2);
        analyse(bytes.toString('utf8', windowStart, windowEnd), line);
        from = windowEnd;
        continue;
      }
      const textEnd = end > start && bytes[end - 1] === 13 ? end - 1 : end;
      record(bytes, start, textEnd, line, rules.matcher.strongFrom(hitState, bytes, after, textEnd));
      if (end >= to) break;
      // The rest of the line was read here, not by the automaton: count its newline.
      cursor.newlines += 1;
      cursor.lastNewline = end;
      from = end + 1;
    }
    lineBase += cursor.newlines;
  }

  function pushBytes(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    bytesSeen += chunk.length;
    endsWithNewline = chunk[chunk.length - 1] === NEWLINE;
    const previous = seq >= 0 ? (pool[seq % CHUNK_BUFFERS] as Buffer) : EMPTY;
    seq += 1;
    const slot = seq % CHUNK_BUFFERS;
    if (seq >= CHUNK_BUFFERS) parked.retire(seq - CHUNK_BUFFERS, pool[slot] as Buffer);
    const filled = carried + chunk.length;
    if ((pool[slot] as Buffer).length < filled) pool[slot] = Buffer.allocUnsafe(Math.max(filled + (filled >> 2), 4096));
    const bytes = pool[slot] as Buffer;
    // Copies: the caller may reuse its buffer for the next read.
    previous.copy(bytes, 0, carryFrom, carryFrom + carried);
    bytes.set(chunk, carried);
    const lastNewline = bytes.lastIndexOf(NEWLINE, filled - 1);
    carryFrom = 0;
    if (lastNewline === -1) {
      // No complete line yet; keep a huge line bounded by scanning what we have and restarting.
      if (filled > MAX_CARRY) {
        scan(bytes, 0, filled);
        carried = 0;
      } else carried = filled;
      return;
    }
    scan(bytes, 0, lastNewline + 1);
    carryFrom = lastNewline + 1;
    carried = filled - carryFrom;
  }

  return {
    push(text: string): void {
      if (text.length === 0) return;
      // A surrogate pair split between two pushes is joined before encoding.
      let whole = pendingHighSurrogate + text;
      pendingHighSurrogate = '';
      const last = whole.charCodeAt(whole.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        pendingHighSurrogate = whole.slice(-1);
        whole = whole.slice(0, -1);
      }
      pushBytes(Buffer.from(whole, 'utf8'));
    },
    pushBytes,
    end(): ScanResult {
      if (pendingHighSurrogate) pushBytes(Buffer.from(pendingHighSurrogate, 'utf8'));
      pendingHighSurrogate = '';
      if (carried > 0) scan(pool[seq % CHUNK_BUFFERS] as Buffer, carryFrom, carryFrom + carried);
      carried = 0;
      for (const group of open.values()) fold(group);
      open.clear();
      pool.fill(EMPTY);
      const lines = bytesSeen === 0 ? 0 : lineBase - (endsWithNewline ? 1 : 0);
      return { buckets: [...buckets.values()], lines, bytes: bytesSeen };
    },
  };
}

export function toFacts(group: ConnectionGroup, rules: RuleSet): GroupFacts {
  const signals = [...group.signals].sort();
  const causalSignals = signals.filter((s) => (rules.signalRoles.get(s) ?? 'cause') === 'cause').length;
  return { signals, vantage: groupVantage(group), sources: [...group.sources].sort(), causalSignals };
}
