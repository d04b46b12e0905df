import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findClientProfile, loadClientProfiles } from '../../../bot/probe/client-profiles.js';
import { readProfileFiles } from '../../../bot/rules-files.js';
import { generatePki, type TestPki } from './helpers/certs.js';
import { probeJson } from './helpers/run.js';
import { startSServer, type Peer } from './helpers/servers.js';
import { startStartTlsServer } from './helpers/starttls-servers.js';

// probe --as against servers that turn a client away for one reason each, on 127.0.0.1: a curve it
// lacks, a DH group too large for it, a key type its suites cannot use (an ops team's own profile),
// a retry for a group it did not send a share for, and the same verdicts behind STARTTLS.

let pki: TestPki;
let dir: string;
const peers: Peer[] = [];
const profiles = loadClientProfiles();
beforeAll(() => {
  pki = generatePki();
  dir = mkdtempSync(join(tmpdir(), 'emulate-'));
  const run = (args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ec.key', '-out', 'ec.pem', '-days', '30', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost']);
  run(['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe4096', '-out', 'dh4096.pem']);
}, 60_000);
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
  pki.cleanup();
});

async function server(args: string[]): Promise<number> {
  const peer = await startSServer(args);
  peers.push(peer);
  return peer.port;
}
const leaf = () => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile];
const as = (id: string) => ({ emulate: findClientProfile(profiles, id), extraCaPem: [pki.rootPem] });

describe('probe --as', () => {
  it('Android 7 offers P-256 only: a P-384-only ECDHE server is no-shared-cipher for both teams, found by swapping its groups', async () => {
    const port = await server([...leaf(), '-no_tls1_3', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256', '-groups', 'secp384r1']);
    const json = await probeJson(`localhost:${port}`, as('android-7'));
    expect(json.emulated).toMatchObject({ client: 'android-7', wouldConnect: false, cause: 'no-shared-cipher' });
    expect(json.emulated?.reason).toContain('none of its key exchange groups (secp256r1)');
    expect([json.cause, json.team]).toEqual(['no-shared-cipher', 'both']);
    // The probe's own modern client agrees with the server: without --as there is nothing to fix.
    expect((await probeJson(`localhost:${port}`, { extraCaPem: [pki.rootPem] })).cause).toBe('healthy');
  }, 60_000);

  it('Java 8 handles DH groups up to 2048 bits: a 4096-bit DHE-only server turns it away', async () => {
    const port = await server([...leaf(), '-no_tls1_3', '-cipher', 'DHE-RSA-AES128-SHA256:DHE-RSA-AES128-GCM-SHA256', '-dhparam', join(dir, 'dh4096.pem')]);
    const json = await probeJson(`localhost:${port}`, as('java-8'));
    expect(json.emulated).toMatchObject({ wouldConnect: false, cause: 'no-shared-cipher' });
    expect(json.emulated?.reason).toBe("the server's DHE group has 4096 bits and it handles at most 2048");
    expect(json.emulated?.negotiated).toMatchObject({ protocol: 'TLSv1.2', cipher: { iana: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256' } });
  }, 60_000);

  it("an ops team's RSA-only client profile against an ECDSA certificate: the suites, and why", async () => {
    const rules = mkdtempSync(join(dir, 'rules-'));
    writeFileSync(join(rules, 'legacy-app.json'), JSON.stringify({ clientProfiles: [{ id: 'legacy-app', name: 'Legacy app', version: 'legacy-app 1.0 (Java 7 JSSE)', source: { kind: 'capture', detail: 'tls-triage listen, test network' }, versions: ['TLSv1.2'], suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA'], groups: ['secp256r1'], signatureAlgorithms: ['rsa_pkcs1_sha256', 'ecdsa_secp256r1_sha256'], extensions: ['server_name', 'supported_groups', 'ec_point_formats', 'signature_algorithms'] }] }));
    const port = await server(['-cert', join(dir, 'ec.pem'), '-key', join(dir, 'ec.key'), '-no_tls1_3']);
    const client = findClientProfile(loadClientProfiles(readProfileFiles([rules])), 'legacy-app');
    const json = await probeJson(`localhost:${port}`, { emulate: client });
    expect(json.emulated).toMatchObject({ client: 'legacy-app', wouldConnect: false, cause: 'no-shared-cipher' });
    expect(json.emulated?.reason).toContain("the server's certificate has an EC key and the client offers RSA-authenticated suites only");
  }, 60_000);

  it('a HelloRetryRequest for a group it offered without a key share is followed, as the client does', async () => {
    const port = await server([...leaf(), '-tls1_3', '-groups', 'secp384r1']);
    const json = await probeJson(`localhost:${port}`, as('java-17'));
    expect(json.emulated).toMatchObject({ wouldConnect: true, cause: 'healthy', negotiated: { protocol: 'TLSv1.3', group: 'secp384r1', signatureScheme: 'rsa_pss_rsae_sha256', serverKey: { type: 'rsa', bits: 2048 } } });
    expect(json.cause).toBe('healthy');
    expect(json.title).toMatch(/^Java 17 \(OpenJDK 17\.0\.15\) would connect to localhost:\d+: it negotiates TLSv1\.3/);
  }, 60_000);

  it('works behind STARTTLS: .NET on 2012 R2 against an SMTP server with TLS 1.3 only', async () => {
    const peer = await startStartTlsServer('smtp', { cert: readFileSync(pki.leafCert, 'utf8') + readFileSync(pki.interFile, 'utf8'), key: readFileSync(pki.leafKey, 'utf8'), minVersion: 'TLSv1.3' });
    peers.push(peer);
    const json = await probeJson(`smtp://localhost:${peer.port}`, as('dotnet-schannel-2012r2'));
    expect(json.starttls).toBe('smtp');
    expect(json.emulated).toMatchObject({ wouldConnect: false, cause: 'protocol-too-old', reason: 'it offers TLSv1 to TLSv1.2 and the server accepts TLSv1.3' });
    expect([json.cause, json.team]).toEqual(['protocol-too-old', 'client']);
  }, 60_000);
});
