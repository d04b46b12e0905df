import type { Diagnosis } from '../types.js';

// The listener (tls-triage listen, `listen` in chat) is the probe turned around: it plays the server
// and sees what clients offer. bot/listen reduces each connection to these facts; the facts become
// signals of one connection seen from the server side, and rules/catalog/listen.json turns them into
// the same cause ids as a log of the same failure would.

export type ListenOutcome =
  | 'handshake-completed'
  /** The client refused the listener's certificate (unknown_ca, bad_certificate, ...). */
  | 'client-rejected-certificate'
  | 'no-shared-version'
  | 'no-shared-cipher'
  | 'no-shared-group'
  | 'no-shared-sigalg'
  /** The client ended the handshake with another alert. */
  | 'client-alert'
  | 'client-closed'
  | 'plain-http'
  | 'not-tls'
  | 'malformed'
  /** TCP connected, nothing sent (a half-open health check). */
  | 'tcp-only'
  | 'timeout'
  | 'error';

/** The protocol names of the probe, plus SSLv2 (only a client can still offer it). */
export type ListenProtocol = 'SSLv2' | 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export const LISTEN_PROTOCOLS: readonly ListenProtocol[] = ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export interface ListenConnectionFacts {
  /** "ip:port" of the client. */
  readonly client: string;
  /** The highest version offered, null when no ClientHello came. */
  readonly highest: string | null;
  /** The lowest version offered when the hello lists them (supported_versions), else null ("anything up to highest"). */
  readonly lowest: string | null;
  /** Weak suites offered, e.g. "DES-CBC3-SHA (3DES)". */
  readonly weakSuites: readonly string[];
  readonly sni: string | null;
  readonly outcome: ListenOutcome;
  readonly detail?: string;
  readonly negotiated?: { readonly protocol: string; readonly cipher: string };
  readonly clientCertificate: { readonly subject: string; readonly issuer: string; readonly expired: boolean; readonly notYetValid: boolean } | null;
}

export interface ListenObservation {
  readonly listener: {
    /** Where clients were told to connect ("host:port"). */
    readonly address: string;
    /** Versions the listener accepted: the server profile the clients were measured against. */
    readonly versions: readonly ListenProtocol[];
    readonly requestCert: boolean;
    /** The listener used its own throw-away certificate (a client refusing it is expected). */
    readonly throwawayCertificate: boolean;
    readonly seconds: number;
  };
  /** Every connection counted, also those beyond the kept list. */
  readonly totalConnections: number;
  /** The connections kept (the first ones, bounded). */
  readonly connections: readonly ListenConnectionFacts[];
}

export const LISTEN_SIGNALS = [
  'listen.client-sslv2', 'listen.client-sslv3-only', 'listen.client-below-profile', 'listen.client-above-profile',
  'listen.client-legacy-only', 'listen.no-shared-cipher', 'listen.no-client-certificate', 'listen.client-certificate-expired',
  'listen.plain-http', 'listen.not-tls', 'listen.rejected-given-certificate', 'listen.client-aborted', 'listen.client-weak-suites',
] as const;

export type ListenSignal = (typeof LISTEN_SIGNALS)[number];

const RANK: Readonly<Record<string, number>> = { SSLv2: 0, SSLv3: 1, TLSv1: 2, 'TLSv1.1': 3, 'TLSv1.2': 4, 'TLSv1.3': 5 };

function rank(version: string | null): number | undefined {
  return version === null ? undefined : RANK[version];
}

/** The signals of one connection, judged against the listener's versions. */
export function listenSignals(c: ListenConnectionFacts, listener: ListenObservation['listener']): ListenSignal[] {
  const out: ListenSignal[] = [];
  const add = (s: ListenSignal): void => void out.push(s);
  const ranks = listener.versions.map((v) => RANK[v] as number);
  const floor = Math.min(...ranks);
  const ceiling = Math.max(...ranks);
  const high = rank(c.highest);
  const low = rank(c.lowest);
  if (c.outcome === 'plain-http') add('listen.plain-http');
  if (c.outcome === 'not-tls' || c.outcome === 'malformed') add('listen.not-tls');
  if (high !== undefined) {
    if (c.highest === 'SSLv2') add('listen.client-sslv2');
    else if (high <= 1) add('listen.client-sslv3-only');
    else if (high < floor) add('listen.client-below-profile');
    else if (high < 4) add('listen.client-legacy-only');
    if (low !== undefined && low > ceiling) add('listen.client-above-profile');
  }
  if (c.weakSuites.length > 0) add('listen.client-weak-suites');
  if (c.outcome === 'no-shared-cipher' || c.outcome === 'no-shared-group' || c.outcome === 'no-shared-sigalg') add('listen.no-shared-cipher');
  if (c.outcome === 'client-rejected-certificate' && !listener.throwawayCertificate) add('listen.rejected-given-certificate');
  if (c.outcome === 'client-alert' && !out.some((s) => s.startsWith('listen.client-') && s !== 'listen.client-weak-suites' && s !== 'listen.client-legacy-only')) add('listen.client-aborted');
  if (listener.requestCert && c.outcome === 'handshake-completed') {
    if (!c.clientCertificate) add('listen.no-client-certificate');
    else if (c.clientCertificate.expired || c.clientCertificate.notYetValid) add('listen.client-certificate-expired');
  }
  return out;
}

/** What the listener saw, judged: the usual diagnosis fields plus per-cause counts. */
export type ListenDiagnosis = Diagnosis & {
  /** Every cause seen, with how many connections showed it, the primary first. */
  readonly findings: readonly { readonly cause: string; readonly team: string; readonly title: string; readonly count: number }[];
};
