// Chain and cipher verdicts end to end (engine -> observation -> probe rules) against openssl
// s_server on 127.0.0.1: what the server sends decides between server and client team.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observe } from '../../../bot/probe/run-probe.js';
import { createProbeDiagnoser } from '../../../rules/probe/diagnoser.js';
import { generatePki, type TestPki } from './helpers/certs.js';
import { probe } from './helpers/probe.js';
import { withServer } from './helpers/servers.js';
import { generateWeakCerts, type WeakCerts } from './helpers/weak-certs.js';

let pki: TestPki;
let weak: WeakCerts;
beforeAll(() => {
  pki = generatePki();
  weak = generateWeakCerts(pki);
});
afterAll(() => pki.cleanup());

const diagnoser = await createProbeDiagnoser();

async function verdict(port: number, extra: Parameters<typeof probe>[1] = {}) {
  const report = await probe(port, extra);
  const diagnosis = await diagnoser.diagnoseProbe(observe(`localhost:${port}`, report));
  return { report, diagnosis };
}

describe('private CA: leaf + intermediate sent, root not in the store', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile]);
  it('is server-cert-untrusted (client team) with the --ca / certificates.caFiles hint, never a missing intermediate', async () => {
    const { report, diagnosis } = await verdict(srv.port());
    expect(report.certificate).toMatchObject({ chainComplete: true, chainShape: 'links-to-unknown-root', trusted: false, trustedLenient: false });
    expect(diagnosis).toMatchObject({ cause: 'server-cert-untrusted', team: 'client' });
    expect(diagnosis.findings.map((f) => f.cause)).not.toContain('server-chain-incomplete');
    expect(diagnosis.explanation).toMatch(/--ca/);
    expect(diagnosis.explanation).toMatch(/certificates\.caFiles/);
  });
  it('is healthy once the private root is given', async () => {
    const { diagnosis } = await verdict(srv.port(), { extraCaPem: [pki.rootPem] });
    expect(diagnosis.cause).toBe('healthy');
  });
});

describe('leaf alone, issuer unknown', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey]);
  it('is server-chain-incomplete with server-cert-untrusted as the alternative and its check', async () => {
    const { report, diagnosis } = await verdict(srv.port());
    expect(report.certificate).toMatchObject({ chainComplete: false, chainShape: 'leaf-alone-unknown-issuer' });
    expect(diagnosis).toMatchObject({ cause: 'server-chain-incomplete', team: 'server' });
    expect(diagnosis.alternatives).toEqual([{ cause: 'server-cert-untrusted', team: 'client', check: expect.stringMatching(/--ca .*certificates\.caFiles/) }]);
  });
});

