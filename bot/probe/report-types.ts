// The engine's JSON-serialisable report. Every union is closed: consumers (rules, CLI) can switch
// exhaustively. Network outcomes are data here, never exceptions.
import type { CipherSuiteRef } from './cipher-suites.js';
import type { ChainEntry, Weakness } from './cert-describe.js';
import type { ChainShape } from './chain-check.js';
import type { TcpOutcome } from './net-outcome.js';
import type { ProtocolName } from './protocol-names.js';
import type { AlertInfo, HandshakeOutcome } from './raw-handshake.js';
import type { StartTlsProtocol } from './starttls/schemes.js';
import type { StartTlsFailure } from './transport.js';
import type { EmulationReport } from './emulate.js';

export type { CipherSuiteRef, ChainEntry, Weakness, TcpOutcome, ProtocolName, AlertInfo, HandshakeOutcome };

export interface TcpReport {
  outcome: TcpOutcome;
  ms: number;
  errorCode?: string;
}

/** What the port answered to a broad ClientHello. */
export type SpokeKind = 'tls' | 'http' | 'plaintext' | 'binary' | 'silent' | 'closed' | 'reset' | 'not-tested' | StartTlsProtocol;

export interface SpeaksTlsReport {
  /** null when the answer proves nothing either way (silence, close, reset, no TCP). */
  value: boolean | null;
  spoke: SpokeKind;
  /** e.g. "HTTP/1.1 400 Bad Request" when spoke is 'http'. */
  httpStatusLine?: string;
  /** First printable bytes of a non-TLS answer (at most 120 characters). */
  banner?: string;
  /** Set when the port speaks plaintext: a TLS client connecting here fails with this cause. */
  clientFailureCause?: 'tls-on-plain-port';
  /** Version the server chose when offered TLS 1.0..1.3 at once. */
  preferredVersion?: string;
  /** A plain probe met a protocol that speaks first and upgrades to TLS: which, and what it said. */
  service?: { protocol: StartTlsProtocol; banner: string };
  /** A STARTTLS probe whose preamble failed: the server's refusal, in its words. */
  starttlsFailure?: StartTlsFailure;
}

export interface ProtocolReport {
  protocol: ProtocolName;
  accepted: boolean;
  outcome: HandshakeOutcome | 'not-tested';
  ms: number;
  alert?: AlertInfo;
  /** Version in the ServerHello: differs from `protocol` when the server answered with another one. */
  serverVersion?: string;
  cipher?: CipherSuiteRef;
  helloRetryRequest?: boolean;
  errorCode?: string;
}

export type ServerPreference = 'server' | 'client' | 'unknown';

export interface ProtocolCiphersReport {
  protocol: ProtocolName;
  suites: CipherSuiteRef[];
  serverPreference: ServerPreference;
  /** False when the loop stopped early (deadline, timeout, reset, odd server answer). */
  complete: boolean;
  handshakes: number;
  note?: string;
}

export interface CiphersReport {
  protocols: ProtocolCiphersReport[];
  /** From the highest protocol where a preference could be established. */
  serverPreference: ServerPreference;
}

export type WeakCipherReason = 'NULL' | 'anonymous' | 'EXPORT' | 'RC4' | '3DES' | 'DES';

export interface WeakSuite {
  protocol: ProtocolName;
  suite: CipherSuiteRef;
  reason: WeakCipherReason;
}

export interface CipherChecksReport {
  /** Weak suites seen accepted: at least the one the server picks per protocol, every one with --ciphers. */
  weakSuites: WeakSuite[];
  /** Size of the server's finite-field DHE prime (bits), null when it does no DHE or did not say. */
  dheBits: number | null;
  /** A modern default client can agree on a version and a suite; null when that was not learnt. */
  modernClientAgrees: boolean | null;
}

export interface CertificateReport {
  /** Where the certificates came from: the raw TLS <= 1.2 Certificate message, the decrypted TLS 1.3 one, or node:tls. */
  chainSource: 'tls-certificate-message' | 'tls13-certificate-message' | 'node-tls';
  /** Protocol node:tls negotiated for the verifying handshake (when it completed). */
  negotiatedProtocol: string | null;
  subject: string;
  issuer: string;
  sans: string[];
  serial: string;
  notBefore: string;
  notAfter: string;
  daysLeft: number;
  expired: boolean;
  notYetValid: boolean;
  selfSigned: boolean;
  /** Name the hostname check used: the servername, else the IP address. */
  hostnameChecked: string;
  /**
   * tls.checkServerIdentity verdict. null when no servername was given and the certificate has no
   * IP SAN: the target was an IP literal, clients presumably use a name we do not know.
   */
  hostnameMatches: boolean | null;
  hostnameError?: string;
  chainComplete: boolean | null;
  /** How the sent chain relates to the trust store (chain-check.ts); null when not checked. */
  chainShape: ChainShape | null;
  /** Trusted by what default clients enforce (no SHA-1/MD5 below the root, no key under 2048 bits). */
  trusted: boolean | null;
  /** The verdict of the lenient (@SECLEVEL=0) verification alone. */
  trustedLenient: boolean | null;
  /** Why a chain that verifies leniently is still refused by default clients. */
  weakReason?: string;
  /** OpenSSL/Node code, e.g. UNABLE_TO_VERIFY_LEAF_SIGNATURE; null when trusted or unknown. */
  verifyError: string | null;
  /** 'openssl': from node:tls `authorized`; 'path-check': our approximation (handshake did not complete). */
  verifySource: 'openssl' | 'path-check' | null;
  /** As sent by the server, leaf first. */
  chain: ChainEntry[];
  weaknesses: Weakness[];
}

export interface ClientAuthReport {
  requested: boolean | null;
  /** True: the server refuses clients without a certificate; false: optional; null: not known. */
  required: boolean | null;
  acceptableCAs: string[];
  seenVia: 'tls12-certificate-request' | 'tls13-certificate-request' | 'tls13-certificate-required-alert' | 'none';
  note: string;
}

export type StepName = 'tcp' | 'starttls' | 'speaks-tls' | 'protocols' | 'ciphers' | 'cipher-checks' | 'certificate' | 'client-auth' | 'emulation';

export interface StepReport {
  name: StepName;
  outcome: string;
  ms: number;
  detail?: string;
}

export interface ProbeEngineReport {
  target: { address: string; port: number; servername: string | null; starttls?: StartTlsProtocol };
  startedAt: string;
  tcp: TcpReport;
  speaksTls: SpeaksTlsReport;
  protocols: ProtocolReport[];
  ciphers: CiphersReport | null;
  /** Weak suites, DHE size, whether a modern client agrees; null when no TLS was spoken. */
  cipherChecks: CipherChecksReport | null;
  certificate: CertificateReport | null;
  clientAuth: ClientAuthReport;
  steps: StepReport[];
  /** `probe --as CLIENT`: that client's hello, the server's answer and the verdict. */
  emulation?: EmulationReport;
  /** True when the deadline cut at least one step short. */
  deadlineHit: boolean;
  durationMs: number;
}
