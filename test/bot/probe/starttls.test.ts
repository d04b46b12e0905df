import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTarget } from '../../../bot/probe/target.js';
import { generatePki, type TestPki } from './helpers/certs.js';
import { probeJson, probeTarget } from './helpers/run.js';
import type { Peer } from './helpers/servers.js';
import { startStartTlsServer, type TextProtocol } from './helpers/starttls-servers.js';

// STARTTLS probes against small servers on 127.0.0.1 that speak SMTP, IMAP, POP3 and FTP in clear
// and then TLS with node:tls: the same versions, chain and rules as an HTTPS probe, "starttls" in
// the JSON, a refusal said in the server's words, and a plain probe that names the protocol.

let pki: TestPki;
const peers: Peer[] = [];
let tls: { cert: string; key: string };
beforeAll(() => {
  pki = generatePki();
  tls = { cert: readFileSync(pki.leafCert, 'utf8') + readFileSync(pki.interFile, 'utf8'), key: readFileSync(pki.leafKey, 'utf8') };
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  pki.cleanup();
});

async function server(protocol: TextProtocol, offer = true, minVersion?: 'TLSv1.3'): Promise<number> {
  const peer = await startStartTlsServer(protocol, { ...tls, ...(minVersion ? { minVersion } : {}) }, offer);
  peers.push(peer);
  return peer.port;
}

describe.each(['smtp', 'imap', 'pop3', 'ftp'] as const)('%s://', (protocol) => {
  it('probes the TLS behind the upgrade like an HTTPS endpoint: versions, chain, verdict', async () => {
    const port = await server(protocol);
    const json = await probeJson(`${protocol}://127.0.0.1:${port}`, { extraCaPem: [pki.rootPem], servername: 'localhost' });
    expect(json.starttls).toBe(protocol);
    expect(json.speaksTls).toBe(true);
    expect(json.protocols).toMatchObject({ 'TLSv1.2': true, 'TLSv1.3': true, TLSv1: false });
    expect(json.certificate).toMatchObject({ subject: 'CN=localhost', chainComplete: true, trusted: true, hostnameMatches: true });
    expect(json.cause).toBe('healthy');
    expect(json.steps.find((s) => s.name === 'starttls')).toMatchObject({ outcome: 'ok' });
  }, 30_000);

  it('without the private root, the same chain is server-cert-untrusted, client team (the HTTPS rules)', async () => {
    const port = await server(protocol);
    const json = await probeJson(`${protocol}://127.0.0.1:${port}`, { servername: 'localhost' });
    expect([json.cause, json.team]).toEqual(['server-cert-untrusted', 'client']);
  }, 30_000);

  it('a server that does not offer TLS: tls-on-plain-port for the server team, in its own words', async () => {
    const port = await server(protocol, false);
    const json = await probeJson(`${protocol}://127.0.0.1:${port}`);
    expect(json.speaksTls).toBe(false);
    expect(json.certificate).toBeNull();
    expect(json.starttlsError?.reason).toBe('not-offered');
    expect([json.cause, json.team]).toEqual(['tls-on-plain-port', 'server']);
    expect(json.title).toContain('does not offer TLS');
  }, 30_000);

  it('a plain probe of the port names the protocol and the scheme to use, not a TLS verdict', async () => {
    const port = await server(protocol);
    const json = await probeJson(`127.0.0.1:${port}`);
    expect(json.service).toMatchObject({ protocol, suggestedTarget: `${protocol}://127.0.0.1:${port}` });
    expect(json.certificate).toBeNull();
    expect([json.cause, json.team]).toEqual(['tls-on-plain-port', 'client']);
    expect(json.title).toContain(`probe ${protocol}://127.0.0.1:${port}`);
    expect(json.findings.map((f) => f.cause)).toEqual(['tls-on-plain-port']);
  }, 30_000);
});

describe('STARTTLS options and limits', () => {
  it('--starttls PROTO on a bare host:port is the same as the scheme', async () => {
    const port = await server('smtp');
    const json = await probeJson(`127.0.0.1:${port}`, { starttls: 'smtp', extraCaPem: [pki.rootPem], servername: 'localhost' });
    expect([json.starttls, json.cause]).toEqual(['smtp', 'healthy']);
    const clash = await probeTarget(`https://127.0.0.1:${port}`, { starttls: 'smtp' });
    expect(clash.ok === false && clash.message).toMatch(/--starttls smtp does not go with a https:\/\/ target/);
  }, 30_000);

  it('a TLS 1.3-only server behind STARTTLS shows only TLS 1.3, and --ciphers enumerates through the upgrade', async () => {
    const port = await server('imap', true, 'TLSv1.3');
    const json = await probeJson(`imap://127.0.0.1:${port}`, { extraCaPem: [pki.rootPem], servername: 'localhost', ciphers: true });
    expect(json.protocols).toMatchObject({ 'TLSv1.2': false, 'TLSv1.3': true });
    expect(json.ciphers?.['TLSv1.3']?.map((s) => s.iana)).toEqual(expect.arrayContaining(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384']));
  }, 60_000);

  it('every STARTTLS target goes through the probe policy: loopback refused without an allow entry', async () => {
    const run = await probeTarget('smtp://127.0.0.1:25', {}, []);
    expect(run.ok).toBe(false);
    expect(run.ok === false && run.kind).toBe('refused');
  });

  it('each scheme has its default port, and implicit-TLS schemes are plain TLS probes', () => {
    for (const [scheme, port, starttls] of [['smtp', 25, 'smtp'], ['submission', 587, 'smtp'], ['imap', 143, 'imap'], ['pop3', 110, 'pop3'], ['ftp', 21, 'ftp'], ['ldap', 389, 'ldap'], ['postgres', 5432, 'postgres'], ['postgresql', 5432, 'postgres'], ['mysql', 3306, 'mysql'], ['smtps', 465, undefined], ['imaps', 993, undefined], ['pop3s', 995, undefined], ['ldaps', 636, undefined], ['https', 443, undefined]] as const) {
      const parsed = parseTarget(`${scheme}://mail.example.test`);
      expect(parsed.ok && [parsed.target.port, parsed.target.starttls], scheme).toEqual([port, starttls]);
    }
    // Slack wraps what it turns into a link: <smtp://h:25|smtp://h:25> is the same target.
    const wrapped = parseTarget('<smtp://mail.example.test:2525|smtp://mail.example.test:2525>');
    expect(wrapped.ok && [wrapped.target.port, wrapped.target.starttls]).toEqual([2525, 'smtp']);
  });
});