describe('self-signed leaf whose key usage has no keyCertSign', () => {
  const srv = withServer(() => ['-cert', weak.selfSignedDigitalSignatureFile, '-key', pki.leafKey]);
  it('is recognised as self-signed: server-cert-untrusted, not a missing intermediate', async () => {
    const { report, diagnosis } = await verdict(srv.port());
    expect(report.certificate).toMatchObject({ selfSigned: true, chainShape: 'self-signed-leaf', verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(diagnosis.cause).toBe('server-cert-untrusted');
    expect(diagnosis.findings.map((f) => f.cause)).not.toContain('server-chain-incomplete');
  });
});

describe('SHA-1 intermediate under a trusted root', () => {
  const srv = withServer(() => ['-cert', weak.sha1LeafFile, '-key', pki.leafKey, '-cert_chain', weak.sha1InterFile, '-cipher', 'DEFAULT:@SECLEVEL=0']);
  it('is server-cert-weak (server team) with the reason named; the lenient verdict is kept', async () => {
    const { report, diagnosis } = await verdict(srv.port(), { extraCaPem: [pki.rootPem] });
    expect(report.certificate).toMatchObject({ trusted: false, trustedLenient: true, verifyError: 'CA_MD_TOO_WEAK' });
    expect(report.certificate?.weakReason).toMatch(/sha1WithRSAEncryption|ecdsa-with-SHA1/);
    expect(report.certificate?.weakReason).toMatch(/SHA-1 Intermediate/);
    expect(diagnosis).toMatchObject({ cause: 'server-cert-weak', team: 'server' });
    expect(diagnosis.warnings.map((w) => w.id)).not.toContain('weak-certificate');
  });
});

describe('RSA-1024 leaf', () => {
  const srv = withServer(() => ['-cert', weak.rsa1024LeafFile, '-key', weak.rsa1024Key, '-cert_chain', pki.interFile, '-cipher', 'DEFAULT:@SECLEVEL=0']);
  it('is server-cert-weak with EE_KEY_TOO_SMALL', async () => {
    const { report, diagnosis } = await verdict(srv.port(), { extraCaPem: [pki.rootPem] });
    expect(report.certificate).toMatchObject({ trusted: false, trustedLenient: true, verifyError: 'EE_KEY_TOO_SMALL' });
    expect(report.certificate?.weakReason).toMatch(/RSA 1024 bits/);
    expect(diagnosis.cause).toBe('server-cert-weak');
  });
});

describe('NULL suites only (TLS 1.2)', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-no_tls1_3', '-cipher', 'NULL-SHA256:NULL-SHA:@SECLEVEL=0']);
  it('is no-shared-cipher, not healthy, with the weak-cipher warning', async () => {
    const { report, diagnosis } = await verdict(srv.port(), { extraCaPem: [pki.rootPem] });
    expect(report.cipherChecks?.modernClientAgrees).toBe(false);
    expect(new Set(report.cipherChecks?.weakSuites.map((w) => w.reason))).toEqual(new Set(['NULL']));
    expect(report.cipherChecks?.weakSuites.map((w) => w.protocol)).toContain('TLSv1.2');
    expect(diagnosis.cause).toBe('no-shared-cipher');
    expect(diagnosis.warnings.map((w) => w.id)).toContain('weak-cipher-enabled');
  });
});

describe('DHE with a 1024-bit group next to modern suites', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-no_tls1_3', '-dhparam', weak.dh1024File, '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0']);
  it('stays healthy but warns weak-cipher-enabled with the DH size', async () => {
    const { report, diagnosis } = await verdict(srv.port(), { extraCaPem: [pki.rootPem] });
    expect(report.cipherChecks).toMatchObject({ dheBits: 1024, modernClientAgrees: true, weakSuites: [] });
    expect(diagnosis.cause).toBe('healthy');
    expect(diagnosis.warnings.map((w) => w.id)).toContain('weak-cipher-enabled');
  });
});

// This OpenSSL 3 build serves neither 3DES nor RC4: anonymous suites stand for "a weak suite
// beside modern ones"; the 3DES / RC4 / EXPORT names are classified in cipher-checks.test.ts.
describe('anonymous suite accepted beside AES-GCM', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-no_tls1_3', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:ADH-AES128-GCM-SHA256:@SECLEVEL=0']);
  it('names the anonymous suite and stays healthy', async () => {
    const { report, diagnosis } = await verdict(srv.port(), { extraCaPem: [pki.rootPem] });
    expect(report.cipherChecks?.weakSuites).toEqual([{ protocol: 'TLSv1.2', suite: expect.objectContaining({ openssl: 'ADH-AES128-GCM-SHA256' }), reason: 'anonymous' }]);
    expect(diagnosis.cause).toBe('healthy');
    expect(diagnosis.warnings.map((w) => w.id)).toContain('weak-cipher-enabled');
  });
});

describe('anonymous suites only', () => {
  const srv = withServer(() => ['-nocert', '-no_tls1_3', '-cipher', 'aNULL:@SECLEVEL=0']);
  it('is no-shared-cipher: no modern client offers an anonymous suite', async () => {
    const { report, diagnosis } = await verdict(srv.port());
    expect(report.certificate).toBeNull();
    expect(report.cipherChecks?.modernClientAgrees).toBe(false);
    expect(diagnosis.cause).toBe('no-shared-cipher');
  });
});
