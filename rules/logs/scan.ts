import { createLineAnalyser } from './extract/line-shapes.js';
import { addHit, mergeGroup, newGroup, offsetLines, UNTAGGED, type ConnectionGroup } from './group.js';
import { FactBuckets, type FactBucket, type GroupFacts } from './fact-buckets.js';
import { BoundedMap } from './bounded-map.js';
import { HEADER_LIMIT } from './extract/datapower.js';
import { TidReader, tidOfConnection } from './extract/datapower-tid.js';
import { newCursor } from './literal-search.js';
import { ParkedContext, type ParkedLine } from './parked-context.js';
import { PATTERN_WINDOW, type ScanRules } from './scan-rules.js';

export type { FactBucket, GroupFacts } from './fact-buckets.js';

// Streaming scan of a paste or a log of any size. The raw UTF-8 bytes are searched chunk by chunk
// for every signature literal at once (literal-search.ts); only lines with a hit are decoded and
// analysed, so a 100 MB log of ordinary traffic costs little more than the search itself. Memory is
// bounded: at most MAX_OPEN connections are open at once (the oldest are folded into per-pattern
// buckets), and a single huge line is looked at only in a window around each hit.

const MAX_OPEN = 5_000;
/** How far either side of a hit a line is read when the line is enormous. */
const HUGE_LINE_WINDOW = PATTERN_WINDOW;
/** A line with no newline yet is held up to this size, then scanned as it is (a 20 MB single line). */
const MAX_CARRY = 8 * 1024 * 1024;
/** Chunk buffers kept, so that parked lines can be read back from them (parked-context.ts). */
const CHUNK_BUFFERS = 8;
const NEWLINE = 10;
const EMPTY = Buffer.alloc(0);

export interface ScanResult {
  readonly buckets: FactBucket[];
  readonly lines: number;
  readonly bytes: number;
}

/**
 * The scan of a later part of an input split at a line break (a big log scanned by two threads).
 * Its first MAX_OPEN connections are kept whole, not folded: they may continue connections that
 * were still open at the end of the part before, and are joined to them (Scanner.endJoined).
 * Plain data: it crosses from a worker thread by structured clone.
 */
export interface ScanPart extends ScanResult {
  readonly seam: ConnectionGroup[];
}

/** What the first part of a split input can join: its open connections and the tids of its parked context lines. */
export interface JoinKeys {
  readonly connections: readonly string[];
  readonly tids: readonly number[];
}

/** Where a reader puts the next bytes of the input (Scanner.reserve). */
export interface ReadTarget {
  readonly buffer: Buffer;
  readonly offset: number;
}

export interface ScannerOptions {
  /** This scanner reads a later part of a split input, and ends with endPart. */
  readonly later?: boolean;
}

export interface Scanner {
  /** Text, as typed or pasted (encoded to UTF-8 on the way in). */
  push(chunk: string): void;
  /** Raw bytes of a log, read from a file or a stream: never decoded as a whole. */
  pushBytes(chunk: Uint8Array): void;
  /**
   * pushBytes without the copy, for a reader that can read into a given place: read at most `max`
   * bytes into the buffer at the offset returned, then commit how many were read.
   */
  reserve(max: number): ReadTarget;
  commit(length: number): void;
  end(): ScanResult;
  /** After the last byte of a first part: what a later part's connections may join (see endPart). */
  joinKeys(): JoinKeys;
  /** The distinct facts of the connections seen so far, folded or open (the rules can run on them before the scan ends). */
  factsSoFar(): GroupFacts[];
  /**
   * Ends the scan of a later part (options.later); line numbers count from 1 within the part. Its
   * first connections are kept whole only if `join` names them: the rest are folded here, so what
   * crosses threads stays small.
   */
  endPart(join: JoinKeys): ScanPart;
  /** Ends the scan of the part before `later` and joins the two: the result is as if one scanner had read both. */
  endJoined(later: ScanPart): ScanResult;
}

