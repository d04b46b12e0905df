import { describe, expect, it } from 'vitest';
import { parseDataPowerHeader } from '../../../rules/logs/extract/datapower.js';
import { createDiagnoser } from '../../../rules/index.js';

// Other software also brackets its level; only DataPower's header may make a line DataPower's, or the
// DataPower readings (the SSLv3 'wrong version number', the back-side steps) leak onto Envoy or Windows text.
describe("DataPower's log header and look-alikes", () => {
  it.each([
    '20180815T125545.977Z [apiconnect][0x8120002f][ssl][error] ssl-sni-server(name): tid(17856)[192.168.99.1]: text',
    'Wed Apr 07 2010 08:36:09 [mpgw][error] mpgw(test): tid(2899): text',
    '[0x8120002f][ssl][error] ssl-server ... : text',
    '[crypto][error] SSL library error',
    '0x81200026 SSL handshake certificate validation error',
  ])('DataPower: %s', (line) => {
    expect(parseDataPowerHeader(line)).toBeDefined();
  });

  it.each([
    // Envoy (https://github.com/datawire/ambassador issue paste in libraries.jsonl)
    '[2020-09-01 17:59:25.483][20][debug][connection] [source/extensions/transport_sockets/tls/ssl_socket.cc:225] [C2] TLS error',
    '[http-nio-8443-exec-1][ERROR] handshake failed',
    'schannel: next InitializeSecurityContext failed: SEC_E_UNTRUSTED_ROOT 0x80090325 - The certificate chain was issued by an authority that is not trusted.',
  ])('not DataPower: %s', (line) => {
    expect(parseDataPowerHeader(line)).toBeUndefined();
  });

  it("an Envoy log is named Envoy's, not DataPower's", async () => {
    const d = await createDiagnoser().diagnoseText(
      '[2020-09-01 17:59:25.483][20][debug][connection] [source/extensions/transport_sockets/tls/ssl_socket.cc:225] [C2] TLS error: 268436496:SSL routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE',
    );
    expect(d.stacks).not.toContain('datapower');
  });
});
