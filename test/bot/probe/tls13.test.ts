// The TLS 1.3 first flight decrypted: every suite, a HelloRetryRequest to a group not offered,
// CertificateRequest with and without certificate_authorities, against openssl s_server and a
// Node TLS server on 127.0.0.1. Certificates are compared byte for byte with the files served.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTls13Flight } from '../../../bot/probe/tls13/read-flight.js';
import { generatePki, type TestPki } from './helpers/certs.js';
import { probe } from './helpers/probe.js';
import { startNodeTlsServer, withServer, type Peer } from './helpers/servers.js';

let pki: TestPki;
beforeAll(() => {
  pki = generatePki();
});
afterAll(() => pki.cleanup());

const der = (file: string): Buffer => new X509Certificate(readFileSync(file)).raw;
const read = (port: number, extra: { groups?: number[] } = {}) => readTls13Flight({ address: '127.0.0.1', port, servername: 'localhost', timeoutMs: 5000, ...extra });

describe('each TLS 1.3 suite decrypts the Certificate message', () => {
  for (const [suite, code] of [['TLS_AES_128_GCM_SHA256', 0x1301], ['TLS_AES_256_GCM_SHA384', 0x1302], ['TLS_CHACHA20_POLY1305_SHA256', 0x1303], ['TLS_AES_128_CCM_SHA256', 0x1304], ['TLS_AES_128_CCM_8_SHA256', 0x1305]] as const) {
    describe(suite, () => {
      const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-tls1_3', '-ciphersuites', suite]);
      it('reads leaf and intermediate exactly as sent', async () => {
        const r = await read(srv.port());
        expect(r.outcome, r.detail).toBe('flight-read');
        expect(r.serverHello?.cipherSuite).toBe(code);
        expect(r.certificates).toEqual([der(pki.leafCert), der(pki.interFile)]);
        expect(r.certificateRequest).toBeUndefined();
      });
    });
  }
});

describe('HelloRetryRequest: the server wants P-384, the probe offered an X25519 share', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-tls1_3', '-groups', 'P-384']);
  it('answers with a P-384 share and decrypts the flight', async () => {
    const r = await read(srv.port());
    expect(r).toMatchObject({ outcome: 'flight-read', retryGroup: 24 });
    expect(r.serverHello?.keyShareGroup).toBe(24);
    expect(r.certificates).toEqual([der(pki.leafCert)]);
  });
  it('the whole probe reports the request as known (not null)', async () => {
    const report = await probe(srv.port());
    expect(report.clientAuth).toMatchObject({ requested: false, required: false });
    expect(report.certificate?.chainSource).toBe('tls13-certificate-message');
  });
});

describe('a group the probe cannot finish', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-tls1_3', '-groups', 'ffdhe2048']);
  it('is named, not mistaken for a flight', async () => {
    const r = await read(srv.port(), { groups: [29, 256] });
    expect(r.outcome).toBe('unsupported-choice');
    expect(r.detail).toMatch(/group 256/);
  });
});

describe('optional client certificate (-verify) over TLS 1.3 only', () => {
  const srv = withServer(() => ['-cert', pki.leafCert, '-key', pki.leafKey, '-tls1_3', '-verify', '1', '-CAfile', pki.clientCaFile]);
  it('reads the CertificateRequest and its CA; not required', async () => {
    const r = await probe(srv.port());
    expect(r.clientAuth).toMatchObject({ requested: true, required: false, acceptableCAs: [pki.clientCaDn], seenVia: 'tls13-certificate-request' });
    expect(r.clientAuth.note).toMatch(/Post-handshake client authentication/);
  });
});

describe('Node TLS server asking for a client certificate', () => {
  let peer: Peer | undefined;
  beforeAll(async () => {
    peer = await startNodeTlsServer(
      { key: readFileSync(pki.leafKey), cert: readFileSync(pki.leafCert, 'utf8') + readFileSync(pki.interFile, 'utf8'), requestCert: true, rejectUnauthorized: false, ca: readFileSync(pki.clientCaFile), minVersion: 'TLSv1.3' },
      '127.0.0.1',
    );
  });
  afterAll(async () => peer?.stop());
  it('reads its chain and its certificate_authorities', async () => {
    const r = await read(peer?.port ?? 0);
    expect(r.outcome).toBe('flight-read');
    expect(r.certificates).toEqual([der(pki.leafCert), der(pki.interFile)]);
    const report = await probe(peer?.port ?? 0, { extraCaPem: [pki.rootPem] });
    expect(report.clientAuth).toMatchObject({ requested: true, acceptableCAs: [pki.clientCaDn], seenVia: 'tls13-certificate-request' });
    expect(report.certificate).toMatchObject({ trusted: true, chainSource: 'tls13-certificate-message' });
  });
});

describe('a server that sends garbage after ServerHello', () => {
  let peer: Peer | undefined;
  beforeAll(async () => {
    const { createServer } = await import('node:net');
    const srv = createServer((s) => {
      s.on('error', () => undefined);
      s.once('data', () => s.end(Buffer.from([23, 3, 3, 0, 40, ...Buffer.alloc(40, 7)])));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    peer = { port: (srv.address() as { port: number }).port, stop: () => new Promise<void>((r) => srv.close(() => r())) };
  });
  afterAll(async () => peer?.stop());
  it('is reported as malformed, never thrown', async () => {
    const r = await read(peer?.port ?? 0);
    expect(r.outcome).toBe('malformed');
  });
});
