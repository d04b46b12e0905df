// Live loopback tests against openssl s_server: modern TLS 1.2+1.3 with a full chain, TLS 1.3
// only, a single unusual cipher, server preference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePki, type TestPki } from './helpers/certs.js';
import { withServer, type Peer } from './helpers/servers.js';
import { accepted, probe, proto } from './helpers/probe.js';

let pki: TestPki;
beforeAll(() => {
  pki = generatePki();
});
afterAll(() => pki.cleanup());


describe('modern TLS 1.2 + 1.3 with leaf + intermediate', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile]);

  it('reports tcp, tls, protocols, a trusted complete chain', async () => {
    const r = await probe(srv.port(), { extraCaPem: [pki.rootPem] });
    expect(r.tcp.outcome).toBe('connected');
    expect(r.speaksTls).toMatchObject({ value: true, spoke: 'tls', preferredVersion: 'TLSv1.3' });
    expect(accepted(r)).toEqual(['TLSv1.2', 'TLSv1.3']);
    expect(proto(r, 'SSLv3')).toMatchObject({ accepted: false, outcome: 'alert' });
    expect(proto(r, 'TLSv1').accepted).toBe(false);
    expect(proto(r, 'TLSv1.1').accepted).toBe(false);
    expect(proto(r, 'TLSv1.2')).toMatchObject({ outcome: 'server-hello', serverVersion: 'TLSv1.2' });
    expect(proto(r, 'TLSv1.2').cipher?.iana).toMatch(/^TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256$|GCM|CHACHA/);
    expect(proto(r, 'TLSv1.3')).toMatchObject({ outcome: 'server-hello', serverVersion: 'TLSv1.3' });
    expect(proto(r, 'TLSv1.3').cipher).toMatchObject({ iana: 'TLS_AES_128_GCM_SHA256', openssl: 'TLS_AES_128_GCM_SHA256', code: 0x1301 });
    expect(r.ciphers).toBeNull();
    const c = r.certificate;
    expect(c).not.toBeNull();
    expect(c).toMatchObject({
      // TLS 1.3 is what modern clients get: its Certificate message, decrypted, is the chain reported.
      chainSource: 'tls13-certificate-message',
      chainShape: 'anchored',
      trustedLenient: true,
      subject: 'CN=localhost',
      issuer: 'O=tls-triage tests, CN=Probe Test Intermediate',
      expired: false,
      notYetValid: false,
      selfSigned: false,
      hostnameChecked: 'localhost',
      hostnameMatches: true,
      chainComplete: true,
      trusted: true,
      verifyError: null,
      verifySource: 'openssl',
      weaknesses: [],
    });
    expect(c?.sans).toEqual(['DNS:localhost', 'DNS:probe.test', 'IP:127.0.0.1', 'IP:::1']);
    expect(c?.daysLeft).toBeGreaterThanOrEqual(88);
    expect(c?.daysLeft).toBeLessThanOrEqual(90);
    expect(c?.chain).toHaveLength(2);
    expect(c?.chain[0]).toMatchObject({ keyType: 'rsa', keyBits: 2048, signatureAlgorithm: 'ecdsa-with-SHA256', selfSigned: false });
    expect(c?.chain[1]).toMatchObject({ subject: 'O=tls-triage tests, CN=Probe Test Intermediate', keyType: 'ec', keyBits: 256 });
    expect(r.clientAuth).toMatchObject({ requested: false, required: false, acceptableCAs: [], seenVia: 'none' });
    expect(r.steps.map((s) => s.name)).toEqual(['tcp', 'speaks-tls', 'protocols', 'cipher-checks', 'certificate', 'client-auth']);
    // OpenSSL 3 picks its DHE group to match the key: 2048 bits for an RSA-2048 certificate.
    expect(r.cipherChecks).toEqual({ weakSuites: [], dheBits: 2048, modernClientAgrees: true });
    expect(r.deadlineHit).toBe(false);
    expect(() => JSON.parse(JSON.stringify(r))).not.toThrow();
  });

  it('is untrusted without the root, and checks the hostname against the servername', async () => {
    const r = await probe(srv.port(), { servername: 'wrong.example' });
    // Leaf + intermediate sent: the chain is complete, its root is what the store lacks (a private CA).
    expect(r.certificate).toMatchObject({ trusted: false, verifyError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', chainComplete: true, chainShape: 'links-to-unknown-root', hostnameChecked: 'wrong.example', hostnameMatches: false, hostnameError: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('checks IP SANs when probing an IP without servername', async () => {
    const r = await probe(srv.port(), { servername: undefined, extraCaPem: [pki.rootPem] });
    expect(r.target.servername).toBeNull();
    expect(r.certificate).toMatchObject({ hostnameChecked: '127.0.0.1', hostnameMatches: true, trusted: true });
  });

  it('enumerates cipher suites per protocol with ciphers: true', async () => {
    const r = await probe(srv.port(), { ciphers: true, extraCaPem: [pki.rootPem] });
    expect(r.ciphers?.protocols.map((p) => p.protocol)).toEqual(['TLSv1.2', 'TLSv1.3']);
    const t13 = r.ciphers?.protocols.find((p) => p.protocol === 'TLSv1.3');
    expect(t13?.suites.map((s) => s.iana).sort()).toEqual(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']);
    const t12 = r.ciphers?.protocols.find((p) => p.protocol === 'TLSv1.2');
    const names = t12?.suites.map((s) => s.openssl) ?? [];
    expect(names).toContain('ECDHE-RSA-AES256-GCM-SHA384');
    expect(names).toContain('ECDHE-RSA-CHACHA20-POLY1305');
    expect(names).toContain('AES256-SHA');
    expect(names.some((n) => n?.includes('ECDSA'))).toBe(false); // RSA certificate
    expect(names.some((n) => n?.includes('RC4') || n?.includes('DES-CBC3'))).toBe(false);
    expect(t12?.complete).toBe(true);
    // s_server honours the client's order unless -serverpref.
    expect(t12?.serverPreference).toBe('client');
    expect(r.ciphers?.serverPreference).toBe('client');
    expect(r.steps.find((s) => s.name === 'ciphers')?.outcome).toBe('ok');
  });
});

describe('server cipher preference', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-serverpref', '-no_tls1_3']);
  it('detects server preference', async () => {
    const r = await probe(srv.port(), { ciphers: true });
    expect(r.ciphers?.protocols.find((p) => p.protocol === 'TLSv1.2')?.serverPreference).toBe('server');
    expect(r.ciphers?.serverPreference).toBe('server');
  });
});

