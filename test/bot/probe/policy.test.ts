import { describe, expect, it } from 'vitest';
import {
  checkProbeTarget,
  parsePolicyEntry,
  probePolicySchema,
  type ProbePolicyConfig,
} from '../../../bot/probe/policy.js';

const DEFAULT: ProbePolicyConfig = { mode: 'default', allow: [], deny: [] };
const policy = (p: Partial<ProbePolicyConfig>): ProbePolicyConfig => ({ ...DEFAULT, ...p });
const at = (host: string, port = 443): { host: string; port: number } => ({ host, port });

describe('built-in denies', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['192.0.0.192', 'metadata'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
  ])('%s is refused as %s', (address, rule) => {
    const v = checkProbeTarget(DEFAULT, at(address), [address]);
    expect(v).toMatchObject({ allowed: false, rule: `builtin:${rule}`, address });
  });

  it.each([
    // decimal / octal / hex / short / mapped spellings of loopback and metadata
    ['2130706433', '127.0.0.1', 'loopback'],
    ['0177.0.0.1', '127.0.0.1', 'loopback'],
    ['0x7f.0.0.1', '127.0.0.1', 'loopback'],
    ['0x7f000001', '127.0.0.1', 'loopback'],
    ['127.1', '127.0.0.1', 'loopback'],
    ['::ffff:127.0.0.1', '127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', '127.0.0.1', 'loopback'],
    ['0:0:0:0:0:0:0:1', '::1', 'loopback'],
    ['2852039166', '169.254.169.254', 'metadata'],
    ['0251.0376.0251.0376', '169.254.169.254', 'metadata'],
    ['0xa9.0xfe.0xa9.0xfe', '169.254.169.254', 'metadata'],
    ['0xa9fea9fe', '169.254.169.254', 'metadata'],
    ['169.254.43518', '169.254.169.254', 'metadata'],
    ['::ffff:169.254.169.254', '169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', '169.254.169.254', 'metadata'],
    ['FD00:0EC2:0:0:0:0:0:0254', 'fd00:ec2::254', 'metadata'],
    ['::ffff:0.0.0.0', '0.0.0.0', 'unspecified'],
    ['::ffff:224.0.0.1', '224.0.0.1', 'multicast'],
    ['::ffff:255.255.255.255', '255.255.255.255', 'broadcast'],
    ['::ffff:169.254.1.1', '169.254.1.1', 'link-local'],
  ])('%s (= %s) is refused as %s', (spelling, canonical, rule) => {
    const v = checkProbeTarget(DEFAULT, at(spelling), [spelling]);
    expect(v).toMatchObject({ allowed: false, rule: `builtin:${rule}`, address: canonical });
  });

  it('checks IPv4 embedded in NAT64, IPv4-compatible and 6to4 addresses', () => {
    for (const [address, rule] of [
      ['64:ff9b::7f00:1', 'loopback'],
      ['64:ff9b::a9fe:a9fe', 'metadata'],
      ['::169.254.169.254', 'metadata'],
      ['2002:7f00:1::1', 'loopback'],
    ] as const) {
      const v = checkProbeTarget(DEFAULT, at(address), [address]);
      expect(v).toMatchObject({ allowed: false, rule: `builtin:${rule}` });
      if (!v.allowed) expect(v.message).toContain('embedded in');
    }
    expect(checkProbeTarget(DEFAULT, at('64:ff9b::a00:1'), ['64:ff9b::a00:1'])).toEqual({ allowed: true });
  });

  it('names the rule, the address and the way out', () => {
    const v = checkProbeTarget(DEFAULT, at('127.0.0.1'), ['127.0.0.1']);
    expect(v).toEqual({
      allowed: false,
      rule: 'builtin:loopback',
      address: '127.0.0.1',
      message:
        'refused by built-in deny "loopback" (127.0.0.1: Loopback, 127.0.0.0/8, RFC 1122, not globally reachable); add an allow entry (--allow 127.0.0.1 or PROBE_ALLOW) to probe it',
    });
    const m = checkProbeTarget(DEFAULT, at('metadata.internal'), ['169.254.169.254']);
    expect(m.allowed).toBe(false);
    if (!m.allowed) expect(m.message).toContain('169.254.169.254 is a cloud metadata endpoint');
  });
});

