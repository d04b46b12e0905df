import { describe, expect, it } from 'vitest';
import { certificateSignals, combineDiagnoses, createDiagnoser, type CertificateDetail, type CertificateObservation } from '../../../rules/index.js';

// The pure side: an observation becomes signals, and certificate diagnoses join logs and probes in
// an incident with the same precedence (a log failure leads; else the most recent observation).
const diagnoser = createDiagnoser();

function cert(position: number, over: Partial<CertificateDetail> = {}): CertificateDetail {
  return {
    position, subject: `CN=c${position}`, issuer: `CN=c${position + 1}`, sans: [], serial: '01', notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2027-01-01T00:00:00.000Z',
    daysLeft: 200, expired: false, notYetValid: false, keyType: 'ec', keyBits: 256, signatureAlgorithm: 'ecdsa-with-SHA256', keyUsage: [], extKeyUsage: ['serverAuth'],
    selfSigned: false, isCa: position > 1, fingerprintSha256: 'AA', weaknesses: [], ...over,
  };
}

function observation(certificates: CertificateDetail[], over: Partial<CertificateObservation['chain']> = {}, role: CertificateObservation['role'] = 'server'): CertificateObservation {
  const path = certificates.map((c) => c.position);
  return {
    name: 'x.pem', format: 'pem', observedAt: '2026-06-01T00:00:00.000Z', role, certificates,
    chain: { leaf: 1, path, orderOk: true, complete: true, missing: [], anchor: 'CN=root', trusted: true, verifyError: null, unrelated: [], ...over },
  };
}

describe('certificate signals', () => {
  it('an expired intermediate is expiry too; an expiring one warns', async () => {
    const o = observation([cert(1), cert(2, { expired: true, daysLeft: -3 })]);
    expect(certificateSignals(o)).toEqual(['cert.issuer-expired', 'cert.role-server']);
    expect((await diagnoser.diagnoseCertificates(o)).cause).toBe('server-cert-expired');
    const soon = observation([cert(1), cert(2, { daysLeft: 29 })]);
    expect((await diagnoser.diagnoseCertificates(soon)).warnings.map((w) => w.id)).toEqual(['cert-expiring-soon']);
  });

  it('a path that stops at a CA lacks only its root (untrusted); one that stops at the leaf lacks an intermediate', () => {
    const atCa = observation([cert(1), cert(2)], { complete: false, anchor: null, trusted: false, missing: ['CN=c3'] });
    expect(certificateSignals(atCa)).toContain('cert.untrusted');
    const atLeaf = observation([cert(1)], { complete: false, anchor: null, trusted: false, missing: ['CN=c2'] });
    expect(certificateSignals(atLeaf)).toContain('cert.chain-incomplete');
  });

  it('no extended key usage means any use: no wrong-usage finding for a declared client certificate', () => {
    const any = { ...observation([cert(1, { extKeyUsage: null })], {}, 'unknown'), declaredRole: 'client' as const };
    expect(certificateSignals(any)).not.toContain('cert.client-without-clientauth');
    const email = { ...observation([cert(1, { extKeyUsage: ['emailProtection'] })], {}, 'unknown'), declaredRole: 'client' as const };
    expect(certificateSignals(email)).toContain('cert.client-without-clientauth');
  });
});

describe('certificates in an incident', () => {
  it('a log failure leads; a certificate failure leads over the red herring; the latest observation leads among equals', async () => {
    const expired = await diagnoser.diagnoseCertificates(observation([cert(1, { expired: true, daysLeft: -1 })]));
    const untrusted = await diagnoser.diagnoseCertificates(observation([cert(1)], { anchor: null, trusted: false, verifyError: 'SELF_SIGNED_CERT_IN_CHAIN' }));
    const log = await diagnoser.diagnoseText('2026/11/22 10:00:01 [info] 123#0: *7 SSL_do_handshake() failed (SSL: error:0A0000C1:SSL routines::no shared cipher) while SSL handshaking, client: 10.1.2.3, server: 0.0.0.0:443\n');
    const withLog = combineDiagnoses(log, [], [{ id: 2, diagnosis: expired }]);
    expect(withLog?.cause).toBe('no-shared-cipher');
    expect(withLog?.others.find((o) => o.cause === 'server-cert-expired')?.example).toEqual({ line: 0, text: expect.stringMatching(/^certificate x\.pem: /), document: 2 });

    const probe = await diagnoser.diagnoseProbe({ target: 'api.test:443', tcp: 'connected', speaksTls: true, protocolsAccepted: ['TLSv1.2'], certificate: { expired: false, notYetValid: false, daysLeft: 80, selfSigned: false, chainComplete: true, trusted: false, hostnameMatches: true, weak: false } });
    expect(combineDiagnoses(undefined, [{ id: 1, diagnosis: probe }], [{ id: 3, diagnosis: expired }])?.cause).toBe('server-cert-expired');
    expect(combineDiagnoses(undefined, [{ id: 4, diagnosis: probe }], [{ id: 3, diagnosis: expired }])?.cause).toBe('server-cert-untrusted');
    const lead = combineDiagnoses(undefined, [], [{ id: 1, diagnosis: expired }, { id: 5, diagnosis: untrusted }]);
    expect(lead).toMatchObject({ cause: 'server-cert-untrusted', keyLine: { document: 5 } });
    expect(lead?.others.map((o) => o.cause)).toEqual(['server-cert-expired']);
  });
});
