// Multi-literal search (Aho-Corasick) for the scanner's first stage. A big log is mostly lines with
// no TLS signature; finding the few that have one must cost about what `grep -F` costs. A regular
// expression alternation of ~200 literals runs at a fraction of that in V8 (every position walks
// the alternation); this automaton reads each character once, case-insensitively (ASCII), with no
// lower-cased copy of the text.

export interface LiteralMatcher {
  /** Index just past the end of the first literal found at or after `from`, or -1. */
  findNext(text: string, from: number, to: number): number;
  /** Ids of every literal occurring in `text` (overlapping and nested ones included). */
  literalsIn(text: string): Set<number>;
}

export function buildLiteralMatcher(literals: readonly string[]): LiteralMatcher {
  // Character classes: one per distinct (lower-case) character used by a literal; 0 = any other.
  const classOf = new Map<number, number>();
  for (const literal of literals) {
    for (const ch of literal.toLowerCase()) {
      const code = ch.charCodeAt(0);
      if (!classOf.has(code)) classOf.set(code, classOf.size + 1);
    }
  }
  const classes = classOf.size + 1;
  const ascii = new Int32Array(128);
  for (let c = 0; c < 128; c++) {
    const lower = c >= 65 && c <= 90 ? c + 32 : c;
    ascii[c] = classOf.get(lower) ?? 0;
  }
  const classFor = (code: number): number => (code < 128 ? (ascii[code] as number) : (classOf.get(code) ?? classOf.get(String.fromCharCode(code).toLowerCase().charCodeAt(0)) ?? 0));

  // Trie.
  const children: Map<number, number>[] = [new Map()];
  const outputs: number[][] = [[]];
  literals.forEach((literal, id) => {
    let state = 0;
    for (const ch of literal.toLowerCase()) {
      const cls = classOf.get(ch.charCodeAt(0)) as number;
      let next = children[state]?.get(cls);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        outputs.push([]);
        children[state]?.set(cls, next);
      }
      state = next;
    }
    outputs[state]?.push(id);
  });

  // Failure links, breadth first, folded into a full transition table (a DFA).
  const states = children.length;
  const delta = new Int32Array(states * classes);
  const fail = new Int32Array(states);
  const queue: number[] = [];
  for (let cls = 0; cls < classes; cls++) {
    const next = children[0]?.get(cls);
    if (next !== undefined) {
      delta[cls] = next;
      queue.push(next);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as number;
    const f = fail[state] as number;
    outputs[state] = [...(outputs[state] as number[]), ...(outputs[f] as number[])];
    for (let cls = 0; cls < classes; cls++) {
      const next = children[state]?.get(cls);
      if (next !== undefined) {
        fail[next] = delta[f * classes + cls] as number;
        delta[state * classes + cls] = next;
        queue.push(next);
      } else {
        delta[state * classes + cls] = delta[f * classes + cls] as number;
      }
    }
  }
  const terminal = new Uint8Array(states);
  outputs.forEach((o, s) => (terminal[s] = o.length > 0 ? 1 : 0));

  return {
    findNext(text, from, to) {
      let state = 0;
      for (let i = from; i < to; i++) {
        const code = text.charCodeAt(i);
        state = delta[state * classes + (code < 128 ? (ascii[code] as number) : classFor(code))] as number;
        if (terminal[state] === 1) return i + 1;
      }
      return -1;
    },
    literalsIn(text) {
      const found = new Set<number>();
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        state = delta[state * classes + (code < 128 ? (ascii[code] as number) : classFor(code))] as number;
        if (terminal[state] === 1) for (const id of outputs[state] as number[]) found.add(id);
      }
      return found;
    },
  };
}
