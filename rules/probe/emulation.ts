// Would this client connect? The probe sends a real client's ClientHello (bot/probe/emulate.ts) and
// hands over what the server answered; this judges it on handshake parameters only, as the client
// would: the version, suite, group and signature scheme must be ones it offered, the DH group and
// the server's key within its limits. Trust (which CAs the client holds) is not judged here: the
// probe reports it beside the verdict. When the server refused, a few more hellos that each change
// one thing (the probe's suites, groups or signature algorithms in place of the client's) say which
// list had nothing in common.

export type EmulationFailure =
  | 'client-too-old'
  | 'client-too-new'
  | 'no-shared-version'
  | 'no-shared-cipher'
  | 'no-shared-group'
  | 'no-shared-sigalg'
  | 'dh-too-small'
  | 'dh-too-large'
  | 'key-too-small'
  | 'key-too-large'
  | 'server-choice-not-offered'
  | 'refused';

export const EMULATION_FAILURES: readonly EmulationFailure[] = [
  'client-too-old', 'client-too-new', 'no-shared-version', 'no-shared-cipher', 'no-shared-group', 'no-shared-sigalg',
  'dh-too-small', 'dh-too-large', 'key-too-small', 'key-too-large', 'server-choice-not-offered', 'refused',
];

/** What the judge needs of a client profile, as code points. */
export interface EmulatedClient {
  readonly id: string;
  readonly name: string;
  /** Highest first. */
  readonly versions: readonly string[];
  readonly suites: readonly number[];
  readonly groups: readonly number[];
  readonly signatureAlgorithms: readonly number[];
  readonly limits: {
    readonly minDhBits?: number;
    readonly maxDhBits?: number;
    readonly minRsaBits?: number;
    readonly maxRsaBits?: number;
    readonly minEcdsaBits?: number;
    /** Offered but refused when chosen (OpenSSL 3 below security level 0 offers TLS 1.0/1.1 and cannot use them). */
    readonly minVersion?: string;
  };
}

/** What the server did with the client's hello. */
export interface ServerAnswer {
  readonly outcome: 'hello' | 'alert' | 'closed' | 'timeout' | 'unreachable' | 'not-tls';
  readonly version?: string;
  readonly suite?: number;
  /** The (EC)DHE group: TLS 1.3 key share (or HelloRetryRequest), TLS 1.2 ServerKeyExchange curve. */
  readonly group?: number;
  readonly dheBits?: number;
  /** CertificateVerify (TLS 1.3) or ServerKeyExchange (TLS 1.2) signature scheme. */
  readonly signatureScheme?: number;
  readonly serverKey?: { readonly type: string; readonly bits: number | null };
  readonly alert?: string;
}

/** Only when the server refused: versions it accepts, and whether one changed list made it agree. */
export interface RefusalClues {
  readonly serverVersions?: readonly string[];
  readonly otherSuitesAccepted?: boolean;
  readonly otherGroupsAccepted?: boolean;
  readonly otherSigalgsAccepted?: boolean;
  /** e.g. "the server's certificate is ECDSA and the client offers RSA-authenticated suites only". */
  readonly suiteHint?: string;
}

export interface CodeNames {
  suite(code: number): string;
  group(code: number): string;
  sigalg(code: number): string;
}

export interface EmulationVerdict {
  readonly wouldConnect: boolean | null;
  readonly failure?: EmulationFailure;
  readonly reason: string;
}

const RANK: Readonly<Record<string, number>> = { SSLv3: 1, TLSv1: 2, 'TLSv1.1': 3, 'TLSv1.2': 4, 'TLSv1.3': 5 };

function span(versions: readonly string[]): string {
  const sorted = [...versions].sort((a, b) => (RANK[a] ?? 0) - (RANK[b] ?? 0));
  if (sorted.length === 0) return 'no version';
  return sorted.length === 1 ? (sorted[0] as string) : `${sorted[0]} to ${sorted[sorted.length - 1]}`;
}

/** The versions the client can really use: those offered, from its minimum up. */
function usable(c: EmulatedClient): string[] {
  const floor = c.limits.minVersion ? (RANK[c.limits.minVersion] ?? 0) : 0;
  return c.versions.filter((v) => (RANK[v] ?? 0) >= floor);
}

function versionVerdict(c: EmulatedClient, server: readonly string[]): EmulationVerdict | undefined {
  const mine = usable(c);
  if (mine.some((v) => server.includes(v))) return undefined;
  const ranks = (vs: readonly string[]): number[] => vs.map((v) => RANK[v] ?? 0);
  const said = `it ${mine.length < c.versions.length ? 'uses' : 'offers'} ${span(mine)} and the server accepts ${span(server)}`;
  if (Math.max(...ranks(mine)) < Math.min(...ranks(server))) return { wouldConnect: false, failure: 'client-too-old', reason: said };
  if (Math.min(...ranks(mine)) > Math.max(...ranks(server))) return { wouldConnect: false, failure: 'client-too-new', reason: said };
  return { wouldConnect: false, failure: 'no-shared-version', reason: said };
}

