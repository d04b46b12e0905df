// The probe against nginx on 127.0.0.1: the chain as sent, and an optional client certificate
// whose CertificateRequest (CA list included) nginx sends encrypted over TLS 1.3.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePki, type TestPki } from './helpers/certs.js';
import { startNginx } from './helpers/nginx.js';
import { probe } from './helpers/probe.js';
import type { Peer } from './helpers/servers.js';

let pki: TestPki;
let plain: Peer;
let clientAuth: Peer;
beforeAll(async () => {
  pki = generatePki();
  const chain = join(pki.dir, 'nginx-chain.pem');
  writeFileSync(chain, readFileSync(pki.leafCert, 'utf8') + readFileSync(pki.interFile, 'utf8'));
  plain = await startNginx(pki.dir, { certChainFile: chain, keyFile: pki.leafKey });
  clientAuth = await startNginx(pki.dir, { certChainFile: chain, keyFile: pki.leafKey, extra: [`ssl_client_certificate ${pki.clientCaFile};`, 'ssl_verify_client optional;'] });
});
afterAll(async () => {
  await plain?.stop();
  await clientAuth?.stop();
  pki.cleanup();
});

describe('nginx', () => {
  it('healthy TLS 1.2 + 1.3: chain exactly as sent, no client certificate asked', async () => {
    const r = await probe(plain.port, { extraCaPem: [pki.rootPem] });
    expect(r.protocols.filter((p) => p.accepted).map((p) => p.protocol)).toEqual(['TLSv1.2', 'TLSv1.3']);
    expect(r.certificate).toMatchObject({ chainSource: 'tls13-certificate-message', trusted: true, chainComplete: true, chainShape: 'anchored' });
    expect(r.certificate?.chain.map((c) => c.subject)).toEqual(['CN=localhost', 'O=tls-triage tests, CN=Probe Test Intermediate']);
    expect(r.clientAuth).toMatchObject({ requested: false, required: false });
    expect(r.cipherChecks).toMatchObject({ weakSuites: [], modernClientAgrees: true });
  });

  it('ssl_verify_client optional: the TLS 1.3 CertificateRequest and its CA list, not required', async () => {
    const r = await probe(clientAuth.port, { extraCaPem: [pki.rootPem] });
    expect(r.clientAuth).toMatchObject({ requested: true, required: false, acceptableCAs: [pki.clientCaDn], seenVia: 'tls13-certificate-request' });
  });
});