describe('TLS 1.3 only', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-tls1_3']);
  it('accepts only TLS 1.3 and reads the chain from the decrypted Certificate message', async () => {
    const r = await probe(srv.port(), { extraCaPem: [pki.rootPem] });
    expect(accepted(r)).toEqual(['TLSv1.3']);
    expect(proto(r, 'TLSv1.2')).toMatchObject({ accepted: false, outcome: 'alert', alert: { name: 'protocol_version' } });
    expect(r.certificate).toMatchObject({ chainSource: 'tls13-certificate-message', negotiatedProtocol: 'TLSv1.3', trusted: true, chainComplete: true, subject: 'CN=localhost' });
    expect(r.certificate?.chain.map((c) => c.subject)).toEqual(['CN=localhost', 'O=tls-triage tests, CN=Probe Test Intermediate']);
    // The decrypted flight has no CertificateRequest: not requested, and that is known, not null.
    expect(r.clientAuth).toMatchObject({ requested: false, required: false, seenVia: 'none' });
    expect(r.clientAuth.note).toMatch(/Post-handshake client authentication .* not seen/);
  });
});

describe('single unusual cipher', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cipher', 'AES256-SHA', '-no_tls1_3']);
  it('finds exactly that suite', async () => {
    const r = await probe(srv.port(), { ciphers: true });
    expect(accepted(r)).toEqual(['TLSv1.2']);
    expect(proto(r, 'TLSv1.2').cipher).toEqual({ code: 0x35, hex: '0x0035', iana: 'TLS_RSA_WITH_AES_256_CBC_SHA', openssl: 'AES256-SHA' });
    expect(r.ciphers?.protocols).toHaveLength(1);
    expect(r.ciphers?.protocols[0]?.suites).toEqual([{ code: 0x35, hex: '0x0035', iana: 'TLS_RSA_WITH_AES_256_CBC_SHA', openssl: 'AES256-SHA' }]);
    expect(r.ciphers?.protocols[0]?.serverPreference).toBe('unknown');
  });
});

describe('IPv6 loopback, node:tls server', () => {
  let peer: Peer | undefined;
  beforeAll(async () => {
    const { readFileSync } = await import('node:fs');
    const { startNodeTlsServer } = await import('./helpers/servers.js');
    peer = await startNodeTlsServer({ key: readFileSync(pki.leafKey), cert: readFileSync(pki.leafCert, 'utf8') + readFileSync(pki.interFile, 'utf8') }, '::1');
  });
  afterAll(async () => peer?.stop());
  it('probes ::1', async () => {
    const r = await probe(peer?.port ?? 0, { address: '::1', extraCaPem: [pki.rootPem] });
    expect(r.target.address).toBe('::1');
    expect(accepted(r)).toEqual(['TLSv1.2', 'TLSv1.3']);
    expect(r.certificate).toMatchObject({ trusted: true, chainComplete: true, hostnameMatches: true });
  });
});
