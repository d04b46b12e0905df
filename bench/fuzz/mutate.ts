import fc from 'fast-check';

// Generic generators: byte and text mutations of real inputs (flips, splices, repeats, cuts, the
// insertion of interesting values), so that most inputs get far into a parser instead of being
// refused at its first byte, plus inputs made from nothing.

const INTERESTING_BYTES = [0x00, 0xff, 0x7f, 0x80, 0x30, 0x82, 0x83, 0x84, 0x3c, 0x3e, 0x16, 0x03, 0x0a, 0x0d];

type ByteEdit = (b: Buffer) => Buffer;

const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ at: fc.nat(), bit: fc.nat(7) }).map(({ at, bit }) => (b: Buffer) => {
    if (b.length === 0) return b;
    const out = Buffer.from(b);
    const i = at % out.length;
    out[i] = (out[i] as number) ^ (1 << bit);
    return out;
  }),
  fc.record({ at: fc.nat(), value: fc.constantFrom(...INTERESTING_BYTES) }).map(({ at, value }) => (b: Buffer) => {
    if (b.length === 0) return Buffer.from([value]);
    const out = Buffer.from(b);
    out[at % out.length] = value;
    return out;
  }),
  fc.nat().map((at) => (b: Buffer) => b.subarray(0, b.length === 0 ? 0 : at % b.length)),
  fc.record({ from: fc.nat(), length: fc.integer({ min: 1, max: 512 }), times: fc.integer({ min: 2, max: 64 }) }).map(({ from, length, times }) => (b: Buffer) => {
    if (b.length === 0) return b;
    const start = from % b.length;
    const piece = b.subarray(start, Math.min(b.length, start + length));
    return Buffer.concat([b.subarray(0, start), ...Array.from({ length: times }, () => piece), b.subarray(start)]);
  }),
  fc.record({ at: fc.nat(), junk: fc.uint8Array({ maxLength: 64 }) }).map(({ at, junk }) => (b: Buffer) => {
    const i = b.length === 0 ? 0 : at % b.length;
    return Buffer.concat([b.subarray(0, i), Buffer.from(junk), b.subarray(i)]);
  }),
  fc.record({ at: fc.nat(), length: fc.integer({ min: 1, max: 256 }) }).map(({ at, length }) => (b: Buffer) => {
    const i = b.length === 0 ? 0 : at % b.length;
    return Buffer.concat([b.subarray(0, i), b.subarray(i + length)]);
  }),
);

/** A real input with one to eight edits. */
export function mutatedBytes(seeds: readonly Buffer[]): fc.Arbitrary<Buffer> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(byteEdit, { minLength: 1, maxLength: 8 })).map(([seed, edits]) => edits.reduce((b, edit) => edit(b), seed));
}

/** Bytes: mostly mutated seeds, sometimes random. */
export function bytesLike(seeds: readonly Buffer[], maxRandom = 2048): fc.Arbitrary<Buffer> {
  return fc.oneof({ weight: 8, arbitrary: mutatedBytes(seeds) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: maxRandom }).map((a) => Buffer.from(a)) });
}

/** Text: mutated seeds (as UTF-8 bytes, invalid sequences and all), token soups, random strings. */
export function textLike(seeds: readonly string[], tokens: readonly string[]): fc.Arbitrary<string> {
  const soup = fc.array(fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 12 }), fc.constantFrom('\n', ' ', '\t', '\r\n')), { maxLength: 80 }).map((parts) => parts.join(''));
  const random = fc.string({ unit: 'binary', maxLength: 400 });
  if (seeds.length === 0) return fc.oneof({ weight: 3, arbitrary: soup }, { weight: 1, arbitrary: random });
  return fc.oneof({ weight: 5, arbitrary: mutatedBytes(seeds.map((s) => Buffer.from(s))).map((b) => b.toString('utf8')) }, { weight: 3, arbitrary: soup }, { weight: 1, arbitrary: random });
}

/** A few lines of a longer text, so that scanning one input stays cheap. */
export function excerpt(text: string, from: number, lines: number): string {
  const all = text.split('\n');
  const start = from % Math.max(1, all.length);
  return all.slice(start, start + lines).join('\n');
}
