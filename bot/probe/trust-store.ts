// Trust anchors: Node's bundled roots + the system bundle (when present) + caller-supplied PEMs.
// Built once per distinct extra set and cached: parsing ~300 roots costs tens of ms.
import { readFileSync } from 'node:fs';
import { createHash, X509Certificate } from 'node:crypto';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { certificateParts } from './der.js';

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
  /**
   * Verifying context with every anchor: min TLS 1.0 and SECLEVEL=0 so old servers still hand over
   * their chain. Built on first use: parsing ~170 roots costs tens of milliseconds.
   */
  context(): SecureContext;
  /**
   * The same verification with only the anchors that can matter for this chain (those named as
   * subject or issuer of a certificate sent) plus every extra CA: what OpenSSL decides is the same,
   * and the context costs a few certificates to build instead of the whole store.
   */
  contextFor(sentDer: readonly Buffer[]): SecureContext;
  /**
   * Anchors whose subject is this DER-encoded name. Only the names are indexed up front (read from
   * the DER without parsing whole certificates); the few anchors asked for are parsed on demand.
   */
  anchorsNamed(nameDer: Buffer): X509Certificate[];
}

/**
 * TLS 1.3 suites must be named explicitly: Node caps the context at TLS 1.2 when the cipher string
 * has no TLS_* names. !aNULL because an anonymous suite would hand over no certificate.
 */
export const LEGACY_CIPHERS =
  'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256:ALL:!aNULL:@SECLEVEL=0';

const cache = new Map<string, TrustStore>();

/**
 * Names compare by their DER bytes: a TLV walk per anchor, where rendering ~170 names as text costs
 * more than parsing the certificates. (A CA that re-encodes its own name with another string type
 * is not matched here; OpenSSL's own verdict, when the handshake completes, still is.)
 */
function nameKey(nameDer: Buffer): string {
  return nameDer.toString('hex');
}

/** The base64 body of a PEM block, whitespace removed. */
function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
}

export function trustStore(extraCaPem: readonly string[] = []): TrustStore {
  const extras = extraCaPem.flatMap(splitPem);
  const key = createHash('sha256').update(extras.join('\n')).digest('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  // The system bundle mostly repeats Node's roots, wrapped differently: deduplicated by content,
  // which halves what the verifying context has to parse.
  const byContent = new Map<string, string>();
  for (const pem of [...rootCertificates, ...systemBundle(), ...extras]) byContent.set(pemBody(pem), pem);
  const pems = [...byContent.values()];
  const base = { minVersion: 'TLSv1' as const, ciphers: LEGACY_CIPHERS };
  let names: Map<string, string[]> | undefined;
  const pemsNamed = (nameDer: Buffer): string[] => {
    if (!names) {
      names = new Map();
      for (const pem of pems) {
        try {
          const key = nameKey(certificateParts(Buffer.from(pemBody(pem), 'base64')).subject);
          names.set(key, [...(names.get(key) ?? []), pem]);
        } catch {
          // an unreadable bundle entry is skipped, not fatal
        }
      }
    }
    return names.get(nameKey(nameDer)) ?? [];
  };
  const parsed = new Map<string, X509Certificate[]>();
  let full: SecureContext | undefined;
  const small = new Map<string, SecureContext>();
  const store: TrustStore = {
    context: () => (full ??= createSecureContext({ ...base, ca: pems })),
    contextFor(sentDer) {
      const relevant = new Set<string>(extras);
      for (const der of sentDer) {
        try {
          const parts = certificateParts(der);
          for (const pem of [...pemsNamed(parts.issuer), ...pemsNamed(parts.subject)]) relevant.add(pem);
        } catch {
          // an unreadable certificate brings no anchor
        }
      }
      const key = [...relevant].map(pemBody).sort().join('|');
      let context = small.get(key);
      if (!context) {
        // An explicit empty `ca` array installs no roots at all (unlike omitting it).
        context = createSecureContext({ ...base, ca: [...relevant] });
        if (small.size > 64) small.clear();
        small.set(key, context);
      }
      return context;
    },
    anchorsNamed(nameDer) {
      const key = nameKey(nameDer);
      let hit = parsed.get(key);
      if (!hit) {
        hit = pemsNamed(nameDer).flatMap((pem) => {
          try {
            return [new X509Certificate(pem)];
          } catch {
            return [];
          }
        });
        parsed.set(key, hit);
      }
      return hit;
    },
  };
  if (cache.size > 16) cache.clear();
  cache.set(key, store);
  return store;
}
