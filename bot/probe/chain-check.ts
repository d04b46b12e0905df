// Structural checks of the chain the server sent: is it complete (every certificate the leaf needs
// up to a trust anchor or a self-signed root is present), and — when OpenSSL's own verdict is not
// available (TLS <= 1.2 servers that abort the handshake for want of a client certificate) — an
// approximation of the OpenSSL verification error using the same trust store.
import { X509Certificate } from 'node:crypto';
import { isSelfSigned } from './cert-describe.js';
import type { TrustStore } from './trust-store.js';

export interface ChainCheck {
  /** True when the path from the leaf reaches a trust anchor or a self-signed certificate. */
  complete: boolean;
  /** Number of sent certificates on the leaf's path (leaf included). */
  pathLength: number;
  /** Anchor found in the trust store, if any. */
  anchoredInStore: boolean;
  /** OpenSSL-style error code this path would get, or null when it would verify. */
  verifyError: string | null;
}

/** True when `issuer` names and signed `subject` (the name match alone proves nothing). */
export function issues(issuer: X509Certificate, subject: X509Certificate): boolean {
  try {
    return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Follows issuers from `start` among `pool`, in any order (servers and files do shuffle them). */
export function followIssuers(start: X509Certificate, pool: readonly X509Certificate[]): X509Certificate[] {
  const path: X509Certificate[] = [start];
  let tip = start;
  while (!isSelfSigned(tip) && path.length <= pool.length) {
    const next = pool.find((c) => !path.includes(c) && issues(c, tip));
    if (!next) break;
    path.push(next);
    tip = next;
  }
  return path;
}

/** This very certificate (same fingerprint) is a trust anchor. */
export function inStore(c: X509Certificate, store: TrustStore): boolean {
  return (store.anchorsBySubject().get(c.subject) ?? []).some((a) => a.fingerprint256 === c.fingerprint256);
}

/** The trust anchor that issued `tip`, if the store holds one. */
export function storeIssuerOf(tip: X509Certificate, store: TrustStore): X509Certificate | undefined {
  return (store.anchorsBySubject().get(tip.issuer) ?? []).find((a) => issues(a, tip));
}

export function checkChain(sentDer: readonly Buffer[], store: TrustStore, now: Date): ChainCheck | null {
  const sent = sentDer.map((d) => new X509Certificate(d));
  const leaf = sent[0];
  if (!leaf) return null;
  const path = followIssuers(leaf, sent);
  const tip = path[path.length - 1] as X509Certificate;
  const tipSelfSigned = isSelfSigned(tip);
  const anchor = tipSelfSigned ? undefined : storeIssuerOf(tip, store);
  const anchoredInStore = anchor !== undefined || path.some((c) => inStore(c, store));
  const complete = tipSelfSigned || anchor !== undefined;

  let verifyError: string | null = null;
  if (!anchoredInStore) {
    if (tipSelfSigned) verifyError = path.length === 1 ? 'DEPTH_ZERO_SELF_SIGNED_CERT' : 'SELF_SIGNED_CERT_IN_CHAIN';
    else verifyError = path.length === 1 ? 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' : 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY';
  } else {
    const t = now.getTime();
    for (const c of anchor ? [...path, anchor] : path) {
      if (Date.parse(c.validTo) < t) {
        verifyError = 'CERT_HAS_EXPIRED';
        break;
      }
      if (Date.parse(c.validFrom) > t) {
        verifyError = 'CERT_NOT_YET_VALID';
        break;
      }
    }
  }
  return { complete, pathLength: path.length, anchoredInStore, verifyError };
}
