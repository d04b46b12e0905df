import { describe, expect, it } from 'vitest';
import { formatIPv4, formatIPv6, parseCidr } from '../../../bot/probe/address.js';
import { embeddedIPv4 } from '../../../bot/probe/embedded-ipv4.js';
import { checkProbeTarget, type ProbePolicyConfig } from '../../../bot/probe/policy.js';
import { SPECIAL_PURPOSE_BLOCKS } from '../../../bot/probe/special-purpose.data.js';
import { parseTarget } from '../../../bot/probe/target.js';

// The probe policy against the IANA special-purpose address registries (issue 16): every block
// that is not globally reachable is refused by name unless allowed, the globally reachable ones
// inside refused blocks are probed, and every IPv4 address an IPv6 address embeds is checked as if
// typed. Pure checks: nothing here connects anywhere.

const DEFAULT: ProbePolicyConfig = { mode: 'default', allow: [], deny: [] };
const check = (address: string, policy: ProbePolicyConfig = DEFAULT) => checkProbeTarget(policy, { host: address, port: 443 }, [address]);

/** The first, a middle and the last address of a block. */
function samples(cidr: string): string[] {
  const parsed = parseCidr(cidr);
  if (!parsed.ok) throw new Error(parsed.error);
  const { family, network, prefix } = parsed.cidr;
  const size = 1n << BigInt((family === 4 ? 32 : 128) - prefix);
  const format = (v: bigint): string => (family === 4 ? formatIPv4(Number(v)) : formatIPv6(v));
  return [...new Set([network, network + size / 2n, network + size - 1n].map(format))];
}

/**
 * True when a more specific block inside `cidr` decides for this address, or when the address
 * embeds an IPv4 address (those are checked as well, below).
 */
function decidedElsewhere(cidr: string, address: string): boolean {
  if (embeddedIPv4(address).length > 0) return true;
  const outer = parseCidr(cidr);
  return SPECIAL_PURPOSE_BLOCKS.some((b) => {
    const inner = parseCidr(b.cidr);
    return b.cidr !== cidr && outer.ok && inner.ok && inner.cidr.prefix > outer.cidr.prefix && checkContains(b.cidr, address);
  });
}
function checkContains(cidr: string, address: string): boolean {
  const c = parseCidr(cidr);
  const a = parseCidr(address);
  if (!c.ok || !a.ok || c.cidr.family !== a.cidr.family) return false;
  const bits = BigInt((c.cidr.family === 4 ? 32 : 128) - c.cidr.prefix);
  return a.cidr.network >> bits === c.cidr.network >> bits;
}

describe('the special-purpose registries', () => {
  const denied = SPECIAL_PURPOSE_BLOCKS.filter((b) => b.reach === 'denied');
  it.each(denied.map((b) => [b.cidr, b.rule, b.name] as const))('%s is refused as "%s" (%s)', (cidr, rule) => {
    for (const address of samples(cidr)) {
      if (decidedElsewhere(cidr, address)) continue;
      const verdict = check(address);
      expect(verdict, address).toMatchObject({ allowed: false, rule: `builtin:${rule}` });
      // ... unless an allow entry covers it.
      expect(check(address, { ...DEFAULT, allow: [cidr] }), address).toEqual({ allowed: true });
    }
  });

  it.each(SPECIAL_PURPOSE_BLOCKS.filter((b) => b.reach !== 'denied').map((b) => [b.cidr, b.name] as const))('%s (%s) is probed by default', (cidr) => {
    for (const address of samples(cidr)) if (!decidedElsewhere(cidr, address)) expect(check(address), address).toEqual({ allowed: true });
  });

  it('refuses what the attack pass probed: documentation, benchmarking, discard-only, site-local', () => {
    for (const [address, rule] of [
      ['192.0.2.10', 'documentation'],
      ['198.51.100.7', 'documentation'],
      ['203.0.113.200', 'documentation'],
      ['198.18.0.1', 'benchmarking'],
      ['198.19.255.254', 'benchmarking'],
      ['2001:db8::1', 'documentation'],
      ['100::1', 'discard-only'],
      ['fec0::1', 'site-local'],
      ['3fff::1', 'documentation'],
      ['2001:2::1', 'benchmarking'],
      ['4000::1', 'reserved'],
    ] as const) {
      const verdict = check(address);
      expect(verdict, address).toMatchObject({ allowed: false, rule: `builtin:${rule}`, address });
      if (!verdict.allowed) expect(verdict.message).toMatch(/, not globally reachable\); add an allow entry/);
    }
    expect(check('192.0.2.10')).toMatchObject({ message: 'refused by built-in deny "documentation" (192.0.2.10: Documentation (TEST-NET-1), 192.0.2.0/24, RFC 5737, not globally reachable); add an allow entry (--allow 192.0.2.10 or PROBE_ALLOW) to probe it' });
  });

  it('keeps the private ranges allowed by default, and their metadata addresses refused', () => {
    for (const address of ['10.1.2.3', '172.16.0.1', '192.168.255.254', '100.64.0.1', '100.127.255.255', 'fc00::1', 'fdff:ffff::1']) expect(check(address), address).toEqual({ allowed: true });
    expect(check('100.100.100.200')).toMatchObject({ rule: 'builtin:metadata' });
    expect(check('fd00:ec2::254')).toMatchObject({ rule: 'builtin:metadata' });
    expect(check('8.8.8.8')).toEqual({ allowed: true });
    expect(check('2606:4700::1111')).toEqual({ allowed: true });
  });
});

