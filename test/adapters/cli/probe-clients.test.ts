import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { generatePki, type TestPki } from '../../bot/probe/helpers/certs.js';
import { startSServer, type Peer } from '../../bot/probe/helpers/servers.js';
import { startStartTlsServer } from '../../bot/probe/helpers/starttls-servers.js';

// `tls-triage probe --as CLIENT`, `--list-clients`, `--starttls` and profile files in `rules check`,
// as processes against real peers on 127.0.0.1.

let pki: TestPki;
let dir: string;
const peers: Peer[] = [];
beforeAll(() => {
  pki = generatePki();
  dir = mkdtempSync(join(tmpdir(), 'probe-clients-'));
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
  pki.cleanup();
});

const allow = ['--allow', '127.0.0.1', '--allow', '::1'];

describe('tls-triage probe, clients and STARTTLS', () => {
  it('--list-clients names every profile with its version and source; --json one line each', async () => {
    const text = await runCli(['probe', '--list-clients']);
    expect(text.code).toBe(0);
    for (const id of ['java-8', 'java-11', 'java-17', 'openssl-1.0.2', 'openssl-3', 'python-requests', 'curl', 'go', 'dotnet-schannel-2012r2', 'android-7', 'datapower']) expect(text.stdout).toMatch(new RegExp(`^${id.replace(/\./g, '\\.')} `, 'm'));
    const json = await runCli(['probe', '--list-clients', '--json']);
    const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.find((l) => l.client === 'datapower')?.source).toMatchObject({ kind: 'documentation', url: expect.stringMatching(/^https:\/\/www\.ibm\.com\//) });
  });

  it('--as: the client would not connect to a TLS 1.3-only server, and that leads the JSON', async () => {
    const peer = await startSServer(['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-tls1_3']);
    peers.push(peer);
    const r = await runCli(['probe', `localhost:${peer.port}`, '--json', '--ca', pki.rootFile, '--as', 'java-8', ...allow]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.emulated).toMatchObject({ client: 'java-8', wouldConnect: false, cause: 'protocol-too-old', reason: 'it offers TLSv1 to TLSv1.2 and the server accepts TLSv1.3' });
    expect([json.cause, json.team]).toEqual(['protocol-too-old', 'client']);
    const modern = await runCli(['probe', `localhost:${peer.port}`, '--json', '--ca', pki.rootFile, '--as', 'openssl-3', ...allow]);
    expect(JSON.parse(modern.stdout)).toMatchObject({ cause: 'healthy', emulated: { wouldConnect: true, cause: 'healthy' } });
    const unknown = await runCli(['probe', `localhost:${peer.port}`, '--as', 'netscape-4', ...allow]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown client "netscape-4"; known clients: java-8/);
  }, 60_000);

  it('--starttls and smtp:// give "starttls" in the JSON; a wrong protocol name is bad usage', async () => {
    const peer = await startStartTlsServer('smtp', { cert: readFileSync(pki.leafCert, 'utf8'), key: readFileSync(pki.leafKey, 'utf8') });
    peers.push(peer);
    const r = await runCli(['probe', `127.0.0.1:${peer.port}`, '--starttls', 'smtp', '--json', ...allow]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ starttls: 'smtp', speaksTls: true, protocols: { 'TLSv1.3': true } });
    const plain = await runCli(['probe', `127.0.0.1:${peer.port}`, ...allow]);
    expect(plain.stdout).toContain(`the port speaks smtp (220 mail.starttls.test ESMTP tls-triage-test): its TLS is probed with smtp://127.0.0.1:${peer.port}`);
    expect(plain.stdout).toMatch(/cause: tls-on-plain-port$/m);
    const bad = await runCli(['probe', `127.0.0.1:${peer.port}`, '--starttls', 'xmpp', ...allow]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--starttls is one of smtp, imap, pop3, ftp, ldap, postgres, mysql, not "xmpp"/);
  }, 60_000);

  it('rules check validates client-profile files beside the rule files', async () => {
    writeFileSync(join(dir, 'acme.json'), JSON.stringify({ clientProfiles: [{ id: 'acme', name: 'ACME', version: 'ACME 1', source: { kind: 'capture', detail: 'listen' }, versions: ['TLSv1.2'], suites: ['AES128-SHA'], extensions: [] }] }));
    const ok = await runCli(['rules', 'check', dir]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/ok: 1 client profile file\(s\), 13 client profiles in all/);
    writeFileSync(join(dir, 'acme.json'), JSON.stringify({ clientProfiles: [{ id: 'acme', name: 'ACME', version: 'ACME 1', source: { kind: 'capture', detail: 'listen' }, versions: ['TLSv1.2'], suites: ['AES128-SHA1'], extensions: [] }] }));
    const bad = await runCli(['rules', 'check', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('clientProfiles[0].suites[0]: unknown cipher suite "AES128-SHA1"');
  }, 60_000);
});
