// Client-certificate detection. TLS <= 1.2 sends CertificateRequest in clear (with the acceptable
// CA names); TLS 1.3 encrypts it, so only its consequence is visible: a server that requires a
// certificate aborts with certificate_required after our empty Certificate.
import type { NodeHandshakeResult } from './node-handshake.js';
import type { RawHandshakeResult } from './raw-handshake.js';
import type { ClientAuthReport } from './report-types.js';
import { nameToString } from './der.js';

export function decodeDistinguishedName(der: Buffer): string {
  try {
    return nameToString(der);
  } catch {
    return `der:${der.toString('hex')}`; // undecodable: still report it, never drop it
  }
}

const TLS13_NOTE =
  'TLS 1.3 encrypts CertificateRequest: a required certificate shows up as a certificate_required alert after the handshake, optional client authentication and the CA list are invisible unless the server also speaks TLS 1.2.';

export function clientAuthReport(rawFull: RawHandshakeResult | null, verifying: NodeHandshakeResult | null): ClientAuthReport {
  const tls13Required =
    verifying?.protocol === 'TLSv1.3' && /CERTIFICATE_REQUIRED/i.test(`${verifying.postHandshakeError ?? ''}`);
  // TLS <= 1.2: a server requiring a certificate aborts the node:tls handshake (we send none).
  const tls12Aborted = verifying?.outcome === 'tls-error' || verifying?.outcome === 'reset' || verifying?.outcome === 'closed';
  const verifyingOk = verifying?.outcome === 'handshake' && !verifying.postHandshakeError;
  const request = rawFull?.certificateRequest;
  if (request) {
    return {
      requested: true,
      required: tls13Required || tls12Aborted ? true : verifyingOk ? false : null,
      acceptableCAs: request.authorities.map(decodeDistinguishedName),
      seenVia: 'tls12-certificate-request',
      note:
        request.authorities.length > 0
          ? 'CertificateRequest seen in the TLS <= 1.2 handshake; acceptable CAs listed.'
          : 'CertificateRequest seen in the TLS <= 1.2 handshake with an empty CA list (any CA may be acceptable).',
    };
  }
  if (tls13Required) {
    return {
      requested: true,
      required: true,
      acceptableCAs: [],
      seenVia: 'tls13-certificate-required-alert',
      note: `The server aborted a TLS 1.3 handshake without client certificate with certificate_required. ${TLS13_NOTE}`,
    };
  }
  if (rawFull?.serverHelloDone) {
    return {
      requested: false,
      required: false,
      acceptableCAs: [],
      seenVia: 'none',
      note: 'No CertificateRequest in the TLS <= 1.2 handshake (per-path client authentication via renegotiation or post-handshake auth is not visible).',
    };
  }
  if (verifying?.protocol === 'TLSv1.3' && verifyingOk) {
    return {
      requested: null,
      required: false,
      acceptableCAs: [],
      seenVia: 'none',
      note: `TLS 1.3 handshake without client certificate accepted. ${TLS13_NOTE}`,
    };
  }
  return { requested: null, required: null, acceptableCAs: [], seenVia: 'none', note: 'No handshake got far enough to tell.' };
}
