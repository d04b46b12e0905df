import { describe, expect, it } from 'vitest';
import { createDiagnoser } from '../../../rules/index.js';

// Toolkits that word TLS failures above their library (rules/catalog/toolkits-and-engines.json).
// Each line is verbatim from the public thread named beside it; none of these threads is in the
// public corpus the rules were tuned on.
const diagnoser = createDiagnoser();

describe('toolkit and engine vocabulary', () => {
  it.each([
    // https://github.com/haskell-tls/hs-tls/issues/63
    ['tls-simpleclient: HandshakeFailed (Error_Protocol ("certificate has unknown CA",True,UnknownCa))', 'server-cert-untrusted'],
    // https://github.com/depressed-pho/HsOpenSSL/issues/56
    ['TlsExceptionHostPort (HandshakeFailed (Error_Protocol ("certificate has unknown CA",True,UnknownCa))) "hostname" port', 'server-cert-untrusted'],
    // https://github.com/Gabriella439/Haskell-Pipes-HTTP-Library/issues/4
    ['*** Exception: TlsException (HandshakeFailed (Error_Protocol ("certificate rejected: [NameMismatch \\"www.example.com\\"]",True,CertificateUnknown)))', 'server-cert-hostname-mismatch'],
    // https://github.com/WalletConnect/WalletConnectUnity/issues/31
    ['12-31 00:47:22.774 4228-4254/? E/Unity: Curl error 60: Cert verify failed: UNITYTLS_X509VERIFY_FLAG_EXPIRED', 'server-cert-expired'],
  ])('%s', async (text, cause) => {
    const d = await diagnoser.diagnoseText(text);
    expect(d.cause).toBe(cause);
    expect(d.team).toBe(cause === 'server-cert-untrusted' ? 'client' : 'server');
  });

  it('reads the Haskell EOF as a closed handshake, not a certificate verdict', async () => {
    // https://github.com/haskell-tls/hs-tls/issues/140 (title)
    const d = await diagnoser.diagnoseText('HandshakeFailed Error_EOF');
    expect(d.cause).toBe('handshake-aborted');
  });

  it("takes a Unity app's own certificate handler saying no as a verify failure on the client", async () => {
    // https://github.com/needle-tools/needle-engine-support/issues/114 (title)
    const d = await diagnoser.diagnoseText('Curl error 60: Cert verify failed: UNITYTLS_X509VERIFY_FLAG_USER_ERROR1');
    expect(['server-cert-untrusted', 'handshake-aborted']).toContain(d.cause);
    expect(d.team).not.toBe('server');
  });
});
