// Live loopback tests: certificate problems and client-certificate requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePki, type TestPki } from './helpers/certs.js';
import { withServer } from './helpers/servers.js';
import { probe } from './helpers/probe.js';

let pki: TestPki;
beforeAll(() => {
  pki = generatePki();
});
afterAll(() => pki.cleanup());


describe('client certificate required (TLS 1.2 + 1.3)', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-Verify', '1', '-CAfile', pki.clientCaFile]);
  it('sees the request and the CA list (decrypted TLS 1.3) and the requirement (TLS 1.3 alert)', async () => {
    const r = await probe(srv.port(), { extraCaPem: [pki.rootPem] });
    expect(r.clientAuth).toMatchObject({ requested: true, required: true, seenVia: 'tls13-certificate-request' });
    expect(r.clientAuth.acceptableCAs).toEqual([pki.clientCaDn]);
    // node:tls negotiated TLS 1.3, finished its side of the handshake, so OpenSSL's verdict exists.
    expect(r.certificate).toMatchObject({ trusted: true, verifySource: 'openssl', negotiatedProtocol: 'TLSv1.3' });
    expect(r.steps.find((s) => s.name === 'client-auth')?.outcome).toBe('required');
  });
});

describe('client certificate required, TLS 1.2 only', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-Verify', '1', '-CAfile', pki.clientCaFile, '-no_tls1_3']);
  it('falls back to the path check when the handshake cannot complete', async () => {
    const r = await probe(srv.port(), { extraCaPem: [pki.rootPem] });
    expect(r.clientAuth).toMatchObject({ requested: true, required: true, seenVia: 'tls12-certificate-request' });
    expect(r.clientAuth.acceptableCAs).toEqual([pki.clientCaDn]);
    expect(r.certificate).toMatchObject({ trusted: true, verifySource: 'path-check', chainComplete: true, chainSource: 'tls-certificate-message' });
  });
});

describe('client certificate required, TLS 1.3 only', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-Verify', '1', '-CAfile', pki.clientCaFile, '-tls1_3']);
  it('reads the encrypted CertificateRequest and its CA list; the certificate_required alert says required', async () => {
    const r = await probe(srv.port());
    expect(r.clientAuth).toMatchObject({ requested: true, required: true, acceptableCAs: [pki.clientCaDn], seenVia: 'tls13-certificate-request' });
    expect(r.clientAuth.note).toMatch(/TLS 1\.3 \(decrypted\).*Post-handshake/);
  });
});

describe('expired leaf', () => {
  const srv = withServer(() => ['-cert', pki.expiredCert, '-key', pki.leafKey, '-cert_chain', pki.interFile]);
  it('reports expiry with negative daysLeft and CERT_HAS_EXPIRED', async () => {
    const now = new Date();
    const r = await probe(srv.port(), { extraCaPem: [pki.rootPem], now });
    const c = r.certificate;
    expect(c).toMatchObject({ expired: true, notYetValid: false, trusted: false, verifyError: 'CERT_HAS_EXPIRED', chainComplete: true, notAfter: '2020-03-01T00:00:00.000Z', notBefore: '2020-01-01T00:00:00.000Z' });
    expect(c?.daysLeft).toBe(Math.floor((Date.parse('2020-03-01T00:00:00Z') - now.getTime()) / 86_400_000));
    expect(c?.daysLeft).toBeLessThan(0);
  });
  it('computes expiry against the given clock', async () => {
    const r = await probe(srv.port(), { extraCaPem: [pki.rootPem], now: new Date('2020-02-01T00:00:00Z') });
    expect(r.certificate).toMatchObject({ expired: false, daysLeft: 29 });
  });
});

describe('leaf without its intermediate', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey]);
  it('reports an incomplete chain', async () => {
    const r = await probe(srv.port(), { extraCaPem: [pki.rootPem] });
    expect(r.certificate).toMatchObject({ chainComplete: false, trusted: false, verifyError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', hostnameMatches: true });
    expect(r.certificate?.chain).toHaveLength(1);
  });
});

describe('wrong hostname', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile]);
  it('is trusted but does not match the servername', async () => {
    const r = await probe(srv.port(), { servername: 'other.example', extraCaPem: [pki.rootPem] });
    expect(r.certificate).toMatchObject({ trusted: true, chainComplete: true, hostnameChecked: 'other.example', hostnameMatches: false, hostnameError: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });
});

describe('self-signed leaf', () => {
  const srv = withServer(() => ['-cert', pki.selfSignedCert, '-key', pki.leafKey]);
  it('reports DEPTH_ZERO_SELF_SIGNED_CERT', async () => {
    const r = await probe(srv.port());
    expect(r.certificate).toMatchObject({ selfSigned: true, trusted: false, verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT', chainComplete: true, hostnameMatches: true, subject: 'CN=localhost', issuer: 'CN=localhost' });
    expect(r.certificate?.chain[0]?.selfSigned).toBe(true);
  });
});

describe('root sent by the server, untrusted', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.chainWithRootFile]);
  it('reports SELF_SIGNED_CERT_IN_CHAIN', async () => {
    const r = await probe(srv.port());
    expect(r.certificate).toMatchObject({ trusted: false, verifyError: 'SELF_SIGNED_CERT_IN_CHAIN', chainComplete: true });
    expect(r.certificate?.chain).toHaveLength(3);
  });
});
