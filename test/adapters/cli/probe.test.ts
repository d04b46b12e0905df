import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { generatePki, type TestPki } from '../../bot/probe/helpers/certs.js';
import { closedPort, startHttpServer, startSServer, type Peer } from '../../bot/probe/helpers/servers.js';

// `tls-triage probe` as a process against real peers on 127.0.0.1: the policy, the exit codes and
// the JSON contract (../shared/spec/json-output.md) field by field.
let pki: TestPki;
const peers: Peer[] = [];
beforeAll(() => {
  pki = generatePki();
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  // The PKI holds private keys: nothing of it stays in the temp folder.
  pki.cleanup();
});

describe('tls-triage probe', () => {
  it('refuses loopback by default, naming the rule, exit 3 (and connects to nothing)', async () => {
    const r = await runCli(['probe', '127.0.0.1:1', '--json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/loopback/);
    expect(r.stdout).toBe('');
    const mapped = await runCli(['probe', '[::ffff:7f00:1]:443']);
    expect(mapped.code).toBe(3);
    const metadata = await runCli(['probe', '169.254.169.254:80', '--allow', '127.0.0.1']);
    expect(metadata.code).toBe(3);
    expect(metadata.stderr).toMatch(/metadata/);
  });

  it('refuses an IPv6 zone id by the policy, exit 3 (not a usage error), whatever the allow entries', async () => {
    const r = await runCli(['probe', '[::1%lo]:1', '--allow', '::1']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/\[::1%lo\]:1 carries the IPv6 zone id "%lo"/);
  });

  it('exit 2 for a target that does not parse', async () => {
    const r = await runCli(['probe', 'host:70000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/70000/);
  });

  it('healthy modern endpoint: the JSON contract with the probe fields', async () => {
    const peer = await startSServer(['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-www']);
    peers.push(peer);
    const r = await runCli(['probe', `localhost:${peer.port}`, '--json', '--ca', pki.rootFile, '--allow', '127.0.0.1', '--allow', '::1']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.cause).toBe('healthy');
    expect(json.team).toBe('none');
    expect(json.target).toBe(`localhost:${peer.port}`);
    expect(json.addresses.length).toBeGreaterThan(0);
    expect(json.reachable).toBe(true);
    expect(json.speaksTls).toBe(true);
    expect(json.protocols).toEqual({ SSLv3: false, TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true });
    expect(json.certificate).toMatchObject({ expired: false, notYetValid: false, selfSigned: false, hostnameMatches: true, chainComplete: true, trusted: true });
    expect(json.certificate.daysLeft).toBeGreaterThan(30);
    expect(json.clientCertRequested).toBe(false);
    expect(json.findings[0].cause).toBe('healthy');
    expect(json.steps.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['dns', 'tcp', 'protocols', 'certificate']));
    for (const key of ['title', 'explanation', 'vantage', 'redHerringPresent', 'redHerringOnly', 'evidence', 'nextSteps', 'warnings', 'others', 'durationMs']) expect(json).toHaveProperty(key);
  });

  it('expired leaf without its intermediate: the primary cause first, every finding listed', async () => {
    const peer = await startSServer(['-cert', pki.expiredCert, '-key', pki.leafKey, '-www']);
    peers.push(peer);
    const r = await runCli(['probe', `localhost:${peer.port}`, '--json', '--ca', pki.rootFile, '--allow', '127.0.0.1', '--allow', '::1']);
    const json = JSON.parse(r.stdout);
    expect(json.cause).toBe('server-cert-expired');
    expect(json.team).toBe('server');
    expect(json.findings.map((f: { cause: string }) => f.cause)).toEqual(['server-cert-expired', 'server-chain-incomplete']);
    expect(json.certificate.expired).toBe(true);
    expect(json.certificate.daysLeft).toBeLessThan(0);
  });

  it('plain HTTP port: tls-on-plain-port, closed port: connection-refused', async () => {
    const http = await startHttpServer();
    peers.push(http);
    const plain = JSON.parse((await runCli(['probe', `127.0.0.1:${http.port}`, '--json', '--allow', '127.0.0.1'])).stdout);
    expect(plain).toMatchObject({ cause: 'tls-on-plain-port', team: 'client', reachable: true, speaksTls: false, certificate: null });
    const port = await closedPort();
    const closed = JSON.parse((await runCli(['probe', `127.0.0.1:${port}`, '--json', '--allow', '127.0.0.1'])).stdout);
    expect(closed).toMatchObject({ cause: 'connection-refused', team: 'network', reachable: false });
  });

  it('legacy-only server: protocol-too-new for modern clients, plus the legacy warning; readable text ends with the cause', async () => {
    const peer = await startSServer(['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0', '-www']);
    peers.push(peer);
    const json = JSON.parse((await runCli(['probe', `localhost:${peer.port}`, '--json', '--ca', pki.rootFile, '--allow', '127.0.0.1', '--allow', '::1'])).stdout);
    expect(json.cause).toBe('protocol-too-new');
    expect(json.protocols.TLSv1).toBe(true);
    expect(json.warnings.map((w: { id: string }) => w.id)).toContain('legacy-protocol-enabled');
    const text = await runCli(['probe', `localhost:${peer.port}`, '--ca', pki.rootFile, '--allow', '127.0.0.1', '--allow', '::1']);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('cause: protocol-too-new');
  });
});
