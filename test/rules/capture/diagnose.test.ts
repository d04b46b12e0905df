import { describe, expect, it } from 'vitest';
import { createDiagnoser, type CaptureConnection, type CaptureObservation, type CaptureStep } from '../../../rules/index.js';

// What the rules make of connection steps no local tool produces on demand: the direction of a
// protocol mismatch and when it cannot be told, TLS 1.3's encrypted aborts, TCP that never got to
// TLS, and several kinds of failure in one capture.

const diagnoser = createDiagnoser();
type Side = 'client' | 'server';
type Body<K extends CaptureStep['kind']> = Omit<Extract<CaptureStep, { kind: K }>, 'packet' | 'from' | 'kind'>;

/** Steps numbered as frames in the order given. */
function steps(...list: [Side, CaptureStep['kind'], object?][]): CaptureStep[] {
  return list.map(([from, kind, extra], i) => ({ packet: i + 1, from, kind, ...extra }) as CaptureStep);
}
const hello = (versions: string[] | null, version = 'TLSv1.2'): Body<'client-hello'> => ({ format: 'tls', version, versions, suiteCount: 10, suites: [], sni: 'api.example' });
const serverHello = (version: string): Body<'server-hello'> => ({ version, suite: 'TLS_AES_128_GCM_SHA256', helloRetry: false });
const alert = (description: string): Body<'alert'> => ({ level: 'fatal', description, code: 0 });
const encrypted = (...sizes: number[]): Body<'encrypted'> => ({ records: sizes.length, bytes: sizes.reduce((a, b) => a + b, 0), sizes, alert: false });

function connection(list: CaptureStep[], server = '10.0.0.2:443'): CaptureConnection {
  return { client: '10.0.0.1:50000', server, firstPacket: 1, lastPacket: list.length, startedAt: null, sawSyn: true, incomplete: false, bytes: { client: 0, server: 0 }, steps: list, stepsOmitted: 0 };
}

function observation(...groups: [number, CaptureConnection][]): CaptureObservation {
  const connections = groups.reduce((n, [count]) => n + count, 0);
  return { name: 't.pcap', format: 'pcap', packets: 100, tcpPackets: 100, connections, groups: groups.map(([count, example]) => ({ count, example })), truncated: false, problems: [], firstAt: null, lastAt: null };
}

const diagnose = (...groups: [number, CaptureConnection][]) => diagnoser.diagnoseCapture(observation(...groups));
const rejected = (versions: string[] | null, version?: string): CaptureConnection => connection(steps(['client', 'syn'], ['server', 'syn-ack'], ['client', 'client-hello', hello(versions, version)], ['server', 'alert', alert('protocol_version')], ['server', 'fin']));

describe('protocol versions: the direction only when the capture shows it', () => {
  it('a supported_versions list without TLS 1.3, refused, and nothing else known: protocol-mismatch', async () => {
    const d = await diagnose([1, rejected(['TLSv1.2', 'TLSv1.1'])]);
    expect({ cause: d.cause, team: d.team }).toEqual({ cause: 'protocol-mismatch', team: 'both' });
  });

  it('the same hello, when another connection shows the server negotiating TLS 1.3: protocol-too-old', async () => {
    const ok = connection(steps(['client', 'client-hello', hello(['TLSv1.3', 'TLSv1.2'])], ['server', 'server-hello', serverHello('TLSv1.3')], ['server', 'encrypted', encrypted(600)], ['client', 'encrypted', encrypted(53)], ['server', 'encrypted', encrypted(250)]));
    const d = await diagnose([1, rejected(['TLSv1.2', 'TLSv1.1'])], [5, ok]);
    expect(d.cause).toBe('protocol-too-old');
    expect(d.connections).toMatchObject({ total: 6, completed: 5, failing: 1 });
  });

  it('a client refusing the version the server chose: protocol-too-new', async () => {
    const c = connection(steps(['client', 'client-hello', hello(null)], ['server', 'server-hello', serverHello('TLSv1')], ['client', 'alert', alert('protocol_version')]));
    const d = await diagnose([1, c]);
    expect(d.cause).toBe('protocol-too-new');
    expect(d.title).toBe('10.0.0.2:443 speaks no protocol 10.0.0.1:50000 offers (TLSv1.2)');
  });

  it('an SSLv3 client is legacy-ssl whatever the server answers', async () => {
    const d = await diagnose([1, rejected(null, 'SSLv3')]);
    expect({ cause: d.cause, team: d.team }).toEqual({ cause: 'legacy-ssl', team: 'security' });
  });
});

