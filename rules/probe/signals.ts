import { LISTEN_SIGNALS } from '../listen/signals.js';
import { EMULATION_SIGNALS, type EmulationFailure } from './emulation.js';
import type { Diagnosis } from '../types.js';
import type { CauseId, Role } from '../vocabulary.js';

// A live probe is evidence too. The probe (bot/probe) reduces its report to this observation; the
// observation becomes signals of one connection seen from the client side, and the same engine and
// the same rule files (catalog/probe.json) turn them into causes, so a probe and a pasted log of the
// same failure name the same cause id.

export type ProbedProtocol = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface ProbeObservation {
  /** "host:port" as the user gave it (for next steps). */
  readonly target: string;
  readonly dnsFailed?: boolean;
  readonly tcp?: 'connected' | 'refused' | 'timeout' | 'reset' | 'unreachable';
  readonly speaksTls?: boolean | null;
  /** What a non-TLS port spoke: 'http', 'plaintext', ... */
  readonly spoke?: string;
  readonly protocolsAccepted?: readonly ProbedProtocol[];
  readonly certificate?: {
    readonly expired: boolean;
    readonly notYetValid: boolean;
    readonly daysLeft: number;
    readonly selfSigned: boolean;
    readonly chainComplete: boolean | null;
    readonly trusted: boolean | null;
    readonly hostnameMatches: boolean | null;
    readonly weak: boolean;
    /** The lenient verification's verdict (no security level); `trusted` is what default clients decide. */
    readonly trustedLenient?: boolean | null;
    /** How the sent chain relates to the trust store (bot/probe/chain-check.ts ChainShape). */
    readonly chainShape?: string | null;
    /** Set when default clients refuse a chain that verifies leniently: which certificate and why. */
    readonly weakReason?: string;
  };
  readonly ciphers?: {
    /** Weak suites accepted, e.g. "TLSv1.2 RC4-SHA (RC4)". */
    readonly weakSuites: readonly string[];
    readonly dheBits: number | null;
    /** Whether a modern default client (TLS 1.2/1.3, no weak suite) can agree with the endpoint. */
    readonly modernClientAgrees: boolean | null;
  };
  /** The probe upgraded each connection with this protocol's STARTTLS: its id (openssl -starttls) and name. */
  readonly starttls?: { readonly id: string; readonly label: string };
  /** The STARTTLS upgrade failed: not offered by the server, or refused. */
  readonly starttlsFailure?: { readonly reason: string; readonly message: string };
  /** A plain probe met a protocol that speaks first and has a TLS upgrade: which, and the target that probes it. */
  readonly service?: { readonly label: string; readonly suggestedTarget: string; readonly banner: string };
  /** `probe --as CLIENT`: that client's verdict, which leads the diagnosis (rules/catalog/client-emulation.json). */
  readonly emulated?: {
    readonly client: string;
    readonly name: string;
    readonly wouldConnect: boolean | null;
    readonly failure?: EmulationFailure;
    readonly reason: string;
  };
}

/** Signals of the probe's own checks. */
const CHECK_SIGNALS = [
  'probe.dns-failure', 'probe.tcp-refused', 'probe.tcp-timeout', 'probe.tcp-reset', 'probe.tcp-unreachable',
  'probe.not-tls', 'probe.no-protocol-accepted', 'probe.only-legacy-protocols', 'probe.legacy-protocol-enabled',
  'probe.sslv3-enabled', 'probe.cert-expired', 'probe.cert-not-yet-valid', 'probe.cert-expiring-soon',
  'probe.cert-self-signed', 'probe.cert-untrusted', 'probe.chain-incomplete', 'probe.hostname-mismatch',
  'probe.weak-certificate', 'probe.cert-weak', 'probe.weak-cipher', 'probe.no-modern-cipher',
  'probe.starttls-service', 'probe.starttls-not-offered', 'probe.starttls-failed',
] as const;

/**
 * Every signal a probe can emit, and the listener's (the probe turned around: rules/listen), so rule
 * files may reference them like signature signals and the rule loader knows them.
 */
export const PROBE_SIGNALS = [...CHECK_SIGNALS, ...EMULATION_SIGNALS, ...LISTEN_SIGNALS] as const;

