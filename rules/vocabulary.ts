// The contract of ../shared/spec/causes.md: ids are verbatim and stable. docs/causes.md lists any
// id the project adds beyond that table.

export const ROLES = ['client', 'server', 'security', 'network', 'both', 'none'] as const;
export type Role = (typeof ROLES)[number];

export const VANTAGES = ['server', 'client', 'unknown'] as const;
export type Vantage = (typeof VANTAGES)[number];

export interface CauseInfo {
  readonly team: Role;
  readonly summary: string;
  /** Diagnoses that mean "nothing is broken" rank below every failure. */
  readonly kind: 'failure' | 'red-herring' | 'success' | 'none';
}

export const CAUSES = {
  'plain-http-on-tls-port': { team: 'client', kind: 'failure', summary: 'the client sent plain HTTP to a TLS listener' },
  'tls-on-plain-port': { team: 'client', kind: 'failure', summary: 'a TLS client reached a port that does not speak TLS' },
  'protocol-too-old': { team: 'client', kind: 'failure', summary: "the client's highest protocol is below the server's minimum" },
  'protocol-too-new': { team: 'server', kind: 'failure', summary: "the client offers only protocols above the server's maximum" },
  // Project addition (docs/causes.md): OpenSSL 1.1/3.x lines do not tell too old from too new.
  'protocol-mismatch': { team: 'both', kind: 'failure', summary: 'no common protocol version, direction not told by the evidence' },
  'legacy-ssl': { team: 'security', kind: 'failure', summary: 'the client speaks SSLv2 or SSLv3' },
  'no-shared-cipher': { team: 'both', kind: 'failure', summary: 'client and server cipher lists have no entry in common' },
  'client-cert-missing': { team: 'client', kind: 'failure', summary: 'the server requires a client certificate and none was presented' },
  'client-cert-expired': { team: 'client', kind: 'failure', summary: 'the client certificate is expired or not yet valid' },
  'client-cert-untrusted': { team: 'server', kind: 'failure', summary: 'the server cannot verify the client certificate' },
  'client-cert-accepted': { team: 'none', kind: 'success', summary: 'the client certificate was validated' },
  'server-cert-untrusted': { team: 'client', kind: 'failure', summary: 'the client cannot verify the server certificate' },
  'server-chain-incomplete': { team: 'server', kind: 'failure', summary: 'the server does not send the intermediate certificates its leaf needs' },
  'server-cert-expired': { team: 'server', kind: 'failure', summary: 'the server certificate is expired or not yet valid' },
  'server-cert-hostname-mismatch': { team: 'server', kind: 'failure', summary: 'the server certificate does not cover the name the client used' },
  'server-cert-weak': { team: 'server', kind: 'failure', summary: "the server's chain uses a signature or key that default clients refuse" },
  'server-cert-revoked': { team: 'server', kind: 'failure', summary: 'the server certificate is revoked' },
  'revocation-check-failed': { team: 'network', kind: 'failure', summary: 'the client could not reach the CRL / OCSP service' },
  'connection-refused': { team: 'network', kind: 'failure', summary: 'nothing listens on host:port, or a firewall rejects' },
  'connection-timeout': { team: 'network', kind: 'failure', summary: 'no TCP answer in time' },
  'handshake-aborted': { team: 'both', kind: 'failure', summary: 'the peer closed or reset the handshake with no more specific evidence' },
  'red-herring-only': { team: 'none', kind: 'red-herring', summary: "the only evidence is DataPower's generic 'no certificate from the peer' message" },
  'dns-failure': { team: 'network', kind: 'failure', summary: 'the name does not resolve' },
  healthy: { team: 'none', kind: 'none', summary: 'the endpoint works' },
  unknown: { team: 'none', kind: 'none', summary: 'no TLS failure is seen in the input' },
} as const satisfies Record<string, CauseInfo>;
export type CauseId = keyof typeof CAUSES;
export const CAUSE_IDS = Object.keys(CAUSES) as CauseId[];

export const WARNINGS = {
  'cert-expiring-soon': 'a certificate in use expires within 30 days',
  'weak-certificate': 'SHA-1 signature, RSA < 2048 bits, or similar',
  'legacy-protocol-enabled': 'the endpoint still accepts TLS 1.0/1.1 (or SSLv3)',
  'client-cert-wrong-usage': 'a client certificate without the clientAuth extended key usage',
  'proxy-request-on-tls-port': 'the client sent an HTTP proxy CONNECT to a TLS listener',
  'private-key-pasted': 'a private key was pasted: treat as compromised, rotate, delete the message',
  'weak-cipher-enabled': 'the endpoint accepts NULL, anonymous, EXPORT, RC4 or 3DES suites, or DHE under 2048 bits',
} as const;
export type WarningId = keyof typeof WARNINGS;
export const WARNING_IDS = Object.keys(WARNINGS) as WarningId[];

export function isCauseId(value: string): value is CauseId {
  return Object.hasOwn(CAUSES, value);
}
export function isWarningId(value: string): value is WarningId {
  return Object.hasOwn(WARNINGS, value);
}

/**
 * The closed set of facts a rule may test. json-rules-engine runs with allowUndefinedFacts: false,
 * and the loader rejects any other fact name, so a typo in a rule file fails at load, not silently.
 */
export const FACTS = {
  signals: 'ids of the signals seen in one connection (array; use contains / doesNotContain)',
  vantage: 'which side wrote the evidence: server | client | unknown',
  sources: 'which software wrote the lines: datapower, openssl, nginx, apache, java, node, curl, python, go, probe, certificate, datapower-export, capture (array)',
  causalSignals: 'how many signals that can be a root cause were seen (number); the red herring and context lines do not count',
} as const;
export type FactName = keyof typeof FACTS;
export const FACT_NAMES = Object.keys(FACTS) as FactName[];

export const OPERATORS = ['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'] as const;