export function createScanner(rules: ScanRules, options: ScannerOptions = {}): Scanner {
  const buckets = new FactBuckets(rules);
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

  const fold = (group: ConnectionGroup): void => buckets.fold(group);

  // Groups of a later part are kept unfolded while they may continue a connection of the part before.
  const seam = new Set<ConnectionGroup>();
  let created = 0;

  // Lines that only give context are parked by tid and analysed only if that connection turns out
  // to fail (parked-context.ts); a tid with an open group has its lines analysed straight away.
  const parked = new ParkedContext();
  const tids = new TidReader();
  // Open connections by key: a DataPower connection by its tid as a number (see LineHit.tid).
  const open = new BoundedMap<OpenKey, ConnectionGroup>(MAX_OPEN, (_, group) => {
    if (!seam.has(group)) fold(group);
  });
  const bytesOf = (chunk: number): Buffer => pool[chunk % CHUNK_BUFFERS] as Buffer;

  function analyse(text: string, line: number): void {
    const hit = lines.analyse(text, line);
    if (!hit) return;
    const connection = hit.context.connection ?? UNTAGGED;
    const key = hit.tid ?? connection;
    let group = open.get(key);
    if (!group) {
      const earlier = typeof key === 'number' ? parked.take(key, bytesOf) : [];
      group = newGroup(connection, earlier[0]?.line ?? line);
      if (options.later && created++ < MAX_OPEN) seam.add(group);
      open.add(key, group);
      addParked(group, earlier);
    }
    addHit(group, hit);
  }
  function addParked(group: ConnectionGroup, earlier: readonly ParkedLine[]): void {
    for (const p of earlier) {
      const parkedHit = lines.analyse(p.text, p.line);
      if (parkedHit) addHit(group, parkedHit);
    }
  }
  /** A connection made of its parked context lines (at least one). */
  function groupOfParked(key: string, earlier: readonly ParkedLine[]): ConnectionGroup {
    const group = newGroup(key, (earlier[0] as ParkedLine).line);
    addParked(group, earlier);
    return group;
  }

  /** One line with a hit: bytes[start, end), without its line break. */
  function record(bytes: Buffer, start: number, end: number, line: number, strong: boolean): void {
    if (!strong) {
      const tid = tids.tidIn(start, Math.min(end, start + HEADER_LIMIT));
      if (tid !== undefined && !open.has(tid)) return parked.park(tid, seq, start, end, line);
    }
    analyse(bytes.toString('utf8', start, end), line);
  }

  /** Scans the complete lines in bytes[from, to): `to` is just past a newline, or the end of input. */
  function scan(bytes: Buffer, from: number, to: number): void {
    const cursor = newCursor(from);
    tids.reset(bytes);
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
    // Copies: the caller may reuse its buffer for the next read.
    const { buffer, offset } = reserve(chunk.length);
    buffer.set(chunk, offset);
    commit(chunk.length);
  }

  /** The next chunk buffer, holding the line carried over from the last one, with room for `max` bytes after it. */
  function reserve(max: number): ReadTarget {
    const previous = seq >= 0 ? (pool[seq % CHUNK_BUFFERS] as Buffer) : EMPTY;
    seq += 1;
    const slot = seq % CHUNK_BUFFERS;
    if (seq >= CHUNK_BUFFERS) parked.retire(seq - CHUNK_BUFFERS, pool[slot] as Buffer);
    const needed = carried + max;
    if ((pool[slot] as Buffer).length < needed) pool[slot] = Buffer.allocUnsafe(Math.max(needed + (needed >> 2), 4096));
    const bytes = pool[slot] as Buffer;
    previous.copy(bytes, 0, carryFrom, carryFrom + carried);
    carryFrom = 0;
    return { buffer: bytes, offset: carried };
  }

  /** Scans the `length` bytes written where reserve said. */
  function commit(length: number): void {
    if (length === 0) return;
    const bytes = pool[seq % CHUNK_BUFFERS] as Buffer;
    bytesSeen += length;
    const filled = carried + length;
    endsWithNewline = bytes[filled - 1] === NEWLINE;
    const lastNewline = bytes.lastIndexOf(NEWLINE, filled - 1);
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

  /** Scans what is left of the input. */
  function finishLines(): void {
    if (pendingHighSurrogate) pushBytes(Buffer.from(pendingHighSurrogate, 'utf8'));
    pendingHighSurrogate = '';
    if (carried > 0) scan(pool[seq % CHUNK_BUFFERS] as Buffer, carryFrom, carryFrom + carried);
    carried = 0;
  }
  /** Folds the connections still open (but a later part's seam) and lets the buffers go. */
  function finish(): ScanResult {
    for (const group of open.values()) if (!seam.has(group)) fold(group);
    open.clear();
    pool.fill(EMPTY);
    const lines = bytesSeen === 0 ? 0 : lineBase - (endsWithNewline ? 1 : 0);
    return { buckets: buckets.ordered(), lines, bytes: bytesSeen };
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
    reserve,
    commit,
    end(): ScanResult {
      finishLines();
      return finish();
    },
    factsSoFar(): GroupFacts[] {
      const facts = new Set(buckets.facts());
      for (const group of open.values()) facts.add(buckets.factsOf(group));
      return [...facts];
    },
    joinKeys(): JoinKeys {
      finishLines();
      return { connections: [...open.values()].map((group) => group.key), tids: parked.tids() };
    },
    endPart(join: JoinKeys): ScanPart {
      finishLines();
      const connections = new Set(join.connections);
      const tids = new Set(join.tids);
      const joinable = (group: ConnectionGroup): boolean => {
        const tid = tidOfConnection(group.key);
        return connections.has(group.key) || (tid !== undefined && tids.has(tid));
      };
      const kept: ConnectionGroup[] = [];
      for (const group of seam) {
        if (joinable(group)) kept.push(group);
        else fold(group);
      }
      // Context lines of a connection still open in the part before were parked here (nothing was
      // open for them in this part); one scanner would have added them to that connection.
      for (const key of connections) {
        const tid = tidOfConnection(key);
        if (tid === undefined || open.has(tid)) continue;
        const earlier = parked.take(tid, bytesOf);
        if (earlier.length > 0) kept.push(groupOfParked(key, earlier));
      }
      return { ...finish(), seam: kept };
    },
    endJoined(later: ScanPart): ScanResult {
      finishLines();
      const offset = lineBase - 1; // the split is at a line break: the later part starts a new line
      for (const group of later.seam) {
        offsetLines(group, offset);
        const before = open.get(openKey(group.key));
        if (before) {
          mergeGroup(before, group);
          continue;
        }
        // Context lines parked here for the connection (read before the buffers are let go).
        const tid = tidOfConnection(group.key);
        const earlier = tid === undefined ? [] : parked.take(tid, bytesOf);
        if (earlier.length === 0) {
          fold(group);
          continue;
        }
        const joined = groupOfParked(group.key, earlier);
        mergeGroup(joined, group);
        fold(joined);
      }
      for (const bucket of later.buckets) {
        for (const group of bucket.examples) offsetLines(group, offset);
        buckets.merge(bucket);
      }
      const result = finish();
      return { buckets: result.buckets, lines: offset + later.lines, bytes: result.bytes + later.bytes };
    },
  };
}

type OpenKey = string | number;

/** The key of a connection in the open map (LineHit.tid for a DataPower one). */
function openKey(connection: string): OpenKey {
  return tidOfConnection(connection) ?? connection;
}
