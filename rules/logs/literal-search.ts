// Multi-literal search (Aho-Corasick) for the scanner's first stage. A big log is mostly lines with
// no TLS signature; finding the few that have one must cost about what `grep -F` costs. A regular
// expression alternation of ~200 literals runs at a fraction of that in V8 (every position walks
// the alternation); this automaton reads each byte once, case-insensitively (ASCII letters), over
// the raw UTF-8 bytes: a big log is never decoded, only the lines around a hit are.

/** Where a scan stopped; handed back in to resume it. */
export interface ScanCursor {
  /** Automaton state (a row offset into the transition table). */
  state: number;
  /** Newlines read so far (the caller turns this into line numbers). */
  newlines: number;
  /** Index of the last newline read, or -1. */
  lastNewline: number;
}

export interface LiteralMatcher {
  /**
   * Runs the automaton over bytes[from, to) from cursor.state, counting newlines. Returns the index
   * just past the byte that completes a literal (the cursor holds that state), or -1 at `to`.
   */
  advance(bytes: Uint8Array, from: number, to: number, cursor: ScanCursor): number;
  /** Whether a strong literal (one that is not context only) ends in `state`, or in bytes[from, to) read on from it. */
  strongFrom(state: number, bytes: Uint8Array, from: number, to: number): boolean;
  /** Ids of every literal occurring in `text` (overlapping and nested ones included). */
  literalsIn(text: string): Set<number>;
  /** The same over bytes[from, to). */
  literalsInBytes(bytes: Uint8Array, from: number, to: number): Set<number>;
  /** The compiled automaton, structured-cloneable: a worker thread rebuilds the matcher from it (matcherFromTables). */
  readonly tables: MatcherTables;
}

/** Everything the automaton is, as plain data. */
export interface MatcherTables {
  /** Byte -> class (ASCII upper case folded); 0 = a byte no literal uses. */
  readonly classOf: Int32Array;
  readonly classes: number;
  /** Transitions as row offsets (state * classes); ~row where a literal ends. */
  readonly table: Int32Array;
  /** Per state: 1 when a strong literal ends there. */
  readonly strongEnds: Uint8Array;
  /** Per state: ids of the literals ending there. */
  readonly outputs: readonly (readonly number[])[];
  /** The automaton of the literals with bytes above ASCII, run on a line only when it has such bytes. */
  readonly high?: MatcherTables;
}

/** A cursor for a scan that starts at `from` (the start of a line). */
export function newCursor(from = 0): ScanCursor {
  return { state: 0, newlines: 0, lastNewline: from - 1 };
}

/**
 * `strong(id)` tells a literal that can make a line causal from one that only gives context; the
 * scanner uses it to skip the costly analysis of context-only lines. Literals hold no line break
 * (the rule loader refuses them), so a newline always returns the automaton to its start.
 *
 * Literals with bytes above ASCII (localized messages) get an automaton of their own. In the main
 * one every such byte is a single class that ends a strong pseudo-literal: a line with any non-ASCII
 * byte is then read whole, where the second automaton finds them. Each distinct byte is a column of
 * the main table, so ~60 localized literals would otherwise more than double its size (and every
 * ASCII line's cache footprint) for lines that are nearly always ASCII.
 */
export function buildLiteralMatcher(literals: readonly string[], strong: (id: number) => boolean = () => true): LiteralMatcher {
  const entries = literals.map((literal, id) => ({ id, bytes: Buffer.from(literal.toLowerCase(), 'utf8') }));
  const isHigh = (bytes: Buffer): boolean => bytes.some((b) => b >= 0x80);
  const high = entries.filter((e) => isHigh(e.bytes));
  const main = buildAutomaton(
    entries.filter((e) => !isHigh(e.bytes)),
    strong,
    high.length > 0,
  );
  return matcherFromTables(high.length > 0 ? { ...main, high: buildAutomaton(high, strong, false) } : main);
}

/** The id the main automaton reports for "a byte above ASCII": never a literal's. */
const NON_ASCII = -1;