describe('default mode', () => {
  it.each([
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.10',
    '100.64.0.1',
    '100.127.255.254',
    'fd12:3456::1',
    'fc00::1',
    '8.8.8.8',
    '2606:4700::1111',
  ])('allows %s (private ranges and public addresses)', (address) => {
    expect(checkProbeTarget(DEFAULT, at(address), [address])).toEqual({ allowed: true });
  });

  it('a host-name allow entry is a no-op for addresses', () => {
    const p = policy({ allow: ['payments-gw.internal'] });
    expect(checkProbeTarget(p, at('payments-gw.internal'), ['10.0.0.5'])).toEqual({ allowed: true });
    // does NOT lift a built-in deny on what the name resolves to
    expect(checkProbeTarget(p, at('payments-gw.internal'), ['169.254.169.254'])).toMatchObject({
      allowed: false,
      rule: 'builtin:metadata',
    });
  });
});

describe('allow entries', () => {
  it('an IP allow entry lifts a built-in deny for that address only', () => {
    const p = policy({ allow: ['127.0.0.1'] });
    expect(checkProbeTarget(p, at('127.0.0.1'), ['127.0.0.1'])).toEqual({ allowed: true });
    expect(checkProbeTarget(p, at('0x7f000001'), ['0x7f000001'])).toEqual({ allowed: true });
    expect(checkProbeTarget(p, at('127.0.0.2'), ['127.0.0.2'])).toMatchObject({ rule: 'builtin:loopback' });
    expect(checkProbeTarget(p, at('::1'), ['::1'])).toMatchObject({ rule: 'builtin:loopback' });
  });

  it('a CIDR allow entry lifts a built-in deny for the range', () => {
    const p = policy({ allow: ['169.254.0.0/16'] });
    expect(checkProbeTarget(p, at('169.254.10.1'), ['169.254.10.1'])).toEqual({ allowed: true });
    expect(checkProbeTarget(p, at('169.254.169.254'), ['169.254.169.254'])).toEqual({ allowed: true });
  });

  it('port-scoped allow entries only lift for the listed ports', () => {
    const p = policy({ allow: ['[::1]:8443', '127.0.0.1:443,8443'] });
    expect(checkProbeTarget(p, at('::1', 8443), ['::1'])).toEqual({ allowed: true });
    expect(checkProbeTarget(p, at('::1', 443), ['::1'])).toMatchObject({ allowed: false, rule: 'builtin:loopback' });
    expect(checkProbeTarget(p, at('127.0.0.1', 443), ['127.0.0.1'])).toEqual({ allowed: true });
    expect(checkProbeTarget(p, at('127.0.0.1', 8443), ['127.0.0.1'])).toEqual({ allowed: true });
    expect(checkProbeTarget(p, at('127.0.0.1', 22), ['127.0.0.1'])).toMatchObject({ allowed: false });
  });
});

