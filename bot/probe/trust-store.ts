// Trust anchors: Node's bundled roots + the system bundle (when present) + caller-supplied PEMs.
// Built once per distinct extra set and cached: parsing ~300 roots costs tens of ms.
import { readFileSync } from 'node:fs';
import { createHash, X509Certificate } from 'node:crypto';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';

const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** Splits PEM text into individual certificate blocks (non-certificate blocks are ignored). */
export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

let systemPems: string[] | undefined;
function systemBundle(): string[] {
  if (systemPems === undefined) {
    try {
      systemPems = splitPem(readFileSync(SYSTEM_BUNDLE, 'utf8'));
    } catch {
      systemPems = []; // no system bundle on this host: Node's roots alone
    }
  }
  return systemPems;
}

export interface TrustStore {
  /** Verifying context: min TLS 1.0 and SECLEVEL=0 so old servers still hand over their chain. */
  context: SecureContext;
  /** Anchors indexed by subject, parsed lazily (only the path check needs them). */
  anchorsBySubject(): Map<string, X509Certificate[]>;
}

/**
 * TLS 1.3 suites must be named explicitly: Node caps the context at TLS 1.2 when the cipher string
 * has no TLS_* names. !aNULL because an anonymous suite would hand over no certificate.
 */
export const LEGACY_CIPHERS =
  'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256:ALL:!aNULL:@SECLEVEL=0';

const cache = new Map<string, TrustStore>();

export function trustStore(extraCaPem: readonly string[] = []): TrustStore {
  const extras = extraCaPem.flatMap(splitPem);
  const key = createHash('sha256').update(extras.join('\n')).digest('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  const pems = [...new Set([...rootCertificates, ...systemBundle(), ...extras])];
  const base = { minVersion: 'TLSv1' as const, ciphers: LEGACY_CIPHERS };
  let anchors: Map<string, X509Certificate[]> | undefined;
  const store: TrustStore = {
    context: createSecureContext({ ...base, ca: pems }),
    anchorsBySubject() {
      if (!anchors) {
        anchors = new Map();
        for (const pem of pems) {
          try {
            const c = new X509Certificate(pem);
            const list = anchors.get(c.subject) ?? [];
            list.push(c);
            anchors.set(c.subject, list);
          } catch {
            // an unparsable bundle entry is skipped, not fatal
          }
        }
      }
      return anchors;
    },
  };
  if (cache.size > 16) cache.clear();
  cache.set(key, store);
  return store;
}
