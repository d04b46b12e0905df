// `listen --json`: JSON Lines (../shared/spec/json-output.md). One object per connection as it
// ends, then a last line with the summary and the diagnosis.
import type { ListenDiagnosis } from '../../rules/listen/signals.js';
import { groupName, signatureSchemeName, extensionName } from '../../rules/probe/tls-names.data.js';
import { describeSuite } from '../probe/cipher-suites.js';
import type { ListenConnection } from './connection.js';
import type { ListenRun } from './listener.js';

export interface ListenConnectionJson {
  remote: string;
  at: string;
  sni: string | null;
  alpn: string[];
  offered: {
    versions: string[];
    ciphers: { iana: string; openssl: string | null; hex: string }[];
    groups: string[];
    sigalgs: string[];
    extensions: string[];
    format: 'tls' | 'sslv2';
  } | null;
  clientCertificate: { subject: string; issuer: string; notAfter: string; expired: boolean } | null;
  outcome: string;
  detail?: string;
  negotiated?: { protocol: string; cipher: string };
  durationMs: number;
}

const SIGNALLING: Readonly<Record<number, string>> = { 0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV', 0x5600: 'TLS_FALLBACK_SCSV' };

export function connectionJson(c: ListenConnection): ListenConnectionJson {
  const h = c.hello;
  return {
    remote: c.remote,
    at: c.at,
    sni: h?.sni ?? null,
    alpn: h?.alpn ?? [],
    offered: h
      ? {
          versions: h.versions,
          ciphers: h.suites.map((code) => {
            const s = describeSuite(code);
            return { iana: SIGNALLING[code] ?? s.iana, openssl: s.openssl, hex: s.hex };
          }),
          groups: h.groups.map(groupName),
          sigalgs: h.signatureAlgorithms.map(signatureSchemeName),
          extensions: h.extensions.map((e) => extensionName(e.type)),
          format: h.format,
        }
      : null,
    clientCertificate: c.clientCertificate ? { subject: c.clientCertificate.subject, issuer: c.clientCertificate.issuer, notAfter: c.clientCertificate.notAfter, expired: c.clientCertificate.expired } : null,
    outcome: c.outcome,
    ...(c.detail !== undefined ? { detail: c.detail } : {}),
    ...(c.negotiated ? { negotiated: c.negotiated } : {}),
    durationMs: c.durationMs,
  };
}

export function summaryJson(run: ListenRun, diagnosis: ListenDiagnosis): Record<string, unknown> {
  const s = run.summary;
  return {
    summary: true,
    listening: run.address.includes(':') ? `[${run.address}]:${run.port}` : `${run.address}:${run.port}`,
    versions: run.versions,
    requestCert: run.requestCert,
    certificate: run.certificate,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    seconds: run.seconds,
    stoppedBy: run.stoppedBy,
    connections: s.connections,
    distinctClients: s.distinctClients,
    offered: s.offered,
    clients: s.clients,
    clientCertificates: s.clientCertificates,
    ...(s.connectionsOfOmittedClients > 0 ? { connectionsOfOmittedClients: s.connectionsOfOmittedClients } : {}),
    ...diagnosis,
  };
}
