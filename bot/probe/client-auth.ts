// Client-certificate detection. TLS <= 1.2 sends CertificateRequest in clear; TLS 1.3 encrypts it,
// and the probe decrypts the server's first flight (tls13/) to read it and its
// certificate_authorities. Whether the certificate is required shows in the node:tls handshake
// that sends none: TLS <= 1.2 servers abort it, TLS 1.3 servers answer with certificate_required.
import type { NodeHandshakeResult } from './node-handshake.js';
import type { RawHandshakeResult } from './raw-handshake.js';
import type { ClientAuthReport } from './report-types.js';
import type { Tls13ReadResult } from './tls13/read-flight.js';
import { nameToString } from './der.js';

export function decodeDistinguishedName(der: Buffer): string {
  try {
    return nameToString(der);
  } catch {
    return `der:${der.toString('hex')}`; // undecodable: still report it, never drop it
  }
}

/** Post-handshake authentication is asked only of clients that offer it; the probe does not. */
const POST_HANDSHAKE_NOTE =
  'Post-handshake client authentication (a CertificateRequest after the handshake, which servers send only to clients offering post_handshake_auth, e.g. per URL path) was not seen: the probe does not offer it.';

function requiredVerdict(verifying: NodeHandshakeResult | null): boolean | null {
  if (verifying?.protocol === 'TLSv1.3' && /CERTIFICATE_REQUIRED/i.test(`${verifying.postHandshakeError ?? ''}`)) return true;
  // TLS <= 1.2: a server requiring a certificate aborts the node:tls handshake (we send none).
  if (verifying?.outcome === 'tls-error' || verifying?.outcome === 'reset' || verifying?.outcome === 'closed') return true;
  if (verifying?.outcome === 'handshake' && !verifying.postHandshakeError) return false;
  return null;
}

export function clientAuthReport(rawFull: RawHandshakeResult | null, tls13: Tls13ReadResult | null, verifying: NodeHandshakeResult | null): ClientAuthReport {
  const tls13Read = tls13?.outcome === 'flight-read';
  const tls13Request = tls13Read ? tls13.certificateRequest : undefined;
  const tls12Request = rawFull?.certificateRequest;
  const required = requiredVerdict(verifying);
  const tls13Note = tls13Read ? ` ${POST_HANDSHAKE_NOTE}` : '';
  if (tls13Request || tls12Request) {
    const [seenVia, authorities, where] = tls13Request
      ? (['tls13-certificate-request', tls13Request.authorities, 'TLS 1.3 (decrypted)'] as const)
      : (['tls12-certificate-request', tls12Request?.authorities ?? [], 'TLS <= 1.2'] as const);
    return {
      requested: true,
      required: required ?? null,
      acceptableCAs: authorities.map(decodeDistinguishedName),
      seenVia,
      note:
        (authorities.length > 0
          ? `CertificateRequest seen in the ${where} handshake; acceptable CAs listed.`
          : `CertificateRequest seen in the ${where} handshake with no CA list (any CA may be acceptable).`) + tls13Note,
    };
  }
  if (required === true && verifying?.protocol === 'TLSv1.3') {
    return {
      requested: true,
      required: true,
      acceptableCAs: [],
      seenVia: 'tls13-certificate-required-alert',
      note: 'The server aborted a TLS 1.3 handshake without client certificate with certificate_required; its CertificateRequest could not be decrypted, so no CA list.',
    };
  }
  if (tls13Read || rawFull?.serverHelloDone) {
    return {
      requested: false,
      required: false,
      acceptableCAs: [],
      seenVia: 'none',
      note: `No CertificateRequest in the ${tls13Read ? 'TLS 1.3 (decrypted)' : 'TLS <= 1.2'} handshake.${tls13Read ? tls13Note : ' Client authentication asked later through renegotiation is not visible.'}`,
    };
  }
  return { requested: null, required: null, acceptableCAs: [], seenVia: 'none', note: 'No handshake got far enough to tell.' };
}
