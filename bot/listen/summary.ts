// The listener's summary, kept as connections end (a run may see thousands; memory stays bounded
// by the number of distinct clients, itself capped): per distinct client (address and the shape of
// its ClientHello) what it offered at most and at least, how its handshakes ended, and the client
// certificates seen.
import { createHash } from 'node:crypto';
import { weakCipherReason } from '../probe/cipher-checks.js';
import { describeSuite, preferenceRank } from '../probe/cipher-suites.js';
import type { ParsedClientHello } from '../probe/hello-parse.js';
import type { ListenConnection } from './connection.js';

const VERSION_RANK: Readonly<Record<string, number>> = { SSLv2: 0, SSLv3: 1, TLSv1: 2, 'TLSv1.1': 3, 'TLSv1.2': 4, 'TLSv1.3': 5 };
const MAX_CLIENTS = 256;
const MAX_CERTIFICATES = 64;

export interface ClientSummary {
  client: string;
  /** Short hash of the hello's shape (versions, suites, extensions, groups, signature algorithms, ALPN). */
  fingerprint: string | null;
  connections: number;
  highestVersion: string | null;
  lowestVersion: string | null;
  strongestSuite: string | null;
  weakestSuite: string | null;
  weakSuites: string[];
  sni: string[];
  outcomes: Record<string, number>;
}

export interface ListenSummary {
  connections: number;
  distinctClients: number;
  /** Over every client: the highest and lowest version anyone offered. */
  offered: { highestVersion: string | null; lowestVersion: string | null };
  clients: ClientSummary[];
  clientCertificates: { subject: string; issuer: string; count: number }[];
  /** Connections of clients beyond the first MAX_CLIENTS: counted, not itemised. */
  connectionsOfOmittedClients: number;
}

export function helloFingerprint(h: ParsedClientHello): string {
  const shape = [h.format, h.versions.join(','), h.suites.join(','), h.extensions.map((e) => e.type).filter((t) => t !== 21).join(','), h.groups.join(','), h.signatureAlgorithms.join(','), h.alpn.join(',')].join('|');
  return createHash('sha256').update(shape).digest('hex').slice(0, 12);
}

export function suiteLabel(code: number): string {
  const s = describeSuite(code);
  return s.openssl ?? s.iana;
}

export function weakSuitesOf(h: ParsedClientHello): string[] {
  return h.suites.flatMap((code) => {
    const reason = weakCipherReason(describeSuite(code).iana);
    return reason ? [`${suiteLabel(code)} (${reason})`] : [];
  });
}

/** Oldest version a hello admits: the lowest in supported_versions, else null (anything up to the highest). */
export function lowestOffered(h: ParsedClientHello): string | null {
  const listed = h.extensions.some((e) => e.type === 43);
  return listed ? (h.versions[h.versions.length - 1] ?? null) : h.format === 'sslv2' ? (h.versions[0] ?? null) : null;
}

function byRank(a: string | null, b: string | null, pick: 'max' | 'min'): string | null {
  if (a === null) return b;
  if (b === null) return a;
  const ra = VERSION_RANK[a] ?? -1;
  const rb = VERSION_RANK[b] ?? -1;
  return (pick === 'max' ? ra >= rb : ra <= rb) ? a : b;
}

export class ListenTally {
  private total = 0;
  private omitted = 0;
  private readonly clients = new Map<string, ClientSummary & { strongestRank: number; weakestRank: number }>();
  private readonly certificates = new Map<string, { subject: string; issuer: string; count: number }>();

  add(c: ListenConnection): void {
    this.total++;
    const h = c.hello;
    const fingerprint = h ? helloFingerprint(h) : null;
    const key = `${c.remoteAddress}|${fingerprint ?? c.outcome}`;
    let entry = this.clients.get(key);
    if (!entry) {
      if (this.clients.size >= MAX_CLIENTS) {
        this.omitted++;
        return;
      }
      entry = { client: c.remoteAddress, fingerprint, connections: 0, highestVersion: null, lowestVersion: null, strongestSuite: null, weakestSuite: null, weakSuites: [], sni: [], outcomes: {}, strongestRank: Infinity, weakestRank: -Infinity };
      this.clients.set(key, entry);
    }
    entry.connections++;
    entry.outcomes[c.outcome] = (entry.outcomes[c.outcome] ?? 0) + 1;
    if (h) {
      entry.highestVersion = byRank(entry.highestVersion, h.versions[0] ?? null, 'max');
      entry.lowestVersion = byRank(entry.lowestVersion, lowestOffered(h) ?? h.versions[h.versions.length - 1] ?? null, 'min');
      for (const code of h.suites) {
        const rank = preferenceRank(describeSuite(code).iana);
        if (rank < entry.strongestRank) [entry.strongestRank, entry.strongestSuite] = [rank, suiteLabel(code)];
        if (rank > entry.weakestRank) [entry.weakestRank, entry.weakestSuite] = [rank, suiteLabel(code)];
      }
      for (const weak of weakSuitesOf(h)) if (!entry.weakSuites.includes(weak)) entry.weakSuites.push(weak);
      if (h.sni && !entry.sni.includes(h.sni) && entry.sni.length < 8) entry.sni.push(h.sni);
    }
    if (c.clientCertificate) {
      const certKey = `${c.clientCertificate.subject}\u0000${c.clientCertificate.issuer}`;
      const seen = this.certificates.get(certKey);
      if (seen) seen.count++;
      else if (this.certificates.size < MAX_CERTIFICATES) this.certificates.set(certKey, { subject: c.clientCertificate.subject, issuer: c.clientCertificate.issuer, count: 1 });
    }
  }

  summary(): ListenSummary {
    const clients = [...this.clients.values()].map(({ strongestRank: _s, weakestRank: _w, ...rest }) => rest);
    return {
      connections: this.total,
      distinctClients: clients.length,
      offered: {
        highestVersion: clients.reduce<string | null>((best, c) => byRank(best, c.highestVersion, 'max'), null),
        lowestVersion: clients.reduce<string | null>((low, c) => byRank(low, c.lowestVersion, 'min'), null),
      },
      clients,
      clientCertificates: [...this.certificates.values()],
      connectionsOfOmittedClients: this.omitted,
    };
  }
}
