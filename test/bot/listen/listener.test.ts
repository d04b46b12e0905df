import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { MAX_KEPT, runListener, type ListenerOptions, type ListenRun } from '../../../bot/listen/listener.js';
import { connectionJson } from '../../../bot/listen/listen-json.js';
import { listenObservation } from '../../../bot/listen/observe.js';
import { createListenDiagnoser } from '../../../rules/listen/diagnoser.js';
import { generatePki, type TestPki } from '../probe/helpers/certs.js';
import { rawClient, sClient } from './helpers.js';

// The listener against real clients on 127.0.0.1: openssl s_client with chosen versions, suites,
// SNI, ALPN, groups, signature algorithms and a client certificate.

let pki: TestPki;
let clientCert: string;
let clientKey: string;

beforeAll(() => {
  pki = generatePki();
  const run = (args: string[]): void => void execFileSync('openssl', args, { cwd: pki.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/O=tls-triage tests/CN=payments-client']);
  run(['x509', '-req', '-in', 'client.csr', '-CA', 'clientca.pem', '-CAkey', 'clientca.key', '-CAcreateserial', '-days', '30', '-out', 'client.pem']);
  clientCert = join(pki.dir, 'client.pem');
  clientKey = join(pki.dir, 'client.key');
}, 60_000);
afterAll(() => pki?.cleanup());

/** Starts a listener on a free loopback port, runs `clients` against it, returns the run. */
async function listenWhile(options: Partial<ListenerOptions>, clients: (port: number) => Promise<unknown>): Promise<ListenRun> {
  let port = 0;
  let ready: () => void = () => undefined;
  const up = new Promise<void>((resolve) => (ready = resolve));
  const abort = new AbortController();
  const running = runListener({ host: '127.0.0.1', port: 0, seconds: 60, requestCert: false, versions: ['TLSv1.2', 'TLSv1.3'], signal: abort.signal, ...options, onListening: (w) => ((port = w.port), ready()) });
  await up;
  await clients(port);
  abort.abort();
  return running;
}

const diagnose = async (run: ListenRun) => (await createListenDiagnoser()).diagnoseListen(listenObservation(run));

describe('tls-triage listen against openssl s_client', () => {
  it('reads exactly the versions, suites, SNI, ALPN, groups and signature algorithms the client chose', async () => {
    const run = await listenWhile({}, (port) =>
      sClient(port, ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA', '-servername', 'api.payments.test', '-alpn', 'h2,http/1.1', '-curves', 'P-256:X25519', '-sigalgs', 'RSA-PSS+SHA256:ECDSA+SHA256']),
    );
    expect(run.connections).toHaveLength(1);
    const c = connectionJson(run.connections[0]!);
    expect(c.sni).toBe('api.payments.test');
    expect(c.alpn).toEqual(['h2', 'http/1.1']);
    expect(c.offered?.versions).toEqual(['TLSv1.2']);
    expect(c.offered?.ciphers.map((s) => s.iana)).toEqual(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_256_CBC_SHA', 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV']);
    expect(c.offered?.ciphers.map((s) => s.openssl)).toEqual(['ECDHE-RSA-AES128-GCM-SHA256', 'AES256-SHA', null]);
    expect(c.offered?.groups).toEqual(['secp256r1', 'x25519']);
    expect(c.offered?.sigalgs).toEqual(['rsa_pss_rsae_sha256', 'ecdsa_secp256r1_sha256']);
    // s_client does not verify by default: the handshake completes, on the suite it preferred.
    expect(c.outcome).toBe('handshake-completed');
    expect(c.negotiated).toEqual({ protocol: 'TLSv1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' });
    expect((await diagnose(run)).cause).toBe('healthy');
  }, 30_000);

  it('a client offering only TLS 1.0 is protocol-too-old for a TLS 1.2/1.3 profile, client team', async () => {
    const run = await listenWhile({}, async (port) => {
      await sClient(port, ['-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0']);
      await sClient(port, ['-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0']);
    });
    expect(run.connections.map((c) => [c.hello?.versions, c.outcome])).toEqual([[['TLSv1'], 'no-shared-version'], [['TLSv1'], 'no-shared-version']]);
    const d = await diagnose(run);
    expect([d.cause, d.team, d.count]).toEqual(['protocol-too-old', 'client', 2]);
    expect(d.title).toBe('127.0.0.1 offers TLSv1 at most; the listener (like the server it stands in for) accepts TLSv1.2 to TLSv1.3');
    expect(run.summary.clients).toHaveLength(1);
    expect(run.summary.clients[0]).toMatchObject({ connections: 2, highestVersion: 'TLSv1' });
  }, 30_000);

  it('the same client against a listener that accepts TLS 1.0 connects, with a legacy-protocol warning', async () => {
    const run = await listenWhile({ versions: ['TLSv1', 'TLSv1.2'] }, (port) => sClient(port, ['-tls1', '-cipher', 'DEFAULT:@SECLEVEL=0']));
    expect(run.connections[0]?.negotiated?.protocol).toBe('TLSv1');
    const d = await diagnose(run);
    expect(d.cause).toBe('healthy');
    expect(d.warnings.map((w) => w.id)).toContain('legacy-protocol-enabled');
  }, 30_000);

  it('a TLS 1.3-only client against a TLS 1.2 profile is protocol-too-new, server team', async () => {
    const run = await listenWhile({ versions: ['TLSv1.2'] }, (port) => sClient(port, ['-tls1_3']));
    expect(run.connections[0]?.hello?.versions).toEqual(['TLSv1.3']);
    const d = await diagnose(run);
    expect([d.cause, d.team]).toEqual(['protocol-too-new', 'server']);
  }, 30_000);

  it('reports the client certificate presented with --request-cert, and the client that presented none', async () => {
    const run = await listenWhile({ requestCert: true }, async (port) => {
      await sClient(port, ['-cert', clientCert, '-key', clientKey, '-servername', 'mtls.test']);
      await sClient(port, ['-servername', 'mtls.test']);
    });
    const [withCert, without] = run.connections.map(connectionJson);
    expect(withCert?.clientCertificate).toMatchObject({ subject: 'O=tls-triage tests, CN=payments-client', issuer: 'O=tls-triage tests, CN=Probe Client CA', expired: false });
    expect(without?.clientCertificate).toBeNull();
    expect(run.summary.clientCertificates).toEqual([{ subject: 'O=tls-triage tests, CN=payments-client', issuer: 'O=tls-triage tests, CN=Probe Client CA', count: 1 }]);
    const d = await diagnose(run);
    expect([d.cause, d.team, d.count]).toEqual(['client-cert-missing', 'client', 1]);
  }, 30_000);

  it('a client that refuses the throw-away certificate is expected: never server-cert-untrusted', async () => {
    const run = await listenWhile({}, (port) => sClient(port, ['-verify_return_error', '-servername', 'strict.test']));
    expect(run.connections[0]).toMatchObject({ outcome: 'client-rejected-certificate' });
    const d = await diagnose(run);
    expect(d.cause).toBe('healthy');
    expect(d.explanation).toContain("refused the listener's throw-away certificate");
  }, 30_000);

  it('with a certificate given (--cert/--key), a client refusing it is server-cert-untrusted, client team', async () => {
    const certificate = { certPem: readFileSync(pki.leafCert, 'utf8') + readFileSync(pki.interFile, 'utf8'), keyPem: readFileSync(pki.leafKey, 'utf8'), subject: 'CN=localhost' };
    const run = await listenWhile({ certificate }, async (port) => {
      await sClient(port, ['-verify_return_error', '-servername', 'localhost']);
      await sClient(port, ['-verify_return_error', '-servername', 'localhost', '-CAfile', pki.rootFile]);
    });
    expect(run.connections.map((c) => c.outcome)).toEqual(['client-rejected-certificate', 'handshake-completed']);
    const d = await diagnose(run);
    expect([d.cause, d.team, d.count]).toEqual(['server-cert-untrusted', 'client', 1]);
  }, 30_000);

  it('plain HTTP gets an HTTP answer and is plain-http-on-tls-port; garbage and silence do not crash it', async () => {
    let answer = '';
    const run = await listenWhile({ connectionTimeoutMs: 400 }, async (port) => {
      answer = (await rawClient(port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n')).toString();
      await rawClient(port, Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x02, 0xff, 0xff, 0xff, 0xff]));
      await rawClient(port, '', 700);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(run.connections.map((c) => [c.outcome, c.detail])).toEqual([
      ['plain-http', 'GET /health'],
      ['malformed', 'first handshake message is type 2, not ClientHello'],
      ['tcp-only', undefined],
    ]);
    const d = await diagnose(run);
    expect([d.cause, d.team]).toEqual(['plain-http-on-tls-port', 'client']);
  }, 30_000);

  it('stops after --count connections', async () => {
    let port = 0;
    const run = runListener({ host: '127.0.0.1', port: 0, seconds: 60, count: 2, requestCert: false, versions: ['TLSv1.2', 'TLSv1.3'], onListening: (w) => void (port = w.port) });
    await new Promise((r) => setTimeout(r, 300));
    await sClient(port, ['-servername', 'one.test']);
    await sClient(port, ['-servername', 'two.test']);
    const done = await run;
    expect(done.stoppedBy).toBe('count');
    expect(done.summary.connections).toBe(2);
  }, 30_000);

  it('keeps at most MAX_KEPT connections in memory and counts every one', async () => {
    const total = MAX_KEPT + 15;
    const run = await listenWhile({ connectionTimeoutMs: 2000 }, async (port) => {
      for (let i = 0; i < total; i += 25) {
        await Promise.all(
          Array.from({ length: Math.min(25, total - i) }, () => new Promise<void>((resolve) => {
            const s = connect({ host: '127.0.0.1', port }, () => s.end());
            s.on('close', () => resolve());
            s.on('error', () => resolve());
          })),
        );
      }
    });
    expect(run.summary.connections).toBe(total);
    expect(run.connections).toHaveLength(MAX_KEPT);
    expect(run.summary.clients).toEqual([expect.objectContaining({ client: '127.0.0.1', connections: total, outcomes: { 'tcp-only': total } })]);
  }, 60_000);
});