function refusal(c: EmulatedClient, a: ServerAnswer, clues: RefusalClues, names: CodeNames): EmulationVerdict {
  const how = a.alert ? `alert ${a.alert}` : a.outcome === 'closed' ? 'the connection closed' : a.outcome;
  const server = clues.serverVersions;
  const byVersion = server && server.length > 0 ? versionVerdict(c, server) : undefined;
  if (byVersion) return byVersion;
  if (clues.otherSuitesAccepted) {
    return { wouldConnect: false, failure: 'no-shared-cipher', reason: `the server accepts none of its ${c.suites.length} cipher suites (${how})${clues.suiteHint ? `; ${clues.suiteHint}` : ''}` };
  }
  if (clues.otherGroupsAccepted) {
    return { wouldConnect: false, failure: 'no-shared-group', reason: `the server accepts none of its key exchange groups (${c.groups.map(names.group).join(', ') || 'none offered'}) (${how})` };
  }
  if (clues.otherSigalgsAccepted) {
    return { wouldConnect: false, failure: 'no-shared-sigalg', reason: `the server can sign with none of its signature algorithms (${how})` };
  }
  return { wouldConnect: false, failure: 'refused', reason: `the server refused its handshake (${how}) although it shares a version with it` };
}

export function judgeEmulation(c: EmulatedClient, a: ServerAnswer, clues: RefusalClues, names: CodeNames): EmulationVerdict {
  if (a.outcome === 'timeout' || a.outcome === 'unreachable') return { wouldConnect: null, reason: `the server did not answer its hello (${a.outcome})` };
  if (a.outcome !== 'hello') return refusal(c, a, clues, names);
  const chose = (what: string): EmulationVerdict => ({ wouldConnect: false, failure: 'server-choice-not-offered', reason: `the server chose ${what}, which it did not offer, so it aborts` });
  if (a.version && !c.versions.includes(a.version)) return chose(a.version);
  if (a.version && !usable(c).includes(a.version)) {
    return { wouldConnect: false, failure: 'client-too-new', reason: `the server chose ${a.version}, which it offers but refuses to use (it needs ${c.limits.minVersion} or later)` };
  }
  if (a.suite !== undefined && !c.suites.includes(a.suite)) return chose(`suite ${names.suite(a.suite)}`);
  if (a.group !== undefined && c.groups.length > 0 && !c.groups.includes(a.group)) return chose(`group ${names.group(a.group)}`);
  if (a.signatureScheme !== undefined && c.signatureAlgorithms.length > 0 && !c.signatureAlgorithms.includes(a.signatureScheme)) return chose(`signature scheme ${names.sigalg(a.signatureScheme)}`);
  const l = c.limits;
  if (a.dheBits !== undefined && l.minDhBits !== undefined && a.dheBits < l.minDhBits) {
    return { wouldConnect: false, failure: 'dh-too-small', reason: `the server's DHE group has ${a.dheBits} bits and it requires at least ${l.minDhBits}` };
  }
  if (a.dheBits !== undefined && l.maxDhBits !== undefined && a.dheBits > l.maxDhBits) {
    return { wouldConnect: false, failure: 'dh-too-large', reason: `the server's DHE group has ${a.dheBits} bits and it handles at most ${l.maxDhBits}` };
  }
  const key = a.serverKey;
  if (key && key.bits !== null) {
    const rsa = key.type === 'rsa' || key.type === 'rsa-pss';
    if (rsa && l.minRsaBits !== undefined && key.bits < l.minRsaBits) return { wouldConnect: false, failure: 'key-too-small', reason: `the server's RSA key has ${key.bits} bits and it requires at least ${l.minRsaBits}` };
    if (rsa && l.maxRsaBits !== undefined && key.bits > l.maxRsaBits) return { wouldConnect: false, failure: 'key-too-large', reason: `the server's RSA key has ${key.bits} bits and it handles at most ${l.maxRsaBits}` };
    if (key.type === 'ec' && l.minEcdsaBits !== undefined && key.bits < l.minEcdsaBits) return { wouldConnect: false, failure: 'key-too-small', reason: `the server's EC key has ${key.bits} bits and it requires at least ${l.minEcdsaBits}` };
  }
  const parts = [a.version, a.suite !== undefined ? names.suite(a.suite) : undefined, a.group !== undefined ? `over ${names.group(a.group)}` : a.dheBits !== undefined ? `DHE ${a.dheBits} bits` : undefined, key ? `${key.type.toUpperCase()} ${key.bits ?? '?'}-bit key` : undefined];
  return { wouldConnect: true, reason: `it negotiates ${parts.filter(Boolean).join(' ')}` };
}

export const EMULATION_SIGNALS = EMULATION_FAILURES.map((f) => `probe.emulated.${f}` as const);