describe('deny entries', () => {
  it('deny beats allow for the same address', () => {
    const p = policy({ allow: ['10.0.0.0/8', '127.0.0.1'], deny: ['10.1.2.3', '127.0.0.0/8'] });
    expect(checkProbeTarget(p, at('10.1.2.3'), ['10.1.2.3'])).toEqual({
      allowed: false,
      rule: 'deny:10.1.2.3',
      address: '10.1.2.3',
      message: 'refused by deny entry "10.1.2.3" (10.1.2.3); explicit deny entries always win',
    });
    expect(checkProbeTarget(p, at('10.1.2.4'), ['10.1.2.4'])).toEqual({ allowed: true });
    expect(checkProbeTarget(p, at('127.0.0.1'), ['127.0.0.1'])).toMatchObject({ rule: 'deny:127.0.0.0/8' });
  });

  it('deny entries match every spelling, including embedded IPv4', () => {
    const p = policy({ deny: ['10.0.0.0/8'] });
    for (const a of ['012.0.0.1', '167772161', '::ffff:10.0.0.1', '64:ff9b::a00:1']) {
      expect(checkProbeTarget(p, at(a), [a])).toMatchObject({ allowed: false, rule: 'deny:10.0.0.0/8' });
    }
  });

  it('a host-name allow does not exempt its addresses from an explicit address deny', () => {
    const p = policy({ allow: ['payments-gw.internal'], deny: ['10.9.0.0/16'] });
    expect(checkProbeTarget(p, at('payments-gw.internal'), ['10.9.1.1'])).toMatchObject({
      allowed: false,
      rule: 'deny:10.9.0.0/16',
      address: '10.9.1.1',
    });
    const strict = { ...p, mode: 'allowlist' as const };
    expect(checkProbeTarget(strict, at('payments-gw.internal'), ['10.9.1.1'])).toMatchObject({
      rule: 'deny:10.9.0.0/16',
    });
  });

  it('a host-name deny refuses the name (and only on listed ports)', () => {
    const p = policy({ allow: ['10.0.0.0/8'], deny: ['legacy.internal:8443'] });
    expect(checkProbeTarget(p, at('legacy.internal', 8443), ['10.0.0.1'])).toMatchObject({
      allowed: false,
      rule: 'deny:legacy.internal:8443',
    });
    expect(checkProbeTarget(p, at('LEGACY.internal.', 443), ['10.0.0.1'])).toEqual({ allowed: true });
    expect(checkProbeTarget(policy({ deny: ['legacy.internal'] }), at('LEGACY.internal.', 443), ['10.0.0.1'])).toMatchObject({
      rule: 'deny:legacy.internal',
    });
  });
});

describe('allowlist mode', () => {
  const p = policy({ mode: 'allowlist', allow: ['payments-gw.internal:443', '10.20.0.0/16', '[::1]:8443'] });

  it('refuses everything not explicitly allowed', () => {
    expect(checkProbeTarget(p, at('8.8.8.8'), ['8.8.8.8'])).toEqual({
      allowed: false,
      rule: 'allowlist',
      address: '8.8.8.8',
      message:
        'refused by allowlist mode: 8.8.8.8 matches no allow entry for port 443; add one (--allow or PROBE_ALLOW) to probe it',
    });
    expect(checkProbeTarget(p, at('other.internal'), ['10.0.0.1'])).toMatchObject({ rule: 'allowlist' });
  });

  it('admits allowed names (on their ports) and allowed addresses', () => {
    expect(checkProbeTarget(p, at('payments-gw.internal'), ['10.0.0.1', '10.0.0.2'])).toEqual({ allowed: true });
    expect(checkProbeTarget(p, at('payments-gw.internal', 8443), ['10.0.0.1'])).toMatchObject({ rule: 'allowlist' });
    expect(checkProbeTarget(p, at('any.internal'), ['10.20.3.4'])).toEqual({ allowed: true });
    expect(checkProbeTarget(p, at('::1', 8443), ['::1'])).toEqual({ allowed: true });
  });

  it('an allowed name still cannot reach built-in denied addresses', () => {
    expect(checkProbeTarget(p, at('payments-gw.internal'), ['10.0.0.1', '127.0.0.1'])).toMatchObject({
      allowed: false,
      rule: 'builtin:loopback',
      address: '127.0.0.1',
    });
  });
});

describe('multi-address resolution', () => {
  it('one refused address refuses the target and is named', () => {
    const v = checkProbeTarget(DEFAULT, at('mixed.example'), ['10.0.0.1', '2606:4700::1111', '169.254.169.254']);
    expect(v).toMatchObject({ allowed: false, rule: 'builtin:metadata', address: '169.254.169.254' });
    const d = checkProbeTarget(policy({ deny: ['2606:4700::/32'] }), at('mixed.example'), ['10.0.0.1', '2606:4700::1111']);
    expect(d).toMatchObject({ allowed: false, rule: 'deny:2606:4700::/32', address: '2606:4700::1111' });
    expect(checkProbeTarget(DEFAULT, at('ok.example'), ['10.0.0.1', '2606:4700::1111'])).toEqual({ allowed: true });
    expect(checkProbeTarget(DEFAULT, at('doc.example'), ['10.0.0.1', '2001:db8::1'])).toMatchObject({ allowed: false, rule: 'builtin:documentation', address: '2001:db8::1' });
  });

  it('fails closed on no addresses, bad addresses and bad entries', () => {
    expect(checkProbeTarget(DEFAULT, at('x.example'), [])).toMatchObject({ allowed: false, rule: 'no-addresses' });
    expect(checkProbeTarget(DEFAULT, at('x.example'), ['garbage'])).toMatchObject({ rule: 'invalid-address' });
    expect(checkProbeTarget(policy({ deny: ['10.0.0.1/8'] }), at('8.8.8.8'), ['8.8.8.8'])).toMatchObject({
      allowed: false,
      rule: 'invalid-policy',
    });
  });
});

