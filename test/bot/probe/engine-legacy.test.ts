// Live loopback tests: legacy protocols (TLS 1.0/1.1 via s_server, SSLv3 via the test responder),
// non-TLS ports, closed ports and the deadline.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePki, type TestPki } from './helpers/certs.js';
import { closedPort, SSLV3_SUITES, startHttpServer, startSServer, startSslv3Responder, type Peer } from './helpers/servers.js';
import { accepted, probe, proto } from './helpers/probe.js';

let pki: TestPki;
beforeAll(() => {
  pki = generatePki();
});
afterAll(() => pki.cleanup());

function withPeer(start: () => Promise<Peer>): { port: () => number } {
  let peer: Peer | undefined;
  beforeAll(async () => {
    peer = await start();
  });
  afterAll(async () => peer?.stop());
  return { port: () => peer?.port ?? 0 };
}

describe('TLS 1.0 / 1.1 only', () => {
  const srv = withPeer(() => startSServer(['-cert', pki.leafCert, '-key', pki.leafKey, '-cert_chain', pki.interFile, '-no_tls1_2', '-no_tls1_3', '-cipher', 'DEFAULT:@SECLEVEL=0']));
  it('detects TLS 1.0 and 1.1 with the raw hellos, and still gets the certificate', async () => {
    const r = await probe(srv.port(), { extraCaPem: [pki.rootPem], ciphers: true });
    expect(accepted(r)).toEqual(['TLSv1', 'TLSv1.1']);
    expect(r.speaksTls).toMatchObject({ value: true, preferredVersion: 'TLSv1.1' });
    expect(proto(r, 'TLSv1')).toMatchObject({ outcome: 'server-hello', serverVersion: 'TLSv1' });
    expect(proto(r, 'TLSv1.1')).toMatchObject({ outcome: 'server-hello', serverVersion: 'TLSv1.1' });
    expect(proto(r, 'TLSv1.2')).toMatchObject({ accepted: false, serverVersion: 'TLSv1.1' });
    expect(proto(r, 'TLSv1.3').accepted).toBe(false);
    expect(r.certificate).toMatchObject({ trusted: true, chainComplete: true, negotiatedProtocol: 'TLSv1.1', verifySource: 'openssl' });
    const t10 = r.ciphers?.protocols.find((p) => p.protocol === 'TLSv1');
    expect(t10?.suites.map((s) => s.openssl)).toContain('ECDHE-RSA-AES128-SHA');
    expect(t10?.suites.some((s) => s.iana.includes('GCM'))).toBe(false);
  });
});

describe('SSLv3 (minimal test responder, not a TLS implementation)', () => {
  let leafDer: Buffer;
  const srv = withPeer(() => {
    leafDer = new X509Certificate(readFileSync(pki.selfSignedCert)).raw;
    return startSslv3Responder(leafDer);
  });
  it('accepts SSLv3 and enumerates the responder suites', async () => {
    const r = await probe(srv.port(), { ciphers: true });
    expect(proto(r, 'SSLv3')).toMatchObject({ accepted: true, outcome: 'server-hello', serverVersion: 'SSLv3' });
    expect(accepted(r)).toEqual(['SSLv3']);
    expect(r.speaksTls).toMatchObject({ value: true, preferredVersion: 'SSLv3' });
    const ss3 = r.ciphers?.protocols.find((p) => p.protocol === 'SSLv3');
    expect(ss3?.suites.map((s) => s.code).sort()).toEqual([...SSLV3_SUITES].sort());
    expect(ss3?.suites.map((s) => s.openssl).sort()).toEqual(['AES128-SHA', 'DES-CBC3-SHA', 'RC4-SHA']);
    // node:tls cannot speak SSLv3: the certificate comes from the raw Certificate message.
    expect(r.certificate).toMatchObject({ chainSource: 'tls-certificate-message', verifySource: 'path-check', selfSigned: true, verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(r.clientAuth).toMatchObject({ requested: false });
  });
});

describe('plain HTTP on the port', () => {
  const srv = withPeer(() => startHttpServer());
  it('says the port does not speak TLS and spots HTTP', async () => {
    const r = await probe(srv.port());
    expect(r.tcp.outcome).toBe('connected');
    expect(r.speaksTls).toMatchObject({ value: false, spoke: 'http', clientFailureCause: 'tls-on-plain-port' });
    expect(r.speaksTls.httpStatusLine).toMatch(/^HTTP\/1\.1 400/);
    expect(r.protocols.every((p) => !p.accepted && p.outcome === 'not-tls')).toBe(true);
    expect(r.certificate).toBeNull();
    expect(r.steps.find((s) => s.name === 'speaks-tls')?.outcome).toBe('http');
  });
});

describe('other plaintext protocol (banner first)', () => {
  const srv = withPeer(async () => {
    const sockets = new Set<Socket>();
    const s = createServer((c) => {
      sockets.add(c);
      c.on('error', () => undefined);
      c.write('SSH-2.0-OpenSSH_9.6\r\n');
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return { port: (s.address() as AddressInfo).port, stop: () => new Promise<void>((r) => { for (const c of sockets) c.destroy(); s.close(() => r()); }) };
  });
  it('reports plaintext with the banner', async () => {
    const r = await probe(srv.port());
    expect(r.speaksTls).toMatchObject({ value: false, spoke: 'plaintext', banner: 'SSH-2.0-OpenSSH_9.6', clientFailureCause: 'tls-on-plain-port' });
  });
});

describe('closed port', () => {
  it('reports tcp refused and nothing else', async () => {
    const r = await probe(await closedPort());
    expect(r.tcp.outcome).toBe('refused');
    expect(r.speaksTls).toMatchObject({ value: null, spoke: 'not-tested' });
    expect(r.protocols.every((p) => p.outcome === 'not-tested')).toBe(true);
    expect(r.steps).toEqual([{ name: 'tcp', outcome: 'refused', ms: expect.any(Number), detail: 'ECONNREFUSED' }]);
  });
});

describe('silent peer and the deadline', () => {
  const srv = withPeer(async () => {
    const sockets = new Set<Socket>();
    const s = createServer((c) => {
      sockets.add(c);
      c.on('error', () => undefined);
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return { port: (s.address() as AddressInfo).port, stop: () => new Promise<void>((r) => { for (const c of sockets) c.destroy(); s.close(() => r()); }) };
  });
  it('stops at the deadline', async () => {
    const t = Date.now();
    const r = await probe(srv.port(), { deadline: Date.now() + 400 });
    expect(Date.now() - t).toBeLessThan(700);
    expect(r.tcp.outcome).toBe('connected');
    expect(r.speaksTls).toMatchObject({ value: null, spoke: 'silent' });
    expect(r.deadlineHit).toBe(true);
  });
});
