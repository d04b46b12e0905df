import { describe, expect, it } from 'vitest';
import { buildLiteralMatcher, newCursor } from '../../../rules/logs/literal-search.js';

// The automaton against the obvious answer (indexOf on lower-cased text), on literals that share
// prefixes and suffixes and nest in each other: where Aho-Corasick's failure links go wrong.
function naive(literals: readonly string[], text: string): Set<number> {
  const lower = text.toLowerCase();
  return new Set(literals.flatMap((literal, id) => (lower.includes(literal.toLowerCase()) ? [id] : [])));
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('multi-literal search', () => {
  const literals = ['SSL', 'ssl library error', 'library', 'error:14', 'error:0a000', 'he', 'she', 'hers', 'his', 'ss', 'l l', 'certificate', 'cert', 'ate'];
  const matcher = buildLiteralMatcher(literals);

  it('finds every literal, nested and overlapping ones included, case-insensitively', () => {
    const text = 'mpgw(x): SSL Library Error: error:0A000086:SSL routines::certificate verify failed; ushers';
    expect(matcher.literalsIn(text)).toEqual(naive(literals, text));
  });

  it('agrees with indexOf on random text over the literals’ alphabet', () => {
    const random = seeded(7);
    const alphabet = 'sslhiebrarycertf:0a14 LSHE';
    for (let round = 0; round < 500; round++) {
      const length = Math.floor(random() * 60);
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(matcher.literalsIn(text), text).toEqual(naive(literals, text));
    }
  });

  it('stops just past the byte that completes a literal and counts newlines on the way', () => {
    const bytes = Buffer.from('first line\nsecond line\nthird has cert in it\n');
    const cursor = newCursor();
    const end = matcher.advance(bytes, 0, bytes.length, cursor);
    expect(bytes.subarray(end - 4, end).toString()).toBe('cert');
    expect(cursor.newlines).toBe(2);
    expect(matcher.advance(bytes, end, bytes.length, cursor)).toBe(-1);
    expect(cursor.newlines).toBe(3);
  });

  it('tells strong literals from context-only ones', () => {
    const weak = buildLiteralMatcher(['context only', 'causal'], (id) => id === 1);
    const bytes = Buffer.from('a context only line');
    const cursor = newCursor();
    const end = weak.advance(bytes, 0, bytes.length, cursor);
    expect(end).toBe('a context only'.length);
    expect(weak.strongFrom(cursor.state, bytes, end, bytes.length)).toBe(false);
    const strongBytes = Buffer.from('a causal line');
    const c2 = newCursor();
    const e2 = weak.advance(strongBytes, 0, strongBytes.length, c2);
    expect(weak.strongFrom(c2.state, strongBytes, e2, strongBytes.length)).toBe(true);
  });

  it('finds literals above ASCII through their own automaton, mixed with ASCII ones', () => {
    const mixed = ['ssl/tls', '未能创建 ssl/tls 安全通道', 'impossible de créer un canal sécurisé', 'canal', 'é'];
    const m = buildLiteralMatcher(mixed);
    for (const text of ['请求被中止: 未能创建 SSL/TLS 安全通道。', 'La demande a été abandonnée : Impossible de créer un canal sécurisé SSL/TLS', 'plain ssl/tls canal', 'é', '安全通道']) {
      expect(m.literalsIn(text), text).toEqual(naive(mixed, text));
    }
  });

  it('stops on a line with any byte above ASCII, as a strong hit, once localized literals exist', () => {
    const m = buildLiteralMatcher(['context only', '安全通道'], (id) => id === 1);
    const bytes = Buffer.from('ascii line\nune ligne accentuée\n');
    const cursor = newCursor();
    const end = m.advance(bytes, 0, bytes.length, cursor);
    expect(end).toBeGreaterThan('ascii line\n'.length);
    expect(cursor.newlines).toBe(1);
    expect(m.strongFrom(cursor.state, bytes, end, bytes.length)).toBe(true);
    // Without localized literals, non-ASCII bytes are like any byte no literal uses.
    const ascii = buildLiteralMatcher(['context only']);
    expect(ascii.advance(bytes, 0, bytes.length, newCursor())).toBe(-1);
  });
});

