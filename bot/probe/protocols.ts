// One raw ClientHello per protocol version, concurrently, each offering only that version.
import { buildClientHello } from './client-hello.js';
import { describeSuite, suitesFor } from './cipher-suites.js';
import { mapBounded } from './net-outcome.js';
import { PROTOCOLS, type ProtocolName } from './protocol-names.js';
import { rawHandshake } from './raw-handshake.js';
import type { ProtocolReport } from './report-types.js';
import type { StartTlsProtocol } from './starttls/index.js';

export interface ProtocolProbeOptions {
  address: string;
  port: number;
  servername?: string;
  timeoutMs: () => number;
  concurrency: number;
  starttls?: StartTlsProtocol;
}

export async function probeProtocol(p: ProtocolName, o: ProtocolProbeOptions): Promise<ProtocolReport> {
  const timeoutMs = o.timeoutMs();
  if (timeoutMs <= 0) return { protocol: p, accepted: false, outcome: 'not-tested', ms: 0 };
  const hello = buildClientHello({ protocol: p, suites: suitesFor(p), ...(o.servername ? { servername: o.servername } : {}) });
  const r = await rawHandshake({ address: o.address, port: o.port, hello, until: 'server-hello', timeoutMs, ...(o.starttls ? { starttls: o.starttls } : {}) });
  const report: ProtocolReport = { protocol: p, accepted: false, outcome: r.outcome, ms: r.ms };
  if (r.alert) report.alert = r.alert;
  if (r.errorCode) report.errorCode = r.errorCode;
  if (r.serverHello) {
    report.serverVersion = r.serverHello.version;
    report.cipher = describeSuite(r.serverHello.cipherSuite);
    if (r.serverHello.helloRetryRequest) report.helloRetryRequest = true;
    // A server that answers with another version than the only one offered did not accept ours.
    report.accepted = r.serverHello.version === p;
  }
  return report;
}

export function probeProtocols(o: ProtocolProbeOptions): Promise<ProtocolReport[]> {
  return mapBounded(PROTOCOLS, o.concurrency, (p) => probeProtocol(p, o));
}
