import { describe, expect, it } from 'vitest';
import { formatTarget, parseTarget, stripChatMarkup } from '../../../bot/probe/target.js';

const ok = (input: string): unknown => {
  const r = parseTarget(input);
  if (!r.ok) throw new Error(`expected ok for ${input}: ${r.error}`);
  return r.target;
};
const err = (input: string): string => {
  const r = parseTarget(input);
  if (r.ok) throw new Error(`expected error for ${input}`);
  return r.error;
};

describe('parseTarget', () => {
  it.each([
    ['example.com:8443', { host: 'example.com', port: 8443, isIp: false }],
    ['example.com', { host: 'example.com', port: 443, isIp: false }],
    ['Payments-GW.Internal.:443', { host: 'payments-gw.internal', port: 443, isIp: false }],
    ['https://example.com:8443/path?q=1', { host: 'example.com', port: 8443, isIp: false }],
    ['https://example.com/path', { host: 'example.com', port: 443, isIp: false }],
    ['HTTPS://example.com', { host: 'example.com', port: 443, isIp: false }],
    ['tls://example.com:993', { host: 'example.com', port: 993, isIp: false }],
    ['10.1.2.3:8443', { host: '10.1.2.3', port: 8443, isIp: true, family: 4 }],
    ['0x7f.1:443', { host: '127.0.0.1', port: 443, isIp: true, family: 4 }],
    ['2130706433', { host: '127.0.0.1', port: 443, isIp: true, family: 4 }],
    ['[::1]:8443', { host: '::1', port: 8443, isIp: true, family: 6 }],
    ['[::1]', { host: '::1', port: 443, isIp: true, family: 6 }],
    ['::1', { host: '::1', port: 443, isIp: true, family: 6 }],
    ['2001:DB8::1', { host: '2001:db8::1', port: 443, isIp: true, family: 6 }],
    ['[::ffff:127.0.0.1]:443', { host: '127.0.0.1', port: 443, isIp: true, family: 4 }],
    ['https://[fe80::1]:8443/', { host: 'fe80::1', port: 8443, isIp: true, family: 6 }],
    ['bücher.example', { host: 'xn--bcher-kva.example', port: 443, isIp: false }],
  ])('%s', (input, expected) => {
    expect(ok(input)).toEqual(expected);
  });

  it('strips chat markup', () => {
    expect(ok('<https://x.example:1|x.example:1>')).toEqual({ host: 'x.example', port: 1, isIp: false });
    expect(ok('`example.com:8443`')).toEqual({ host: 'example.com', port: 8443, isIp: false });
    expect(ok('```example.com```')).toEqual({ host: 'example.com', port: 443, isIp: false });
    expect(ok('<example.com:8443>')).toEqual({ host: 'example.com', port: 8443, isIp: false });
    expect(ok('`<https://x.example/a|x.example>`')).toEqual({ host: 'x.example', port: 443, isIp: false });
    expect(stripChatMarkup('  <tls://a:1|label>  ')).toBe('tls://a:1');
  });

  it('treats IDNA-mapped digits as the IP literal they become', () => {
    expect(ok('１２７.０.０.１')).toEqual({ host: '127.0.0.1', port: 443, isIp: true, family: 4 });
    expect(ok('127。0。0。1')).toEqual({ host: '127.0.0.1', port: 443, isIp: true, family: 4 });
  });

  it('gives clear errors', () => {
    expect(err('example.com:70000')).toBe('port 70000 is out of range (1-65535)');
    expect(err('example.com:0')).toBe('port 0 is out of range (1-65535)');
    expect(err('example.com:99999999999')).toBe('port 99999999999 is out of range (1-65535)');
    expect(err('example.com:https')).toBe('port "https" is not a number');
    expect(err('example.com:')).toBe('port is empty');
    expect(err('http://example.com')).toMatch(/^unsupported scheme "http:\/\/"; use host:port or one of https:\/\/, tls:\/\/, smtps:\/\//);
    expect(err('file:///etc/passwd')).toContain('unsupported scheme "file://"');
    expect(err('https://user@127.0.0.1/')).toContain('credentials');
    expect(err('https://::1/')).toContain('must be in brackets');
    expect(err('')).toContain('no target');
    expect(err('a b')).toContain('whitespace');
    expect(err('exa_mple.com')).toContain('not a valid host name');
    expect(err('-bad.example')).toContain('not a valid host name');
    expect(err('a..b')).toContain('empty label');
    expect(err(`${'a'.repeat(64)}.example`)).toContain('longer than 63');
    expect(err(`${'abcdefghi.'.repeat(26)}com`)).toContain('longer than 253');
    expect(err('127.0.0.256')).toContain('looks like an IPv4 address');
    expect(err('foo.0x1')).toContain('looks like an IPv4 address');
    expect(err('[::1')).toContain('missing "]"');
    expect(err('[::1]x')).toContain('unexpected');
    expect(err('[example.com]:443')).toContain('not an IPv6 address');
    expect(err('fe80::1%')).toContain('zone id');
    expect(err('example.com/path')).toContain('paths need an https:// prefix');
  });

  it('formats targets with IPv6 brackets', () => {
    expect(formatTarget({ host: '::1', port: 8443 })).toBe('[::1]:8443');
    expect(formatTarget({ host: 'a.example', port: 443 })).toBe('a.example:443');
  });
});
