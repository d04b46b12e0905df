// The certificate cases every transport (in-process check, CLI, bot incident) must diagnose the
// same way. Files are those of generateCertPki; expectations are cause ids and warning ids from
// docs/causes.md, plus the chain facts that make the case what it is.
import type { ChainFacts } from '../../../../rules/index.js';

export interface CertCase {
  readonly id: string;
  /** The input, as a user gives it. */
  readonly file: string;
  /** Binary input (DER certificate or DER PKCS#7): uploaded as a file, not pasted. */
  readonly binary?: boolean;
  /** PEM of the certificate the input is about, for `openssl x509` / `openssl verify`. */
  readonly leaf: string;
  /** PEM of the whole input, for `openssl verify -untrusted`. */
  readonly untrusted: string;
  /** Trust anchor file given as a configured CA (none: only the system store). */
  readonly ca?: string;
  readonly role?: 'client' | 'server';
  readonly cause: string;
  readonly team: string;
  readonly warnings: readonly string[];
  readonly others?: readonly string[];
  readonly format?: string;
  readonly chain?: Partial<ChainFacts>;
  readonly leafDetails?: Record<string, unknown>;
}

const INTERMEDIATE = 'O=tls-triage tests, CN=Cert Test Intermediate';

export const CERT_CASES: readonly CertCase[] = [
  { id: 'a good chain', file: 'chain.pem', leaf: 'server.pem', untrusted: 'chain.pem', ca: 'root.pem', cause: 'healthy', team: 'none', warnings: [], chain: { path: [1, 2], orderOk: true, trusted: true, anchor: 'O=tls-triage tests, CN=Cert Test Root' } },
  { id: 'an expired server leaf', file: 'expired-server-chain.pem', leaf: 'expired-server.pem', untrusted: 'expired-server-chain.pem', ca: 'root.pem', cause: 'server-cert-expired', team: 'server', warnings: [], chain: { verifyError: 'CERT_HAS_EXPIRED' }, leafDetails: { expired: true, extKeyUsage: ['serverAuth'] } },
  { id: 'an expired client certificate (EKU clientAuth)', file: 'expired-client-chain.pem', leaf: 'expired-client.pem', untrusted: 'expired-client-chain.pem', ca: 'root.pem', cause: 'client-cert-expired', team: 'client', warnings: [], chain: { verifyError: 'CERT_HAS_EXPIRED' }, leafDetails: { extKeyUsage: ['clientAuth'] } },
  { id: 'a server leaf not yet valid', file: 'future-server.pem', leaf: 'future-server.pem', untrusted: 'future-server.pem', ca: 'root.pem', cause: 'server-cert-expired', team: 'server', warnings: [], others: ['server-chain-incomplete'], leafDetails: { notYetValid: true } },
  { id: 'leaf + root without the intermediate', file: 'leaf-and-root.pem', leaf: 'server.pem', untrusted: 'leaf-and-root.pem', cause: 'server-chain-incomplete', team: 'server', warnings: [], chain: { path: [1], missing: [INTERMEDIATE], unrelated: [2], complete: false } },
  { id: 'a leaf alone with its private root given as CA', file: 'server.pem', leaf: 'server.pem', untrusted: 'server.pem', ca: 'root.pem', cause: 'server-chain-incomplete', team: 'server', warnings: [], chain: { missing: [INTERMEDIATE] } },
  { id: 'a client leaf alone (missing intermediate)', file: 'client.pem', leaf: 'client.pem', untrusted: 'client.pem', ca: 'root.pem', cause: 'client-cert-untrusted', team: 'server', warnings: [], chain: { missing: [INTERMEDIATE] } },
  { id: 'a chain in the wrong order', file: 'wrong-order.pem', leaf: 'server.pem', untrusted: 'wrong-order.pem', ca: 'root.pem', cause: 'healthy', team: 'none', warnings: [], chain: { leaf: 2, path: [2, 1], orderOk: false, trusted: true } },
  { id: 'a self-signed server certificate', file: 'selfsigned.pem', leaf: 'selfsigned.pem', untrusted: 'selfsigned.pem', cause: 'server-cert-untrusted', team: 'client', warnings: [], chain: { verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, leafDetails: { selfSigned: true } },
  { id: 'a self-signed certificate given as CA', file: 'selfsigned.pem', leaf: 'selfsigned.pem', untrusted: 'selfsigned.pem', ca: 'selfsigned.pem', cause: 'healthy', team: 'none', warnings: [] },
  { id: 'a full chain to a root nobody trusts', file: 'full-chain.pem', leaf: 'server.pem', untrusted: 'full-chain.pem', cause: 'server-cert-untrusted', team: 'client', warnings: [], chain: { path: [1, 2, 3], complete: true, verifyError: 'SELF_SIGNED_CERT_IN_CHAIN' } },
  { id: 'a SHA-1 signed leaf', file: 'sha1-chain.pem', leaf: 'sha1.pem', untrusted: 'sha1-chain.pem', ca: 'root.pem', cause: 'healthy', team: 'none', warnings: ['weak-certificate'], leafDetails: { signatureAlgorithm: 'sha1WithRSAEncryption' } },
  { id: 'an RSA 1024 leaf', file: 'rsa1024-chain.pem', leaf: 'rsa1024.pem', untrusted: 'rsa1024-chain.pem', ca: 'root.pem', cause: 'healthy', team: 'none', warnings: ['weak-certificate'], leafDetails: { keyType: 'rsa', keyBits: 1024 } },
  { id: 'a leaf expiring in 10 days', file: 'soon-chain.pem', leaf: 'soon.pem', untrusted: 'soon-chain.pem', ca: 'root.pem', cause: 'healthy', team: 'none', warnings: ['cert-expiring-soon'] },
  { id: 'a client certificate without clientAuth', file: 'client-noauth-chain.pem', leaf: 'client-noauth.pem', untrusted: 'client-noauth-chain.pem', ca: 'root.pem', role: 'client', cause: 'healthy', team: 'none', warnings: ['client-cert-wrong-usage'], leafDetails: { extKeyUsage: ['serverAuth'] } },
  { id: 'a PKCS#7 bundle (PEM, crl2pkcs7)', file: 'chain.p7b', leaf: 'server.pem', untrusted: 'chain.pem', ca: 'root.pem', cause: 'healthy', team: 'none', warnings: [], format: 'pkcs7-pem', chain: { path: [1, 2] } },
  { id: 'a PKCS#7 bundle (DER) of an expired chain', file: 'expired-chain.p7b', binary: true, leaf: 'expired-server.pem', untrusted: 'expired-server-chain.pem', ca: 'root.pem', cause: 'server-cert-expired', team: 'server', warnings: [], format: 'pkcs7-der' },
  { id: 'a DER certificate', file: 'expired-server.der', binary: true, leaf: 'expired-server.pem', untrusted: 'expired-server.pem', ca: 'root.pem', cause: 'server-cert-expired', team: 'server', warnings: [], others: ['server-chain-incomplete'], format: 'der' },
];
