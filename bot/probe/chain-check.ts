// Structural checks of the chain the server sent: is it complete (every certificate the leaf needs
// up to a trust anchor or a self-signed root is present), and — when OpenSSL's own verdict is not
// available (TLS <= 1.2 servers that abort the handshake for want of a client certificate) — an
// approximation of the OpenSSL verification error using the same trust store.
import { X509Certificate } from 'node:crypto';
import { isSelfSigned } from './cert-describe.js';
import { certificateParts } from './der.js';
import type { TrustStore } from './trust-store.js';

/**
 * What the sent chain looks like against the trust store; it decides between "the server does not
 * send its intermediates" (server team) and "the client does not trust this CA" (client team).
 */
export type ChainShape =
  /** The path reaches a trust anchor. */
  | 'anchored'
  | 'self-signed-leaf'
  /** The server sends CA certificates that link up to a self-signed root the store does not hold. */
  | 'untrusted-root-sent'
  /** The server sends CA certificates that link up, but the issuer of the last is unknown: a private CA's root. */
  | 'links-to-unknown-root'
  /** Only the leaf is usable and its issuer's name is nowhere in the store. */
  | 'leaf-alone-unknown-issuer'
  /** Only the leaf is usable and the store knows a CA of its issuer's name, but it did not sign this leaf. */
  | 'leaf-alone-issuer-name-known';

export interface ChainCheck {
  /** False only when the leaf comes alone and its issuer is unknown: a missing intermediate, or a private CA. */
  complete: boolean;
  shape: ChainShape;
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
  return store.anchorsNamed(certificateParts(c.raw).subject).some((a) => a.fingerprint256 === c.fingerprint256);
}

/** The trust anchor that issued `tip`, if the store holds one. */
export function storeIssuerOf(tip: X509Certificate, store: TrustStore): X509Certificate | undefined {
  return store.anchorsNamed(certificateParts(tip.raw).issuer).find((a) => issues(a, tip));
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
  const shape: ChainShape = anchoredInStore
    ? 'anchored'
    : tipSelfSigned
      ? path.length === 1 ? 'self-signed-leaf' : 'untrusted-root-sent'
      : path.length > 1
        ? 'links-to-unknown-root'
        : store.anchorsNamed(certificateParts(tip.raw).issuer).length > 0 ? 'leaf-alone-issuer-name-known' : 'leaf-alone-unknown-issuer';
  // A server that sends CA certificates which link up sends its chain; what is missing is trust.
  const complete = tipSelfSigned || anchor !== undefined || path.length > 1 || anchoredInStore;

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
  return { complete, shape, pathLength: path.length, anchoredInStore, verifyError };
}
