// From what the listener saw to what the rules judge (rules/listen): per connection the versions
// offered, weak suites, how it ended and the client certificate; the run's versions and settings.
import type { ListenConnectionFacts, ListenObservation } from '../../rules/listen/signals.js';
import type { ListenConnection } from './connection.js';
import type { ListenRun } from './listener.js';
import { lowestOffered, weakSuitesOf } from './summary.js';

export function connectionFacts(c: ListenConnection): ListenConnectionFacts {
  const h = c.hello;
  return {
    client: c.remote,
    highest: h?.versions[0] ?? null,
    lowest: h ? lowestOffered(h) : null,
    weakSuites: h ? weakSuitesOf(h) : [],
    sni: h?.sni ?? null,
    outcome: c.outcome,
    ...(c.detail !== undefined ? { detail: c.detail } : {}),
    ...(c.negotiated ? { negotiated: c.negotiated } : {}),
    clientCertificate: c.clientCertificate
      ? { subject: c.clientCertificate.subject, issuer: c.clientCertificate.issuer, expired: c.clientCertificate.expired, notYetValid: c.clientCertificate.notYetValid }
      : null,
  };
}

/** `advertised`: where people were told to connect (chat), else the bound address. */
export function listenObservation(run: ListenRun, advertised?: string): ListenObservation {
  const bound = run.address.includes(':') ? `[${run.address}]:${run.port}` : `${run.address}:${run.port}`;
  return {
    listener: {
      address: advertised ?? bound,
      versions: run.versions,
      requestCert: run.requestCert,
      throwawayCertificate: run.certificate.throwaway,
      seconds: run.seconds,
    },
    totalConnections: run.summary.connections,
    connections: run.connections.map(connectionFacts),
  };
}
