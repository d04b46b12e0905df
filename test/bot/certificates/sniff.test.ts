import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDerCertificates, readPemCertificates } from '../../../bot/certificates/read.js';
import { declaredRole, roleFromFileName } from '../../../bot/certificates/role-hint.js';
import { derKind, hasPemCertificate } from '../../../bot/certificates/sniff.js';
import { sniffFileKind } from '../../../bot/file-kind.js';
import { generateCertPki, type CertPki } from './helpers/pki.js';

// Recognising certificates by their bytes (uploads, the first chunk of a CLI input) and the words
// that say whose certificate it is.
let pki: CertPki;
beforeAll(() => void (pki = generateCertPki()));
afterAll(() => pki.cleanup());

/** The same PKCS#7 with its outer SEQUENCE in BER indefinite length, as Windows exports write it. */
function indefinite(der: Buffer): Buffer {
  const octets = (der[1] as number) & 0x7f;
  return Buffer.concat([Buffer.from([0x30, 0x80]), der.subarray(2 + octets), Buffer.from([0, 0])]);
}

describe('certificate sniffing', () => {
  it('tells DER certificates and PKCS#7 bundles (DER and BER) from other binaries', () => {
    const cert = readFileSync(pki.file('server.der'));
    const p7b = readFileSync(pki.file('expired-chain.p7b'));
    expect(derKind(cert, true)).toBe('certificate');
    expect(derKind(cert.subarray(0, 64), false)).toBe('certificate');
    expect(derKind(cert.subarray(0, 64), true)).toBeUndefined();
    expect(derKind(p7b, true)).toBe('pkcs7');
    expect(derKind(indefinite(p7b), true)).toBe('pkcs7');
    expect(sniffFileKind(p7b, 'bundle.bin')).toBe('der-certificate');
    expect(sniffFileKind(indefinite(p7b), 'bundle')).toBe('der-certificate');
    expect(sniffFileKind(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]), 'x')).not.toBe('der-certificate');
    expect(readDerCertificates(indefinite(p7b))?.ders).toHaveLength(2);
  });

  it('finds PEM certificate and PKCS#7 blocks, not keys or CSRs', () => {
    expect(hasPemCertificate(pki.read('chain.pem'))).toBe(true);
    expect(hasPemCertificate(Buffer.from(pki.read('chain.p7b')))).toBe(true);
    expect(hasPemCertificate(readFileSync(pki.file('leaf.key'), 'utf8'))).toBe(false);
    expect(hasPemCertificate(pki.read('server.csr'))).toBe(false);
  });

  it("reads OpenSSL's TRUSTED CERTIFICATE blocks (trust settings after the certificate)", () => {
    const trusted = execFileSync('openssl', ['x509', '-in', pki.file('server.pem'), '-trustout', '-addtrust', 'serverAuth'], { encoding: 'utf8' });
    expect(trusted).toContain('-----BEGIN TRUSTED CERTIFICATE-----');
    const read = readPemCertificates(trusted);
    expect(read?.ders[0]?.equals(readFileSync(pki.file('server.der')))).toBe(true);
  });

  it('reads chains mangled by chat clients (lines joined with spaces)', () => {
    const mangled = pki.read('chain.pem').replace(/\n/g, ' ');
    expect(readPemCertificates(mangled)?.ders).toHaveLength(2);
  });

  it('survives hostile text: thousands of BEGIN lines without END', () => {
    const hostile = '-----BEGIN CERTIFICATE-----\nAAAA\n'.repeat(20_000);
    const started = performance.now();
    expect(readPemCertificates(hostile)?.problems).toEqual(['certificate block 1 (CERTIFICATE) has no END line: it was cut off']);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('reads the role from the words of the message and from file names', () => {
    expect(declaredRole('here is our client cert for the mTLS call')).toBe('client');
    expect(declaredRole('the server certificate of api.test')).toBe('server');
    expect(declaredRole('client cert and server cert, both attached')).toBeUndefined();
    expect(declaredRole(pki.read('chain.pem'))).toBeUndefined();
    expect(roleFromFileName('alice-client.pem')).toBe('client');
    expect(roleFromFileName('client-ca.pem')).toBeUndefined();
    expect(roleFromFileName('server.pem')).toBeUndefined();
  });
});
