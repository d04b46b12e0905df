// Property: no spelling of a loopback or metadata address gets through the default
// policy, whether typed as a literal or returned by a (malicious) resolver.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normaliseAddress } from '../../../bot/probe/address.js';
import { checkProbeTarget, type ProbePolicyConfig } from '../../../bot/probe/policy.js';
import { resolveTarget, type LookupFn } from '../../../bot/probe/resolve.js';
import { parseTarget } from '../../../bot/probe/target.js';

const DEFAULT: ProbePolicyConfig = { mode: 'default', allow: [], deny: [] };
const noDns: LookupFn = async () => {
  throw new Error('DNS must not be used for IP literals');
};

/** Render a number in decimal, octal (leading 0s) or hex (0x/0X, any case, leading 0s). */
const numberSpelling = (value: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(String(value)),
    fc.nat(3).map((pad) => `0${'0'.repeat(pad)}${value.toString(8)}`),
    fc
      .record({ pad: fc.nat(3), upperX: fc.boolean(), upper: fc.boolean() })
      .map(({ pad, upperX, upper }) => {
        const hex = value.toString(16);
        return `0${upperX ? 'X' : 'x'}${'0'.repeat(pad)}${upper ? hex.toUpperCase() : hex}`;
      }),
  );

/** inet_aton spellings: 1-4 parts, the last part spanning the remaining bytes. */
const ipv4Spelling = (value: number): fc.Arbitrary<string> =>
  fc.integer({ min: 1, max: 4 }).chain((parts) => {
    const bytes = [24, 16, 8, 0].map((s) => Math.floor(value / 2 ** s) % 256);
    const lead = bytes.slice(0, parts - 1);
    const restBytes = bytes.slice(parts - 1);
    const last = restBytes.reduce((acc, b) => acc * 256 + b, 0);
    return fc.tuple(...[...lead, last].map(numberSpelling)).map((ps) => ps.join('.'));
  });

/** IPv6 spellings of 8 groups: random padding/case, optional "::" over any zero run. */
const ipv6Spelling = (groups: number[]): fc.Arbitrary<string> =>
  fc
    .record({
      pads: fc.array(fc.nat(3), { minLength: 8, maxLength: 8 }),
      upper: fc.boolean(),
      compress: fc.boolean(),
      pick: fc.nat(),
    })
    .map(({ pads, upper, compress, pick }) => {
      const text = groups.map((g, i) => {
        const h = g.toString(16).padStart(Math.min(4, g.toString(16).length + (pads[i] ?? 0)), '0');
        return upper ? h.toUpperCase() : h;
      });
      const runs: [number, number][] = [];
      for (let i = 0; i < 8; i++) {
        if (groups[i] !== 0) continue;
        for (let j = i + 1; j <= 8 && groups[j - 1] === 0; j++) runs.push([i, j]);
      }
      if (!compress || runs.length === 0) return text.join(':');
      const [s, e] = runs[pick % runs.length] ?? [0, 0];
      return `${text.slice(0, s).join(':')}::${text.slice(e).join(':')}`;
    });

const v4Groups = (prefix: number[], value: number): number[] => [...prefix, Math.floor(value / 65536), value % 65536];

/** Every way to write an IPv4 address as an IPv6 literal that ends up at that IPv4. */
const mappedSpelling = (value: number): fc.Arbitrary<string> => {
  const dotted = [24, 16, 8, 0].map((s) => Math.floor(value / 2 ** s) % 256).join('.');
  return fc.oneof(
    ipv6Spelling(v4Groups([0, 0, 0, 0, 0, 0xffff], value)), // ::ffff:7f00:1
    fc.constantFrom(`::ffff:${dotted}`, `::FFFF:${dotted}`, `0:0:0:0:0:ffff:${dotted}`),
    ipv6Spelling(v4Groups([0x64, 0xff9b, 0, 0, 0, 0], value)), // NAT64
    fc.constant(`::${dotted}`), // IPv4-compatible
  );
};

const LOOPBACK_V4 = fc.integer({ min: 0x7f000000, max: 0x7fffffff });
const METADATA_V4 = fc.constantFrom(0xa9fea9fe, 0xa9feaa02, 0x646464c8); // .254, ECS .170.2, 100.100.100.200

const dangerousLiteral: fc.Arbitrary<string> = fc.oneof(
  LOOPBACK_V4.chain(ipv4Spelling),
  METADATA_V4.chain(ipv4Spelling),
  LOOPBACK_V4.chain(mappedSpelling),
  METADATA_V4.chain(mappedSpelling),
  ipv6Spelling([0, 0, 0, 0, 0, 0, 0, 1]),
  ipv6Spelling([0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254]),
);

/** Wrap a literal the way a chat user might type it. */
const asTarget = (literal: string): fc.Arbitrary<string> => {
  const v6 = literal.includes(':');
  const hostPort = (port: number): string => (v6 ? `[${literal}]:${port}` : `${literal}:${port}`);
  return fc.integer({ min: 1, max: 65535 }).chain((port) =>
    fc.constantFrom(
      v6 ? literal : `${literal}`,
      hostPort(port),
      `https://${hostPort(port)}/path`,
      `tls://${hostPort(port)}`,
      `<https://${hostPort(port)}/|${hostPort(port)}>`,
      `\`${hostPort(port)}\``,
    ),
  );
};

describe('no spelling of loopback or metadata passes the default policy', () => {
  it('as a typed target', async () => {
    await fc.assert(
      fc.asyncProperty(dangerousLiteral.chain(asTarget), async (input) => {
        const parsed = parseTarget(input);
        expect(parsed.ok, `${input} should parse`).toBe(true);
        if (!parsed.ok) return;
        const resolved = await resolveTarget(parsed.target, noDns);
        expect(resolved.ok).toBe(true);
        if (!resolved.ok) return;
        const verdict = checkProbeTarget(DEFAULT, parsed.target, resolved.addresses);
        expect(verdict.allowed, `${input} -> ${resolved.addresses.join(',')}`).toBe(false);
        if (!verdict.allowed) expect(verdict.rule).toMatch(/^builtin:(loopback|metadata)$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('as a resolver answer for an innocent-looking name', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(dangerousLiteral, { minLength: 1, maxLength: 3 }), async (evil) => {
        const lookup: LookupFn = async () => [
          { address: '10.0.0.1', family: 4 },
          ...evil.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
        ];
        const target = { host: 'innocent.example', port: 443, isIp: false };
        const resolved = await resolveTarget(target, lookup);
        // Either the resolver answer is rejected outright, or the policy refuses it.
        if (!resolved.ok) return;
        expect(checkProbeTarget(DEFAULT, target, resolved.addresses).allowed).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('normalisation properties', () => {
  it('agrees with the WHATWG URL parser for any inet_aton spelling of any IPv4', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }).chain(ipv4Spelling), (spelling) => {
        const r = normaliseAddress(spelling);
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.address).toBe(new URL(`https://${spelling}/`).hostname);
      }),
      { numRuns: 2000 },
    );
  });

  it('RFC 1918 addresses are allowed by default', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0x0a000000, max: 0x0affffff }).chain(ipv4Spelling), (spelling) => {
        expect(checkProbeTarget(DEFAULT, { host: spelling, port: 443 }, [spelling])).toEqual({ allowed: true });
      }),
      { numRuns: 500 },
    );
  });
});
