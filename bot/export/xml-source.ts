// What the XML reader reads: a pasted text (a string) or the bytes of an export.xml (a Buffer,
// never decoded as a whole: a 32 MiB export would be a 32 MiB string, 150 ms of decoding and as
// much again to flatten). Markup is ASCII, so bytes can be scanned for it directly; only names,
// values and text are decoded, a piece at a time. Positions are characters for a string and
// bytes for a Buffer.

export interface XmlSource {
  readonly length: number;
  /** Character code (string) or byte (Buffer) at `at`; NaN past the end. */
  code(at: number): number;
  indexOf(needle: string, from: number): number;
  startsWith(literal: string, at: number): boolean;
  /** The text between two positions (UTF-8 decoded for bytes). */
  text(from: number, to: number): string;
}

export function sourceOf(input: string | Buffer): XmlSource {
  return typeof input === 'string' ? stringSource(input) : bytesSource(input);
}

function stringSource(s: string): XmlSource {
  return {
    length: s.length,
    code: (at) => s.charCodeAt(at),
    indexOf: (needle, from) => s.indexOf(needle, from),
    startsWith: (literal, at) => s.startsWith(literal, at),
    text: (from, to) => s.slice(from, to),
  };
}

function bytesSource(b: Buffer): XmlSource {
  return {
    length: b.length,
    code: (at) => (at < b.length ? (b[at] as number) : Number.NaN),
    indexOf: (needle, from) => b.indexOf(needle, from, 'latin1'),
    startsWith(literal, at) {
      if (at + literal.length > b.length) return false;
      for (let i = 0; i < literal.length; i++) if (b[at + i] !== literal.charCodeAt(i)) return false;
      return true;
    },
    text: (from, to) => b.toString('utf8', from, to),
  };
}
