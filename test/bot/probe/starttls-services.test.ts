import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePki, type TestPki } from './helpers/certs.js';
import { probeJson } from './helpers/run.js';
import type { Peer } from './helpers/servers.js';
import { startMariadb, startPostgres, startSlapd } from './helpers/services.js';

// The upgrades of real servers on 127.0.0.1: OpenLDAP slapd (StartTLS extended operation),
// PostgreSQL (SSLRequest) and MariaDB (the SSL capability of its handshake), each with TLS set up
// and without; and a plain probe of their ports, which must name them (PostgreSQL and LDAP drop a
// ClientHello in silence, MariaDB greets first).

let pki: TestPki;
let dir: string;
const peers: Peer[] = [];
const tls = () => ({ cert: pki.leafCert, key: pki.leafKey });
beforeAll(() => {
  pki = generatePki();
  dir = mkdtempSync(join(tmpdir(), 'starttls-services-'));
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
  pki.cleanup();
});

async function up(start: Promise<Peer>): Promise<number> {
  const peer = await start;
  peers.push(peer);
  return peer.port;
}

describe.each([
  ['ldap', 'slapd', startSlapd],
  ['postgres', 'PostgreSQL', startPostgres],
  ['mysql', 'MariaDB', startMariadb],
] as const)('%s:// against %s', (scheme, _name, start) => {
  it('with TLS set up: the certificate and versions behind the upgrade, the HTTPS verdicts', async () => {
    const port = await up(start(dir, tls()));
    const json = await probeJson(`${scheme}://127.0.0.1:${port}`, { servername: 'localhost' });
    expect(json.starttls).toBe(scheme);
    expect(json.speaksTls).toBe(true);
    expect(json.protocols['TLSv1.2']).toBe(true);
    expect(json.certificate?.subject).toBe('CN=localhost');
    // The leaf alone, issuer unknown to the probe: the same reading as for an HTTPS server.
    expect(json.cause).toBe('server-chain-incomplete');
    const plain = await probeJson(`127.0.0.1:${port}`);
    expect(plain.service).toMatchObject({ protocol: scheme, suggestedTarget: `${scheme}://127.0.0.1:${port}` });
    expect([plain.cause, plain.team, plain.certificate]).toEqual(['tls-on-plain-port', 'client', null]);
  }, 120_000);

  it('without TLS: the refusal in the server\'s words, server team', async () => {
    const port = await up(start(dir));
    const json = await probeJson(`${scheme}://127.0.0.1:${port}`);
    expect(json.starttlsError?.reason).toBe('not-offered');
    expect([json.cause, json.team]).toEqual(['tls-on-plain-port', 'server']);
  }, 120_000);
});
