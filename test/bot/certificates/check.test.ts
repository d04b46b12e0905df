import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectDer, inspectText } from '../../../bot/certificates/inspect.js';
import { createDiagnoser, type CertificateDiagnosis, type CertificateObservation } from '../../../rules/index.js';
import { CERT_CASES, type CertCase } from './helpers/cases.js';
import { generateCertPki, opensslFacts, opensslVerify, SERVER_SANS, type CertPki } from './helpers/pki.js';

// Certificates generated with openssl for this run, read and checked in-process, then diagnosed
// by the same rule engine as logs. The details are compared with what openssl itself prints, and
// the chain verdict with `openssl verify` on the same files.
const diagnoser = createDiagnoser();
let pki: CertPki;
beforeAll(() => void (pki = generateCertPki()));
afterAll(() => pki.cleanup());

function observe(c: CertCase): CertificateObservation {
  const options = { name: c.file, extraCaPem: c.ca ? [pki.read(c.ca)] : [], ...(c.role ? { declaredRole: c.role } : {}) };
  const inspection = c.binary ? inspectDer(readFileSync(pki.file(c.file)), options) : inspectText(pki.read(c.file), options);
  expect(inspection?.problems).toEqual([]);
  if (!inspection?.observation) throw new Error(`no observation for ${c.file}`);
  return inspection.observation;
}

describe('certificate files through the rules', () => {
  it.each(CERT_CASES.map((c) => [c.id, c] as const))('%s', async (_, c) => {
    const d: CertificateDiagnosis = await diagnoser.diagnoseCertificates(observe(c));
    expect({ cause: d.cause, team: d.team }).toEqual({ cause: c.cause, team: c.team });
    expect(d.warnings.map((w) => w.id).sort()).toEqual([...c.warnings].sort());
    if (c.others) expect(d.others.map((o) => o.cause)).toEqual(c.others);
    if (c.format) expect(d.certificateChain.format).toBe(c.format);
    if (c.chain) expect(d.certificateChain).toMatchObject(c.chain);
    const leaf = d.certificates.find((x) => x.position === d.certificateChain.leaf);
    if (c.leafDetails) expect(leaf).toMatchObject(c.leafDetails);

    // Details as openssl prints them for the same certificate.
    const facts = opensslFacts(pki.file(c.leaf));
    expect(leaf).toMatchObject({ serial: facts.serial, subject: facts.subject, sans: facts.sans, notAfter: facts.notAfter, daysLeft: facts.daysLeft });

    // The verdict as `openssl verify -untrusted FILE LEAF` gives it.
    const verify = opensslVerify(pki.file(c.leaf), pki.file(c.untrusted), c.ca ? pki.file(c.ca) : undefined);
    expect({ trusted: d.certificateChain.trusted, verifyError: d.certificateChain.verifyError }).toEqual({ trusted: verify.ok, verifyError: verify.error });
  });

  it('reports every detail of a server leaf: usages, key, CA flags, SANs', async () => {
    const d = await diagnoser.diagnoseCertificates(observe(CERT_CASES[0] as CertCase));
    const [leaf, inter] = d.certificates;
    expect(leaf).toMatchObject({
      position: 1,
      issuer: 'O=tls-triage tests, CN=Cert Test Intermediate',
      sans: SERVER_SANS,
      keyType: 'rsa',
      keyBits: 2048,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extKeyUsage: ['serverAuth'],
      selfSigned: false,
      isCa: false,
      weaknesses: [],
    });
    expect(leaf?.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(inter).toMatchObject({ isCa: true, keyUsage: ['keyCertSign', 'cRLSign'], extKeyUsage: null, signatureAlgorithm: 'ecdsa-with-SHA256' });
    expect(d.certificateChain).toMatchObject({ role: 'server', format: 'pem', unrelated: [], missing: [] });
  });

  it('names the weakness and keeps the diagnosis healthy when only the key is short', async () => {
    const rsa = await diagnoser.diagnoseCertificates(observe(CERT_CASES.find((c) => c.file === 'rsa1024-chain.pem') as CertCase));
    expect(rsa.certificates[0]?.weaknesses).toEqual([{ code: 'rsa-key-too-small', detail: 'RSA 1024 bits < 2048' }]);
    const sha1 = await diagnoser.diagnoseCertificates(observe(CERT_CASES.find((c) => c.file === 'sha1-chain.pem') as CertCase));
    expect(sha1.certificates[0]?.weaknesses.map((w) => w.code)).toEqual(['sha1-signature']);
  });

  it('a client certificate without clientAuth is only a finding when it is said to be a client certificate', async () => {
    const base = CERT_CASES.find((c) => c.file === 'client-noauth-chain.pem') as CertCase;
    const { role: _role, ...undeclared } = base;
    const d = await diagnoser.diagnoseCertificates(observe(undeclared));
    expect(d.certificateChain.role).toBe('server');
    expect(d.warnings).toEqual([]);
    const declared = await diagnoser.diagnoseCertificates(observe(base));
    expect(declared.certificateChain).toMatchObject({ role: 'server', declaredRole: 'client' });
    expect(declared.warnings[0]?.text).toMatch(/CN=batch-job.*without clientAuth/);
  });

  it('an expired client chain missing its intermediate gives both causes, expiry first', async () => {
    const d = await diagnoser.diagnoseCertificates(observe({ ...(CERT_CASES[2] as CertCase), file: 'expired-client.pem' }));
    expect(d.cause).toBe('client-cert-expired');
    expect(d.others.map((o) => o.cause)).toEqual(['client-cert-untrusted']);
    expect(d.title).toMatch(/CN=alice.*2020-03-01/);
  });

  it('reports what could not be read instead of failing the whole input', () => {
    const text = `${pki.read('server.pem')}\n-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n`;
    const inspection = inspectText(text, { name: 'mixed.pem' });
    expect(inspection?.observation?.certificates).toHaveLength(1);
    expect(inspection?.problems).toEqual(['certificate block 2 is not a valid certificate (damaged base64?)']);
    expect(inspectText('no certificates here, only a log line\n', { name: 'x' })).toBeUndefined();
    const cut = inspectText(pki.read('server.pem').slice(0, 300), { name: 'cut.pem' });
    expect(cut).toEqual({ problems: ['certificate block 1 (CERTIFICATE) has no END line: it was cut off'] });
  });
});
