import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../bot/capture/read-capture.js';
import { createDiagnoser } from '../../../rules/index.js';
import { writePcap } from './helpers/pcap-edit.js';
import { conversation, sslv2Hello } from './helpers/synth.js';

// Conversations no tool on the test machine produces any more, built frame by frame: an SSLv2-format
// ClientHello, nginx's HTTP 400 to plain HTTP on its TLS port, a banner server meeting a
// ClientHello, IPv6 endpoints, and a capture that starts after the handshake.

const diagnoser = createDiagnoser();

describe('hand-built conversations', () => {
  it('an SSLv2-format ClientHello offering SSLv2 only: legacy-ssl, with its cipher kinds counted', async () => {
    const c = conversation();
    c.syn();
    c.send('client', sslv2Hello(0x0002, [0x010080, 0x0700c0, 0x000035]));
    c.close('server', 'rst');
    const observation = readCapture(writePcap(c.records), 'sslv2.pcap');
    const hello = observation.groups[0]?.example.steps.find((s) => s.kind === 'client-hello');
    expect(hello).toMatchObject({ format: 'sslv2', version: 'SSLv2', suiteCount: 3, suites: ['SSL2_CIPHER_0x010080', 'SSL2_CIPHER_0x0700C0', 'TLS_RSA_WITH_AES_256_CBC_SHA'] });
    const d = await diagnoser.diagnoseCapture(observation);
    expect({ cause: d.cause, team: d.team }).toEqual({ cause: 'legacy-ssl', team: 'security' });
    expect(d.ladder[0]?.steps.map((s) => s.line)).toContain('client -> server  ClientHello (SSLv2 format) SSLv2 (max), 3 suites, no SNI');
  });

  it("nginx's 400 to plain HTTP on its TLS port: plain-http-on-tls-port", async () => {
    const c = conversation({ serverPort: 8443 });
    c.syn();
    c.send('client', Buffer.from('GET /health HTTP/1.1\r\nHost: api\r\n\r\n'));
    c.send('server', Buffer.from('HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n\r\n<html><center>The plain HTTP request was sent to HTTPS port</center></html>'));
    c.close('server', 'fin');
    const d = await diagnoser.diagnoseCapture(readCapture(writePcap(c.records), 'nginx.pcap'));
    expect(d.cause).toBe('plain-http-on-tls-port');
    expect(d.ladder[0]?.steps.map((s) => s.line)).toEqual([
      'client -> server  [SYN]',
      'server -> client  [SYN, ACK]',
      'client -> server  plain HTTP: "GET /health HTTP/1.1"',
      'server -> client  not TLS: "HTTP/1.1 400 Bad Request"',
      'server -> client  [FIN] closes its side',
    ]);
  });

  it('an SMTP banner where a TLS server was expected, over IPv6: tls-on-plain-port', async () => {
    const c = conversation({ v6: true, serverPort: 25 });
    c.syn();
    c.send('client', sslv2Hello(0x0301, [0x00002f]));
    c.send('server', Buffer.from('500 5.5.1 Command unrecognized\r\n'));
    c.close('server', 'fin');
    const d = await diagnoser.diagnoseCapture(readCapture(writePcap(c.records), 'smtp.pcap'));
    expect({ cause: d.cause, client: d.ladder[0]?.client, server: d.ladder[0]?.server }).toEqual({ cause: 'tls-on-plain-port', client: '[2001:db8::1]:50000', server: '[2001:db8::2]:25' });
    expect(d.title).toBe('[2001:db8::1]:50000 started TLS on [2001:db8::2]:25, which does not speak TLS');
    expect(d.explanation).toContain('("500 5.5.1 Command unrecognized")');
  });

  it('a capture that starts after the handshake reads nothing into the encrypted bytes', async () => {
    const c = conversation();
    c.syn();
    c.send('client', Buffer.from('17030300200000000000000000000000000000000000000000000000000000000000', 'hex'));
    const midstream = c.records.slice(3);
    const observation = readCapture(writePcap(midstream), 'late.pcap');
    expect(observation.groups[0]?.example).toMatchObject({ sawSyn: false, client: '192.0.2.1:50000', server: '192.0.2.2:443' });
    const d = await diagnoser.diagnoseCapture(observation);
    expect({ cause: d.cause, failing: d.connections.failing, tls: d.connections.tls }).toEqual({ cause: 'unknown', failing: 0, tls: 0 });
  });
});