describe('IPv4 embedded in IPv6', () => {
  it('finds it in every translation form', () => {
    expect(embeddedIPv4('64:ff9b::7f00:1')).toEqual([{ ipv4: '127.0.0.1', via: 'NAT64 64:ff9b::/96' }]);
    expect(embeddedIPv4('::ffff:0:7f00:1')).toEqual([{ ipv4: '127.0.0.1', via: 'IPv4-translated ::ffff:0:0:0/96' }]);
    expect(embeddedIPv4('::169.254.169.254')).toEqual([{ ipv4: '169.254.169.254', via: 'IPv4-compatible ::/96' }]);
    expect(embeddedIPv4('2002:a9fe:a9fe::1')).toEqual([{ ipv4: '169.254.169.254', via: '6to4 2002::/16' }]);
    // Teredo: server 10.0.0.1, client 127.0.0.1 stored inverted (0x80fffffe).
    expect(embeddedIPv4('2001:0:a00:1::80ff:fffe')).toEqual([
      { ipv4: '10.0.0.1', via: 'Teredo server 2001::/32' },
      { ipv4: '127.0.0.1', via: 'Teredo client 2001::/32' },
    ]);
    // Local-use NAT64: the IPv4 sits where the operator's prefix length puts it (RFC 6052).
    expect(embeddedIPv4('64:ff9b:1:7f00:0:100::').map((e) => e.ipv4)).toContain('127.0.0.1'); // /48, around the u octet
    expect(embeddedIPv4('64:ff9b:1::7f00:1').map((e) => e.ipv4)).toContain('127.0.0.1'); // /96
    expect(embeddedIPv4('::1')).toEqual([]);
    expect(embeddedIPv4('2606:4700::1111')).toEqual([]);
    expect(embeddedIPv4('10.0.0.1')).toEqual([]);
  });

  it.each([
    ['::ffff:0:7f00:1', 'IPv4-translated'],
    ['::ffff:0:a9fe:a9fe', 'IPv4-translated'],
    ['64:ff9b::7f00:1', 'NAT64'],
    ['64:ff9b:1::7f00:1', 'local-use NAT64'],
    ['64:ff9b:1:7f00:0:100::', 'local-use NAT64'],
    ['2002:7f00:1::1', '6to4'],
    ['2001:0:a00:1::80ff:fffe', 'Teredo client'],
    ['2001:0:7f00:1::1', 'Teredo server'],
  ])('%s is refused for the loopback or metadata address it carries (%s), even with its IPv6 block allowed', (address, via) => {
    const verdict = check(address);
    expect(verdict).toMatchObject({ allowed: false, rule: expect.stringMatching(/^builtin:(loopback|metadata)$/), address });
    if (!verdict.allowed) expect(verdict.message).toContain(`embedded in ${address} via ${via}`);
    // Allowing the translator's prefix does not allow what it may forward to.
    const allowBlock = { ...DEFAULT, allow: ['64:ff9b::/96', '64:ff9b:1::/48', '2001::/32', '::/96', '::ffff:0:0:0/96'] };
    expect(check(address, allowBlock)).toMatchObject({ allowed: false, rule: expect.stringMatching(/^builtin:(loopback|metadata)$/) });
  });

  it('refuses the Teredo and local-use NAT64 blocks themselves, probes what an allowed one carries when it is public', () => {
    expect(check('2001:0:808:808::f7f7:f7f7')).toMatchObject({ allowed: false, rule: 'builtin:teredo' }); // server and client 8.8.8.8
    expect(check('2001:0:808:808::f7f7:f7f7', { ...DEFAULT, allow: ['2001::/32'] })).toEqual({ allowed: true });
    expect(check('64:ff9b:1::808:808')).toMatchObject({ allowed: false, rule: 'builtin:nat64-local-use' });
    expect(check('64:ff9b::808:808')).toEqual({ allowed: true });
  });
});

describe('IPv6 zone ids', () => {
  it('parse as a target whose zone the policy refuses by name, whatever the allow entries', () => {
    const parsed = parseTarget('[fe80::1%lo]:8443');
    expect(parsed).toEqual({ ok: true, target: { host: 'fe80::1', port: 8443, isIp: true, family: 6, zone: 'lo' } });
    if (!parsed.ok) return;
    const verdict = checkProbeTarget({ ...DEFAULT, allow: ['fe80::/10', '::1'] }, parsed.target, ['fe80::1']);
    expect(verdict).toMatchObject({ allowed: false, rule: 'zone-id' });
    if (!verdict.allowed) expect(verdict.message).toContain('[fe80::1%lo]:8443 carries the IPv6 zone id "%lo"');
    expect(parseTarget('https://[::1%25eth0]:443/')).toMatchObject({ ok: true, target: { host: '::1', zone: '25eth0' } });
    expect(parseTarget('[fe80::1%]:443')).toMatchObject({ ok: false, error: expect.stringContaining('invalid IPv6 zone id') });
  });
});
