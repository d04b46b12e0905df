import { describe, expect, it } from 'vitest';
import { PRIVATE_KEY_PLACEHOLDER, removePrivateKeys } from '../../rules/index.js';
import { generateKeys, pemBody } from '../helpers/keys.js';

const keys = generateKeys();
const LOG = '2026-11-22 10:00:01 [error] 123#0: *7 SSL_do_handshake() failed (SSL: error:0A0000C1:SSL routines::no shared cipher) while SSL handshaking, client: 10.1.2.3, server: 0.0.0.0:443';

describe('private keys in pasted text (real keys from openssl and ssh-keygen)', () => {
  it.each([
    ['PKCS#8', keys.pkcs8],
    ['traditional RSA', keys.rsaTraditional],
    ['encrypted PKCS#8', keys.encrypted],
    ['OpenSSH', keys.openssh],
  ])('cuts out a %s key and keeps the lines around it', (_name, pem) => {
    const r = removePrivateKeys(`${LOG}\n${pem}\n${LOG}\n`);
    expect(r.removed).toBe(1);
    expect(r.text).not.toContain(pemBody(pem).slice(0, 40));
    expect(r.text).not.toMatch(/PRIVATE KEY-----/);
    expect(r.text.split('\n').filter((l) => l === LOG)).toHaveLength(2);
    expect(r.text).toContain(PRIVATE_KEY_PLACEHOLDER);
  });

  it('cuts a key pasted without its END line, up to the first line that is not PEM body', () => {
    const truncated = keys.pkcs8.split('\n').slice(0, -2).join('\n');
    const r = removePrivateKeys(`${truncated}\n${LOG}\n`);
    expect(r.removed).toBe(1);
    for (const line of pemBody(keys.pkcs8).match(/.{1,64}/g)?.slice(0, -1) ?? []) expect(r.text).not.toContain(line);
    expect(r.text).toContain(LOG);
  });

  it('counts several keys, leaves certificates alone, and is a no-op without keys', () => {
    const r = removePrivateKeys(`${keys.certificate}${keys.pkcs8}${keys.openssh}`);
    expect(r.removed).toBe(2);
    expect(r.text).toContain(keys.certificate.trim());
    const plain = `${LOG}\nthe PRIVATE KEY word alone is not a key\n`;
    expect(removePrivateKeys(plain)).toEqual({ text: plain, removed: 0 });
  });

  it('stays linear on hostile input (many BEGIN markers, no END)', () => {
    const hostile = '-----BEGIN PRIVATE KEY-----\nAAAA\n'.repeat(50_000);
    const started = performance.now();
    const r = removePrivateKeys(hostile);
    expect(r.removed).toBeGreaterThan(0);
    expect(r.text).not.toContain('AAAA');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
