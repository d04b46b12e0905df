import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { CERT_CASES, type CertCase } from '../../bot/certificates/helpers/cases.js';
import { generateCertPki, opensslFacts, type CertPki } from '../../bot/certificates/helpers/pki.js';

// `tls-triage diagnose FILE` (the built CLI, `npm run build` first) tells a certificate from a log
// by its content and prints the same diagnosis JSON, with the certificates added.
const NGINX_NO_SHARED = '2026/11/22 10:00:01 [info] 123#0: *7 SSL_do_handshake() failed (SSL: error:0A0000C1:SSL routines::no shared cipher) while SSL handshaking, client: 10.1.2.3, server: 0.0.0.0:443';
let pki: CertPki;
beforeAll(() => void (pki = generateCertPki()));
afterAll(() => pki.cleanup());

const argsFor = (c: CertCase): string[] => ['diagnose', '--json', pki.file(c.file), ...(c.ca ? ['--ca', pki.file(c.ca)] : []), ...(c.role ? ['--role', c.role] : [])];

describe('tls-triage diagnose CERTIFICATE-FILE --json', () => {
  it.each(CERT_CASES.map((c) => [c.id, c] as const))('%s', async (_, c) => {
    const r = await runCli(argsFor(c));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json).slice(0, 4)).toEqual(['cause', 'team', 'title', 'explanation']);
    expect({ cause: json.cause, team: json.team }).toEqual({ cause: c.cause, team: c.team });
    expect(json.warnings.map((w: { id: string }) => w.id).sort()).toEqual([...c.warnings].sort());
    if (c.chain) expect(json.certificateChain).toMatchObject(c.chain);
    const leaf = json.certificates.find((x: { position: number }) => x.position === json.certificateChain.leaf);
    const facts = opensslFacts(pki.file(c.leaf));
    expect(leaf).toMatchObject({ serial: facts.serial, subject: facts.subject, sans: facts.sans, notAfter: facts.notAfter, daysLeft: facts.daysLeft });
  });
});