describe('TLS 1.3 aborts: the alert is encrypted, its size and place still tell who gave up', () => {
  const start: [Side, CaptureStep['kind'], object?][] = [['client', 'client-hello', hello(['TLSv1.3', 'TLSv1.2'])], ['server', 'server-hello', serverHello('TLSv1.3')], ['server', 'change-cipher-spec'], ['server', 'encrypted', encrypted(40, 700, 80, 53)]];

  it('the client answers the server flight with one alert-sized record and closes', async () => {
    const d = await diagnose([1, connection(steps(...start, ['client', 'change-cipher-spec'], ['client', 'encrypted', encrypted(19)], ['client', 'fin']))]);
    expect(d.cause).toBe('handshake-aborted');
    expect(d.title).toBe("10.0.0.1:50000 aborted the TLS 1.3 handshake with 10.0.0.2:443 after the server's encrypted flight");
    expect(d.ladder[0]?.steps.map((s) => s.line)).toContain('client -> server  encrypted record of 19 bytes (the size of an alert)');
  });

  it("the server answers the client's Finished with one alert-sized record and closes", async () => {
    const d = await diagnose([1, connection(steps(...start, ['client', 'encrypted', encrypted(53)], ['server', 'encrypted', encrypted(19)], ['server', 'fin']))]);
    expect(d.title).toBe("10.0.0.2:443 aborted the TLS 1.3 handshake after 10.0.0.1:50000's Finished");
  });

  it('session tickets after the Finished: healthy', async () => {
    const d = await diagnose([1, connection(steps(...start, ['client', 'encrypted', encrypted(53)], ['server', 'encrypted', encrypted(250, 250)], ['server', 'fin']))]);
    expect(d.cause).toBe('healthy');
  });
});

describe('client certificates in TLS 1.2', () => {
  it('a certificate sent and refused with unknown_ca: client-cert-untrusted', async () => {
    const c = connection(
      steps(['client', 'client-hello', hello(null)], ['server', 'server-hello', serverHello('TLSv1.2')], ['server', 'certificate-request', { authorities: ['CN=Partner CA'] }], ['server', 'handshake', { name: 'ServerHelloDone' }], ['client', 'certificate', { count: 1, chain: [{ subject: 'CN=batch', issuer: 'CN=Other CA' }] }], ['server', 'alert', alert('unknown_ca')]),
    );
    const d = await diagnose([1, c]);
    expect({ cause: d.cause, team: d.team }).toEqual({ cause: 'client-cert-untrusted', team: 'server' });
  });

  it('no Certificate message at all after a CertificateRequest: client-cert-missing, naming the CAs asked for', async () => {
    const c = connection(steps(['client', 'client-hello', hello(null)], ['server', 'server-hello', serverHello('TLSv1.2')], ['server', 'certificate-request', { authorities: ['CN=Partner CA'] }], ['client', 'handshake', { name: 'ClientKeyExchange' }], ['server', 'alert', alert('handshake_failure')]));
    const d = await diagnose([1, c]);
    expect(d.cause).toBe('client-cert-missing');
    expect(d.nextSteps[0]).toBe('Configure the client at 10.0.0.1:50000 with a certificate and key issued by one of: CN=Partner CA');
  });
});

describe('TCP before TLS', () => {
  it('a SYN answered by a reset: connection-refused; a SYN nobody answers: connection-timeout', async () => {
    expect((await diagnose([1, connection(steps(['client', 'syn'], ['server', 'rst']))])).cause).toBe('connection-refused');
    expect((await diagnose([1, connection(steps(['client', 'syn']))])).cause).toBe('connection-timeout');
  });

  it('plain HTTP answered by an HTTP 200 is not a failure', async () => {
    const c = connection(steps(['client', 'http-request', { text: 'GET / HTTP/1.1' }], ['server', 'plaintext', { text: 'HTTP/1.1 200 OK', echo: false, mentionsTls: false }]), '10.0.0.2:80');
    const d = await diagnose([1, c]);
    expect({ cause: d.cause, failing: d.connections.failing }).toEqual({ cause: 'unknown', failing: 0 });
  });
});

describe('several kinds of failure in one capture', () => {
  it('the most frequent failure leads; the others are listed with their counts', async () => {
    const noCipher = connection(steps(['client', 'client-hello', hello(null)], ['server', 'alert', alert('handshake_failure')]), '10.0.0.3:443');
    const reset = connection(steps(['client', 'client-hello', hello(null)], ['server', 'rst']), '10.0.0.4:443');
    const d = await diagnose([2, rejected(null, 'TLSv1')], [7, noCipher], [1, reset]);
    expect({ cause: d.cause, count: d.count }).toEqual({ cause: 'no-shared-cipher', count: 7 });
    expect(d.others.map((o) => [o.cause, o.count])).toEqual([['protocol-too-old', 2], ['handshake-aborted', 1]]);
    expect(d.ladder.map((l) => [l.cause, l.count, l.server])).toEqual([['no-shared-cipher', 7, '10.0.0.3:443'], ['protocol-too-old', 2, '10.0.0.2:443'], ['handshake-aborted', 1, '10.0.0.4:443']]);
    expect(d.connections.byCause).toEqual([{ cause: 'no-shared-cipher', count: 7 }, { cause: 'protocol-too-old', count: 2 }, { cause: 'handshake-aborted', count: 1 }]);
  });
});
