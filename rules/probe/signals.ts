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
  };
}

/** Every signal a probe can emit; rule files may reference them like signature signals. */
export const PROBE_SIGNALS = [
  'probe.dns-failure', 'probe.tcp-refused', 'probe.tcp-timeout', 'probe.tcp-reset', 'probe.tcp-unreachable',
  'probe.not-tls', 'probe.no-protocol-accepted', 'probe.only-legacy-protocols', 'probe.legacy-protocol-enabled',
  'probe.sslv3-enabled', 'probe.cert-expired', 'probe.cert-not-yet-valid', 'probe.cert-expiring-soon',
  'probe.cert-self-signed', 'probe.cert-untrusted', 'probe.chain-incomplete', 'probe.hostname-mismatch',
  'probe.weak-certificate',
] as const;

const EXPIRY_WARNING_DAYS = 30;
const MODERN: readonly ProbedProtocol[] = ['TLSv1.2', 'TLSv1.3'];

export function probeSignals(o: ProbeObservation): string[] {
  const signals: string[] = [];
  const add = (s: (typeof PROBE_SIGNALS)[number]): void => void signals.push(s);
  if (o.dnsFailed) add('probe.dns-failure');
  if (o.tcp === 'refused') add('probe.tcp-refused');
  if (o.tcp === 'timeout') add('probe.tcp-timeout');
  if (o.tcp === 'reset') add('probe.tcp-reset');
  if (o.tcp === 'unreachable') add('probe.tcp-unreachable');
  if (o.speaksTls === false) add('probe.not-tls');
  const accepted = o.protocolsAccepted ?? [];
  if (o.tcp === 'connected' && o.speaksTls !== false && o.protocolsAccepted && accepted.length === 0) add('probe.no-protocol-accepted');
  if (accepted.length > 0 && !accepted.some((p) => MODERN.includes(p))) add('probe.only-legacy-protocols');
  if (accepted.some((p) => p === 'TLSv1' || p === 'TLSv1.1' || p === 'SSLv3')) add('probe.legacy-protocol-enabled');
  if (accepted.includes('SSLv3')) add('probe.sslv3-enabled');
  const c = o.certificate;
  if (c) {
    if (c.expired) add('probe.cert-expired');
    if (c.notYetValid) add('probe.cert-not-yet-valid');
    if (!c.expired && c.daysLeft < EXPIRY_WARNING_DAYS) add('probe.cert-expiring-soon');
    if (c.selfSigned) add('probe.cert-self-signed');
    if (c.chainComplete === false) add('probe.chain-incomplete');
    else if (c.trusted === false && !c.selfSigned) add('probe.cert-untrusted');
    if (c.hostnameMatches === false) add('probe.hostname-mismatch');
    if (c.weak) add('probe.weak-certificate');
  }
  return signals;
}

/** One finding of a probe: every cause that holds, the primary first. */
export interface ProbeFinding {
  readonly cause: CauseId;
  readonly team: Role;
  readonly title: string;
}

export type ProbeDiagnosis = Diagnosis & { findings: ProbeFinding[] };
