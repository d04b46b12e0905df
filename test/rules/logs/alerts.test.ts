import { describe, expect, it } from 'vitest';
import { extractAlerts } from '../../../rules/logs/extract/alerts.js';

// Who sent an alert is read from the words around it; each line here is in the shape the software
// prints (Wireshark, s_client -msg, Erlang, BusyBox, axTLS from the public corpus; JSSE and OpenSSL
// as the fixtures generated here print them).
describe('alerts and their direction', () => {
  it.each([
    ['TLSv1.2 Record Layer: Alert (Level: Fatal, Description: Handshake Failure)', 'received', 'handshake_failure'],
    ['        Description: Unknown CA (48)', 'received', 'unknown_ca'],
    ['<<< TLS 1.2, Alert [length 0002], fatal unknown_ca', 'received', 'unknown_ca'],
    ['>>> TLS 1.3, Alert [length 0002], fatal certificate_required', 'sent', 'certificate_required'],
    ['javax.net.ssl.SSLHandshakeException: Received fatal alert:  certificate_unknown', 'received', 'certificate_unknown'],
    ['[error] SSL: :certify: ssl_handshake.erl:1401:Fatal error: unknown ca', 'sent', 'unknown_ca'],
    ['  {bad_certificate,"TLS server: In state cipher at ssl_handshake.erl:390 generated SERVER ALERT: Fatal - Bad ', 'sent', 'bad_certificate'],
    ['wget: TLS error from peer (alert code 40): handshake failure', 'received', 'handshake_failure'],
    ['Alert: handshake failure', 'received', 'handshake_failure'],
    ['SSL_accept returned=1 errno=0 state=error: ssl/tls alert certificate unknown', 'received', 'certificate_unknown'],
    ['event: CONNECTION_CLOSE frame in: error code 10, CRYPTO_ERROR (0x12a): tls: bad certificate', 'received', 'bad_certificate'],
    ['SSL routines:ssl3_read_bytes:reason(1120)', 'received', 'no_application_protocol'],
    ['error:0A000418:SSL routines::tlsv1 alert unknown ca:ssl/record/rec_layer_s3.c:1584:SSL alert number 48', 'received', 'unknown_ca'],
  ])('%s', (line, direction, name) => {
    expect(extractAlerts(line)).toContainEqual({ direction, name });
  });

  it("takes a Wireshark Description line only when its name is the number's", () => {
    expect(extractAlerts('        Description: Unknown CA (40)')).toEqual([]);
    expect(extractAlerts('    Description: Printer out of paper (48)')).toEqual([]);
  });
});