describe('parsePolicyEntry', () => {
  it.each([
    ['10.0.0.0/8', { kind: 'cidr', cidr: { text: '10.0.0.0/8' } }],
    ['10.1.2.3:8443', { kind: 'cidr', cidr: { text: '10.1.2.3/32' }, ports: [8443] }],
    ['api.internal:443,8443', { kind: 'host', host: 'api.internal', ports: [443, 8443] }],
    ['[::1]:8443', { kind: 'cidr', cidr: { text: '::1/128' }, ports: [8443] }],
    ['[fd00::/8]:443', { kind: 'cidr', cidr: { text: 'fd00::/8' }, ports: [443] }],
    ['fd00::/8', { kind: 'cidr', cidr: { text: 'fd00::/8' } }],
    ['::ffff:127.0.0.1', { kind: 'cidr', cidr: { family: 4, text: '127.0.0.1/32' } }],
    ['10.0.0.0/8:443', { kind: 'cidr', cidr: { text: '10.0.0.0/8' }, ports: [443] }],
    ['0x7f.1', { kind: 'cidr', cidr: { text: '127.0.0.1/32' } }],
    ['Payments-GW.internal', { kind: 'host', host: 'payments-gw.internal' }],
  ])('%s', (input, expected) => {
    expect(parsePolicyEntry(input)).toMatchObject({ ok: true, entry: expected });
  });

  it.each([
    ['', 'entry is empty'],
    ['10.0.0.1/8', '"10.0.0.1/8": "10.0.0.1/8" has host bits set; did you mean 10.0.0.0/8?'],
    ['api.internal:70000', '"api.internal:70000": port 70000 is out of range (1-65535)'],
    ['api.internal:443,', '"api.internal:443,": port is empty'],
    ['[::1]x', '"[::1]x": unexpected "x" after "]"'],
    ['bad_host', '"bad_host": "bad_host" is not a valid host name (labels use letters, digits and inner hyphens)'],
    ['10.0.0.0/40', '"10.0.0.0/40": prefix length "/40" is invalid for IPv4 (0-32)'],
    ['a b', '"a b" contains whitespace'],
  ])('rejects %j', (input, error) => {
    expect(parsePolicyEntry(input)).toEqual({ ok: false, error });
  });
});

describe('probePolicySchema', () => {
  it('fills defaults', () => {
    expect(probePolicySchema.parse({})).toEqual({
      mode: 'default',
      allow: [],
      deny: [],
      maxConcurrent: 4,
      perUserPerMinute: 10,
      timeoutMs: 10_000,
    });
  });

  it('names the bad entry in refinement errors', () => {
    const r = probePolicySchema.safeParse({ allow: ['10.0.0.0/8', 'exa mple'], deny: ['127.0.0.1:0'] });
    expect(r.success).toBe(false);
    if (r.success) return;
    const issues = r.error.issues.map((i) => ({ path: i.path, message: i.message }));
    expect(issues).toEqual([
      { path: ['allow', 1], message: 'allow entry "exa mple" contains whitespace' },
      { path: ['deny', 0], message: 'deny entry "127.0.0.1:0": port 0 is out of range (1-65535)' },
    ]);
  });

  it('validates limits and lists', () => {
    expect(probePolicySchema.safeParse({ mode: 'strict' }).success).toBe(false);
    expect(probePolicySchema.safeParse({ maxConcurrent: 0 }).success).toBe(false);
    expect(probePolicySchema.safeParse({ timeoutMs: 1.5 }).success).toBe(false);
    expect(probePolicySchema.parse({ channels: ['C1'], users: [] })).toMatchObject({ channels: ['C1'], users: [] });
  });
});