/** Finite-field DHE below this many bits is weak (Logjam; browsers and Java refuse 1024). */
const DHE_MIN_BITS = 2048;

const EXPIRY_WARNING_DAYS = 30;
const MODERN: readonly ProbedProtocol[] = ['TLSv1.2', 'TLSv1.3'];

export function probeSignals(o: ProbeObservation): string[] {
  const signals: string[] = [];
  const add = (s: (typeof CHECK_SIGNALS)[number]): void => void signals.push(s);
  if (o.dnsFailed) add('probe.dns-failure');
  if (o.tcp === 'refused') add('probe.tcp-refused');
  if (o.tcp === 'timeout') add('probe.tcp-timeout');
  if (o.tcp === 'reset') add('probe.tcp-reset');
  if (o.tcp === 'unreachable') add('probe.tcp-unreachable');
  // A known protocol that upgrades to TLS says more than "not TLS".
  if (o.service) add('probe.starttls-service');
  else if (o.starttlsFailure) add(o.starttlsFailure.reason === 'not-offered' ? 'probe.starttls-not-offered' : 'probe.starttls-failed');
  else if (o.speaksTls === false) add('probe.not-tls');
  const accepted = o.protocolsAccepted ?? [];
  // With --as, the emulated client's verdict replaces the probe's own "modern client" judgement.
  const judgedByClient = o.emulated !== undefined;
  if (!judgedByClient && o.tcp === 'connected' && o.speaksTls !== false && o.protocolsAccepted && accepted.length === 0) add('probe.no-protocol-accepted');
  if (!judgedByClient && accepted.length > 0 && !accepted.some((p) => MODERN.includes(p))) add('probe.only-legacy-protocols');
  if (accepted.some((p) => p === 'TLSv1' || p === 'TLSv1.1' || p === 'SSLv3')) add('probe.legacy-protocol-enabled');
  if (accepted.includes('SSLv3')) add('probe.sslv3-enabled');
  const c = o.certificate;
  if (c) {
    if (c.expired) add('probe.cert-expired');
    if (c.notYetValid) add('probe.cert-not-yet-valid');
    if (!c.expired && c.daysLeft < EXPIRY_WARNING_DAYS) add('probe.cert-expiring-soon');
    if (c.selfSigned) add('probe.cert-self-signed');
    // A leaf alone whose issuer's name is a CA the store knows (but that did not sign it) reads as
    // an untrusted issuer first; any other leaf alone as a missing intermediate (diagnose.ts adds
    // the other reading as an alternative).
    if (c.chainComplete === false && c.chainShape !== 'leaf-alone-issuer-name-known') add('probe.chain-incomplete');
    else if ((c.trustedLenient ?? c.trusted) === false && !c.selfSigned) add('probe.cert-untrusted');
    if (c.weakReason) add('probe.cert-weak');
    if (c.hostnameMatches === false) add('probe.hostname-mismatch');
    if (c.weak) add('probe.weak-certificate');
  }
  const k = o.ciphers;
  if (k) {
    if (k.weakSuites.length > 0 || (k.dheBits !== null && k.dheBits < DHE_MIN_BITS)) add('probe.weak-cipher');
    if (!judgedByClient && k.modernClientAgrees === false && accepted.some((p) => MODERN.includes(p))) add('probe.no-modern-cipher');
  }
  if (o.emulated?.failure) signals.push(`probe.emulated.${o.emulated.failure}`);
  return signals;
}

/** One finding of a probe: every cause that holds, the primary first. */
export interface ProbeFinding {
  readonly cause: CauseId;
  readonly team: Role;
  readonly title: string;
}

/** `probe --as CLIENT`: that client's own verdict (the diagnosis leads with it when it would not connect). */
export interface EmulatedVerdict {
  readonly client: string;
  readonly name: string;
  readonly wouldConnect: boolean | null;
  /** The cause of its failure; `healthy` when it would connect, `unknown` when the server did not answer. */
  readonly cause: CauseId;
  readonly reason: string;
}

export type ProbeDiagnosis = Diagnosis & { findings: ProbeFinding[]; emulated?: EmulatedVerdict };
