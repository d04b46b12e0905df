import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findClientProfile, loadClientProfiles } from '../../../bot/probe/client-profiles.js';
import { generatePki, type TestPki } from './helpers/certs.js';
import { javaTrustStore, REAL_CLIENTS } from './helpers/real-clients.js';
import { probeJson } from './helpers/run.js';
import { startSServer, type Peer } from './helpers/servers.js';
import { generateWeakCerts, type WeakCerts } from './helpers/weak-certs.js';

// probe --as CLIENT checked against the client itself: for each server (TLS 1.3 only, TLS 1.0 only,
// two modern suites only, an RSA-1024 key, DHE with a 1024-bit group only) every client installed
// here (OpenSSL 3, curl, Python requests, Java 17, Node 20) is run for real, and the emulation of
// its profile must say the same: would connect, or would not. The real clients verify the server
// with the test root trusted, so trust does not decide and key-size limits do. Go is not installed.

let pki: TestPki;
let weak: WeakCerts;
let trustStore: string;
const peers: Peer[] = [];
const profiles = loadClientProfiles();

beforeAll(() => {
  pki = generatePki();
  weak = generateWeakCerts(pki);
  trustStore = javaTrustStore(pki.dir, pki.rootFile);
}, 120_000);
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  pki.cleanup();
});

const SERVERS: Record<string, () => string[]> = {
  'TLS 1.3 only': () => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-tls1_3'],
  'TLS 1.0 only': () => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0'],
  'two ECDHE-RSA-AES-GCM suites, TLS 1.2': () => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-no_tls1_3', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384'],
  'an RSA-1024 key': () => ['-cert', weak.rsa1024LeafFile, '-key', weak.rsa1024Key, '-cert_chain', pki.interFile, '-cipher', 'DEFAULT:@SECLEVEL=0'],
  'DHE with a 1024-bit group only': () => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-no_tls1_3', '-cipher', 'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:@SECLEVEL=0', '-dhparam', weak.dh1024File],
};

describe.each(Object.keys(SERVERS))('a server with %s', (server) => {
  let port = 0;
  beforeAll(async () => {
    const peer = await startSServer([...(SERVERS[server] as () => string[])(), '-www']);
    peers.push(peer);
    port = peer.port;
  }, 30_000);

  it.each(Object.keys(REAL_CLIENTS))('--as %s says what the real client does', async (client) => {
    const [real, json] = await Promise.all([
      (REAL_CLIENTS[client] as (typeof REAL_CLIENTS)[string])(port, { rootFile: pki.rootFile, trustStore }),
      probeJson(`localhost:${port}`, { emulate: findClientProfile(profiles, client), extraCaPem: [pki.rootPem] }),
    ]);
    expect(json.emulated?.wouldConnect, `${client}: ${json.emulated?.reason}`).toBe(real);
    // With --as, the top-level diagnosis is that client's when it would not connect.
    if (!real) expect(json.cause).toBe(json.emulated?.cause);
  }, 90_000);
});
