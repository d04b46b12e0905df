// The chain check of a certificate file, the way `openssl verify -untrusted FILE` sees it: find
// the certificate the file is about (the one that issued none of the others), follow its issuers
// through the file in any order, then through the trust store the probe uses (Node's roots, the
// system bundle, the configured CAs). Path building and anchors are the probe's (chain-check.ts).
import { X509Certificate } from 'node:crypto';
import type { ChainFacts } from '../../rules/index.js';
import { isSelfSigned, toArrayBuffer } from '../probe/cert-describe.js';
import { followIssuers, inStore, issues, storeIssuerOf } from '../probe/chain-check.js';
import type { TrustStore } from '../probe/trust-store.js';
import { x509 } from '../probe/x509.js';

export function checkFileChain(ders: readonly Buffer[], store: TrustStore, now: Date): ChainFacts {
  const certs = ders.map((d) => new X509Certificate(d));
  const positionOf = (c: X509Certificate): number => certs.indexOf(c) + 1;
  const leaf = pickLeaf(certs);
  const path = followIssuers(leaf, certs);
  const tip = path[path.length - 1] as X509Certificate;
  // The first certificate on the path that is itself an anchor ends it, as in OpenSSL.
  const anchoredAt = path.findIndex((c) => inStore(c, store));
  const trustedPath = anchoredAt === -1 ? path : path.slice(0, anchoredAt + 1);
  const storeIssuer = anchoredAt === -1 && !isSelfSigned(tip) ? storeIssuerOf(tip, store) : undefined;
  const anchor = anchoredAt !== -1 ? path[anchoredAt] : storeIssuer;
  const complete = anchor !== undefined || isSelfSigned(tip);
  return {
    leaf: positionOf(leaf),
    path: path.map(positionOf),
    orderOk: path.every((c, i) => certs.indexOf(c) === i),
    complete,
    missing: complete ? [] : [nameOf(tip, 'issuer')],
    anchor: anchor ? nameOf(anchor, 'subject') : null,
    ...verdict(anchor === undefined ? undefined : storeIssuer ? [...trustedPath, storeIssuer] : trustedPath, path, now),
    unrelated: certs.filter((c) => !path.includes(c)).map(positionOf),
  };
}

/**
 * The certificate a file is about: one that issued none of the others, preferring a non-CA (a
 * chain file's leaf) to a CA (a bundle of CA certificates has no leaf). Input order breaks ties.
 */
function pickLeaf(certs: readonly X509Certificate[]): X509Certificate {
  const issuesAnother = (c: X509Certificate): boolean => certs.some((other) => other !== c && issues(c, other));
  const candidates = certs.filter((c) => !issuesAnother(c));
  return candidates.find((c) => !c.ca) ?? candidates[0] ?? (certs[0] as X509Certificate);
}

/**
 * OpenSSL's first verify error: path building errors first (no anchor), then validity periods
 * from the anchor down to the leaf, as internal_verify checks them.
 */
function verdict(anchored: readonly X509Certificate[] | undefined, path: readonly X509Certificate[], now: Date): Pick<ChainFacts, 'trusted' | 'verifyError'> {
  if (!anchored) {
    const tip = path[path.length - 1] as X509Certificate;
    const error = isSelfSigned(tip) ? (path.length === 1 ? 'DEPTH_ZERO_SELF_SIGNED_CERT' : 'SELF_SIGNED_CERT_IN_CHAIN') : 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY';
    return { trusted: false, verifyError: error };
  }
  const t = now.getTime();
  for (const c of [...anchored].reverse()) {
    if (Date.parse(c.validFrom) > t) return { trusted: false, verifyError: 'CERT_NOT_YET_VALID' };
    if (Date.parse(c.validTo) < t) return { trusted: false, verifyError: 'CERT_HAS_EXPIRED' };
  }
  return { trusted: true, verifyError: null };
}

/** RFC 4514-style names as the rest of the report writes them ("O=Example, CN=Example CA"). */
function nameOf(c: X509Certificate, which: 'subject' | 'issuer'): string {
  try {
    const pec = new x509.X509Certificate(toArrayBuffer(c.raw));
    return which === 'subject' ? pec.subject : pec.issuer;
  } catch {
    return (which === 'subject' ? c.subject : c.issuer).replace(/\n/g, ', ');
  }
}