describe('tls-triage diagnose CERTIFICATE-FILE (text)', () => {
  it('lists each certificate, the chain, the verify result, then the diagnosis', async () => {
    const r = await runCli(['diagnose', pki.file('chain.pem'), '--ca', pki.file('root.pem')]);
    expect(r.code).toBe(0);
    const facts = opensslFacts(pki.file('server.pem'));
    expect(r.stdout).toMatch(/^Certificates in .*chain\.pem: 2 \(pem\); role: server \(by its extended key usage\)/);
    expect(r.stdout).toContain(`#1 O=tls-triage tests, CN=api.test  [leaf]`);
    expect(r.stdout).toContain(`serial: ${facts.serial}`);
    expect(r.stdout).toContain('names: DNS:api.test, DNS:www.api.test, IP:127.0.0.1');
    expect(r.stdout).toContain(`(${facts.daysLeft} days left)`);
    expect(r.stdout).toContain('#2 O=tls-triage tests, CN=Cert Test Intermediate  [CA]');
    expect(r.stdout).toContain('chain: #1 -> #2 -> (trust store: O=tls-triage tests, CN=Cert Test Root)');
    expect(r.stdout).toMatch(/verify: OK/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('cause: healthy');
  });

  it('says what is wrong with order, missing links and expiry', async () => {
    const wrong = await runCli(['diagnose', pki.file('wrong-order.pem'), '--ca', pki.file('root.pem')]);
    expect(wrong.stdout).toMatch(/order: WRONG/);
    expect(wrong.stdout).toMatch(/Reorder .*wrong-order\.pem: leaf first/);
    const missing = await runCli(['diagnose', pki.file('leaf-and-root.pem')]);
    expect(missing.stdout).toContain('(missing: O=tls-triage tests, CN=Cert Test Intermediate)');
    expect(missing.stdout).toContain("not on the leaf's chain: #2");
    expect(missing.stdout).toMatch(/verify: failed: UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
    const expired = await runCli(['diagnose', pki.file('expired-client-chain.pem'), '--ca', pki.file('root.pem')]);
    expect(expired.stdout).toMatch(/EXPIRED \d+ days ago/);
    expect(expired.stdout.trimEnd().split('\n').at(-1)).toBe('cause: client-cert-expired');
  });
});

describe('tls-triage diagnose: how certificates are recognised and trusted', () => {
  it('reads certificates from standard input, by content', async () => {
    const r = await runCli(['diagnose', '--json', '--ca', pki.file('root.pem')], { input: pki.read('expired-server-chain.pem') });
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ cause: 'server-cert-expired', certificateChain: { name: 'stdin.pem', format: 'pem' } });
  });

  it('recognises content, not names: a .log holding a DER certificate, a .txt holding a PKCS#7 bundle', async () => {
    const der = join(pki.dir, 'looks-like.log');
    copyFileSync(pki.file('expired-chain.p7b'), der);
    const a = JSON.parse((await runCli(['diagnose', '--json', der, '--ca', pki.file('root.pem')])).stdout);
    expect(a).toMatchObject({ cause: 'server-cert-expired', certificateChain: { format: 'pkcs7-der', path: [1, 2] } });
    const pem = join(pki.dir, 'notes.txt');
    copyFileSync(pki.file('chain.p7b'), pem);
    const b = JSON.parse((await runCli(['diagnose', '--json', pem])).stdout);
    expect(b).toMatchObject({ cause: 'server-cert-untrusted', certificateChain: { format: 'pkcs7-pem', missing: ['O=tls-triage tests, CN=Cert Test Root'] } });
  });

  it('trusts the CA files of the configuration (certificates.caFiles, TLS_TRIAGE_CA_FILES) and names a bad key', async () => {
    const config = join(pki.dir, 'tls-triage.json');
    writeFileSync(config, JSON.stringify({ certificates: { caFiles: [pki.file('root.pem')] } }));
    const viaFile = JSON.parse((await runCli(['diagnose', '--json', pki.file('chain.pem')], { env: { TLS_TRIAGE_CONFIG: config } })).stdout);
    expect(viaFile).toMatchObject({ cause: 'healthy', certificateChain: { trusted: true } });
    const viaEnv = JSON.parse((await runCli(['diagnose', '--json', pki.file('chain.pem')], { env: { TLS_TRIAGE_CA_FILES: pki.file('root.pem') } })).stdout);
    expect(viaEnv.cause).toBe('healthy');
    writeFileSync(config, JSON.stringify({ certificates: { caFiles: [pki.file('server.key-nope.pem'), pki.file('ca.ext')] } }));
    const bad = await runCli(['diagnose', pki.file('chain.pem')], { env: { TLS_TRIAGE_CONFIG: config } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/config key certificates\.caFiles\[0\]: cannot read .*server\.key-nope\.pem: no such file/);
    expect(bad.stderr).toMatch(/config key certificates\.caFiles\[1\]: .*ca\.ext holds no PEM certificate/);
  });

  it('takes the client role from --role or from a file named client...', async () => {
    const named = join(pki.dir, 'batch-client.pem');
    copyFileSync(pki.file('client-noauth-chain.pem'), named);
    const byName = JSON.parse((await runCli(['diagnose', '--json', named, '--ca', pki.file('root.pem')])).stdout);
    expect(byName.warnings.map((w: { id: string }) => w.id)).toEqual(['client-cert-wrong-usage']);
    const overruled = JSON.parse((await runCli(['diagnose', '--json', named, '--ca', pki.file('root.pem'), '--role', 'server'])).stdout);
    expect(overruled.warnings).toEqual([]);
    const usage = await runCli(['diagnose', named, '--role', 'both']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--role is client or server, not "both"/);
  });

  it('a file of log lines and certificates is both: the log failure leads, the certificates stay in the JSON', async () => {
    const mixed = join(pki.dir, 'mixed.txt');
    writeFileSync(mixed, `${NGINX_NO_SHARED}\n${pki.read('expired-server-chain.pem')}`);
    const json = JSON.parse((await runCli(['diagnose', '--json', mixed, '--ca', pki.file('root.pem')])).stdout);
    expect(json.cause).toBe('no-shared-cipher');
    expect(json.evidence[0]).toMatchObject({ line: 1 });
    expect(json.others.map((o: { cause: string }) => o.cause)).toContain('server-cert-expired');
    expect(json.certificates).toHaveLength(2);
  });

  it('a large log that merely starts with a certificate is streamed as a log', async () => {
    const big = join(pki.dir, 'big.log');
    const filler = `${'10.0.0.1 - - [22/Nov/2026:10:00:00 +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29"\n'.repeat(16_000)}`;
    writeFileSync(big, `${pki.read('server.pem')}${filler}${NGINX_NO_SHARED}\n`);
    const json = JSON.parse((await runCli(['diagnose', '--json', big])).stdout);
    expect(json.cause).toBe('no-shared-cipher');
    expect(json.certificates).toBeUndefined();
  });

  it('a log whose first chunk merely looks like a DER header is still diagnosed as a log', async () => {
    const odd = join(pki.dir, 'latin1.log');
    // Outer SEQUENCE of 280000 bytes: more than the first 256 KB chunk, less than the file.
    const header = Buffer.from([0x30, 0x83, 0x04, 0x45, 0xc0, 0x30, 0x82, 0x01, 0x00, 0xa0]);
    writeFileSync(odd, Buffer.concat([header, Buffer.from(`\n${`${NGINX_NO_SHARED}\n`.repeat(1500)}`)]));
    const r = await runCli(['diagnose', '--json', odd]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).cause).toBe('no-shared-cipher');
  });

  it('exits 2 on a file that starts like DER but is no certificate, and on an unreadable --ca', async () => {
    const fake = join(pki.dir, 'fake.der');
    writeFileSync(fake, Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00, 0x30, 0x82, 0x00, 0xfc, 0xa0]), Buffer.alloc(251)]));
    const r = await runCli(['diagnose', fake]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fake\.der starts like a DER certificate but cannot be read/);
    const ca = await runCli(['diagnose', pki.file('chain.pem'), '--ca', join(pki.dir, 'nope.pem')]);
    expect(ca.code).toBe(2);
    expect(ca.stderr).toMatch(/cannot read --ca .*nope\.pem: ENOENT/);
  });
});
