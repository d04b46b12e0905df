import { describe, expect, it } from 'vitest';
import {
  contains,
  formatIPv6,
  normaliseAddress,
  parseCidr,
  parseIPv4Loose,
  parseIPv6,
} from '../../../bot/probe/address.js';

const norm = (s: string): string | undefined => {
  const r = normaliseAddress(s);
  return r.ok ? r.address : undefined;
};

describe('IPv4 normalisation (inet_aton rules)', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['0x7f.0.0.1', '127.0.0.1'],
    ['0X7F.0.0.1', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['127.0.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['017700000001', '127.0.0.1'],
    ['00000000177.0.0.1', '127.0.0.1'],
    ['169.254.169.254', '169.254.169.254'],
    ['2852039166', '169.254.169.254'],
    ['0xa9fea9fe', '169.254.169.254'],
    ['0251.0376.0251.0376', '169.254.169.254'],
    ['169.16689662', '169.254.169.254'],
    ['169.254.43518', '169.254.169.254'],
    ['0', '0.0.0.0'],
    ['0x', '0.0.0.0'],
    ['4294967295', '255.255.255.255'],
  ])('%s -> %s', (input, expected) => {
    expect(norm(input)).toBe(expected);
  });

  it.each(['4294967296', '256.0.0.1', '1.2.3.4.5', '08.0.0.1', '0x1g', '1..2', '', '.1', '1.2.3.', 'abc', '127.0.0.1 '])(
    'rejects %j',
    (input) => {
      expect(parseIPv4Loose(input)).toBeUndefined();
    },
  );

  it('agrees with the WHATWG URL host parser on numeric forms', () => {
    for (const s of ['0x7f.1', '2130706433', '0177.0.0.1', '10.0x10.1', '1.2.65535']) {
      expect(norm(s)).toBe(new URL(`https://${s}/`).hostname);
    }
  });
});

describe('IPv6 normalisation', () => {
  it.each([
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['0000:0000::0001', '::1'],
    ['FE80::1', 'fe80::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0000:0000:0000:0000:0002:0001', '2001:db8::2:1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['1::2:3:4:5:6:7', '1:0:2:3:4:5:6:7'],
    ['fd00:ec2::254', 'fd00:ec2::254'],
    ['::', '::'],
  ])('%s -> %s', (input, expected) => {
    expect(norm(input)).toBe(expected);
  });

  it('unwraps IPv4-mapped addresses to IPv4', () => {
    for (const s of ['::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:7f00:0001', '::FFFF:7F00:1']) {
      const r = normaliseAddress(s);
      expect(r).toMatchObject({ ok: true, address: '127.0.0.1', family: 4 });
    }
    expect(norm('::ffff:a9fe:a9fe')).toBe('169.254.169.254');
  });

  it.each(['1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', ':1', 'fe80::1%eth0', '::ffff:0177.0.0.1', '::1.2.3.4:5', 'g::1'])(
    'rejects %j',
    (input) => {
      expect(normaliseAddress(input).ok).toBe(false);
    },
  );

  it('formats like the WHATWG URL serialiser', () => {
    for (const s of ['1:0:0:2:0:0:0:3', '0:0:1:0:0:0:0:0', 'ab:0:0:0:0:0:0:0', '1:2:3:4:5:6:7:0']) {
      const v = parseIPv6(s);
      expect(v).toBeDefined();
      expect(`[${formatIPv6(v ?? 0n)}]`).toBe(new URL(`https://[${s}]/`).hostname);
    }
  });
});

describe('CIDR', () => {
  it('matches v4 and v6, including mapped forms', () => {
    expect(contains('10.0.0.0/8', '10.255.1.2')).toBe(true);
    expect(contains('10.0.0.0/8', '11.0.0.1')).toBe(false);
    expect(contains('127.0.0.0/8', '0x7f.1')).toBe(true);
    expect(contains('127.0.0.0/8', '::ffff:7f00:1')).toBe(true);
    expect(contains('fe80::/10', 'febf::1')).toBe(true);
    expect(contains('fe80::/10', 'fec0::1')).toBe(false);
    expect(contains('0.0.0.0/0', '8.8.8.8')).toBe(true);
    expect(contains('0.0.0.0/0', '::1')).toBe(false);
    expect(contains('::/0', '::1')).toBe(true);
    expect(contains('192.0.2.1', '192.0.2.1')).toBe(true);
    expect(contains('10.0.0.0/8', 'not-an-ip')).toBe(false);
  });

  it('turns a mapped IPv6 CIDR into the IPv4 CIDR it denotes', () => {
    expect(parseCidr('::ffff:127.0.0.0/104')).toMatchObject({ ok: true, cidr: { family: 4, text: '127.0.0.0/8' } });
  });

  it('rejects host bits and bad prefixes with a suggestion', () => {
    expect(parseCidr('10.0.0.1/8')).toEqual({ ok: false, error: '"10.0.0.1/8" has host bits set; did you mean 10.0.0.0/8?' });
    expect(parseCidr('10.0.0.0/33')).toMatchObject({ ok: false, error: expect.stringContaining('(0-32)') });
    expect(parseCidr('fe80::/129').ok).toBe(false);
    expect(parseCidr('10.0.0.0/').ok).toBe(false);
    expect(() => contains('nope/8', '1.2.3.4')).toThrow(TypeError);
  });
});