function buildAutomaton(
  entries: ReadonlyArray<{ id: number; bytes: Buffer }>,
  strong: (id: number) => boolean,
  nonAsciiClass: boolean,
): MatcherTables {
  // Byte classes: one per distinct byte used by a literal (ASCII upper case folded); 0 = any other.
  const classOf = new Int32Array(256);
  let classes = 1;
  for (const { bytes } of entries) for (const b of bytes) if (classOf[b] === 0) classOf[b] = classes++;
  for (let c = 65; c <= 90; c++) classOf[c] = classOf[c + 32] as number;
  const all = [...entries];
  if (nonAsciiClass) {
    const cls = classes++;
    for (let b = 0x80; b <= 0xff; b++) classOf[b] = cls;
    all.push({ id: NON_ASCII, bytes: Buffer.from([0x80]) });
  }
  const encoded = all.map((e) => e.bytes);

  // Trie, written straight into the transition table: 0 = no child yet (the root is nobody's
  // child). Per-state Maps, or a table sized for the worst case, cost more than the scan of a
  // small log once there are ~2,000 literals; the exact size is the number of distinct prefixes.
  const states = countTrieStates(encoded, classOf);
  const delta = new Int32Array(states * classes);
  const outputs: number[][] = [[]];
  const none: number[] = [];
  let added = 1;
  for (const { id, bytes } of all) {
    let state = 0;
    for (let i = 0; i < bytes.length; i++) {
      const at = state * classes + (classOf[bytes[i] as number] as number);
      let next = delta[at] as number;
      if (next === 0) {
        next = added++;
        outputs.push(none);
        delta[at] = next;
      }
      state = next;
    }
    outputs[state] = [...(outputs[state] as number[]), id];
  }

  // Failure links, breadth first, folded into a full transition table (a DFA).
  const fail = new Int32Array(states);
  const queue = new Int32Array(states);
  let tail = 0;
  for (let cls = 0; cls < classes; cls++) if (delta[cls] !== 0) queue[tail++] = delta[cls] as number;
  for (let head = 0; head < tail; head++) {
    const state = queue[head] as number;
    const f = fail[state] as number;
    const inherited = outputs[f] as number[];
    if (inherited.length > 0) outputs[state] = [...(outputs[state] as number[]), ...inherited];
    const row = state * classes;
    const failRow = f * classes;
    for (let cls = 0; cls < classes; cls++) {
      const next = delta[row + cls] as number;
      if (next !== 0) {
        fail[next] = delta[failRow + cls] as number;
        queue[tail++] = next;
      } else {
        delta[row + cls] = delta[failRow + cls] as number;
      }
    }
  }

  // The hot table: entries are row offsets (state * classes), so the loop needs no multiply, and a
  // state where a literal ends is stored negated (~row), so the loop tests one sign.
  // Rewritten in place: each entry depends on itself only.
  const table = delta;
  for (let i = 0; i < table.length; i++) {
    const next = table[i] as number;
    table[i] = (outputs[next] as number[]).length > 0 ? ~(next * classes) : next * classes;
  }
  const strongEnds = new Uint8Array(states);
  outputs.forEach((ids, s) => (strongEnds[s] = ids.some((id) => id === NON_ASCII || strong(id)) ? 1 : 0));
  return { classOf, classes, table, strongEnds, outputs };
}

/** 1 + the number of distinct non-empty prefixes (in byte classes): the trie's size. */
function countTrieStates(encoded: readonly Buffer[], classOf: Int32Array): number {
  const folded = encoded.map((bytes) => Buffer.from(bytes.map((b) => classOf[b] as number)));
  folded.sort(Buffer.compare);
  let states = 1;
  let previous: Buffer = Buffer.alloc(0);
  for (const bytes of folded) {
    let common = 0;
    while (common < bytes.length && common < previous.length && bytes[common] === previous[common]) common++;
    states += bytes.length - common;
    previous = bytes;
  }
  return states;
}

/** A matcher over tables built by buildLiteralMatcher (possibly in another thread). */
export function matcherFromTables(tables: MatcherTables): LiteralMatcher {
  const { classOf, classes, table, strongEnds, outputs } = tables;
  const outputsAt = (row: number): readonly number[] => outputs[row / classes] as readonly number[];

  const high = tables.high ? matcherFromTables(tables.high) : undefined;

  function collect(bytes: Uint8Array, from: number, to: number): Set<number> {
    const found = new Set<number>();
    let row = 0;
    let nonAscii = false;
    for (let i = from; i < to; i++) {
      row = table[row + (classOf[bytes[i] as number] as number)] as number;
      if (row < 0) {
        row = ~row;
        for (const id of outputsAt(row)) {
          if (id === NON_ASCII) nonAscii = true;
          else found.add(id);
        }
      }
    }
    if (nonAscii && high) for (const id of high.literalsInBytes(bytes, from, to)) found.add(id);
    return found;
  }

  return {
    tables,
    advance(bytes, from, to, cursor) {
      let row = cursor.state;
      let newlines = cursor.newlines;
      let lastNewline = cursor.lastNewline;
      for (let i = from; i < to; i++) {
        const b = bytes[i] as number;
        if (b === 10) {
          newlines += 1;
          lastNewline = i;
        }
        row = table[row + (classOf[b] as number)] as number;
        if (row < 0) {
          cursor.state = ~row;
          cursor.newlines = newlines;
          cursor.lastNewline = lastNewline;
          return i + 1;
        }
      }
      cursor.state = row;
      cursor.newlines = newlines;
      cursor.lastNewline = lastNewline;
      return -1;
    },
    strongFrom(state, bytes, from, to) {
      if (strongEnds[state / classes] === 1) return true;
      let row = state;
      for (let i = from; i < to; i++) {
        row = table[row + (classOf[bytes[i] as number] as number)] as number;
        if (row < 0) {
          row = ~row;
          if (strongEnds[row / classes] === 1) return true;
        }
      }
      return false;
    },
    literalsIn(text) {
      const bytes = Buffer.from(text, 'utf8');
      return collect(bytes, 0, bytes.length);
    },
    literalsInBytes: collect,
  };
}
