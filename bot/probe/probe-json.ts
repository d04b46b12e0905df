import type { ProbeDiagnosis } from '../../rules/probe/signals.js';
import type { CertificateReport, ProbeEngineReport } from './engine.js';
import { PROTOCOLS } from './engine.js';

// The `probe --json` shape of ../shared/spec/json-output.md: the diagnosis fields plus the probe's
// own. Kept apart from the engine's report so the engine can evolve without changing the contract.

export interface ProbeStepJson {
  name: string;
  outcome: string;
  ms: number;
  detail?: string;
}

export type ProbeJson = Omit<ProbeDiagnosis, 'emulated'> & {
  target: string;
  addresses: string[];
  reachable: boolean;
  speaksTls: boolean | null;
  protocols: Record<string, boolean>;
  ciphers?: Record<string, { openssl: string | null; iana: string }[]> & { serverPreference?: string };
  certificate: (Omit<CertificateReport, 'chainSource' | 'verifySource' | 'negotiatedProtocol'> & { chainSource: string }) | null;
  clientCertRequested: boolean | null;
  clientCertRequired: boolean | null;
  acceptableCAs: string[];
  clientAuthNote?: string;
  /** Weak suites seen accepted (all of them with --ciphers) and the DHE size; absent when no TLS was spoken. */
  keyExchange?: { weakSuites: { protocol: string; openssl: string | null; iana: string; reason: string }[]; dheBits: number | null; modernClientAgrees: boolean | null };
  steps: ProbeStepJson[];
  durationMs: number;
  /** The STARTTLS protocol the probe upgraded with (smtp://, ldap://, postgres://, --starttls). */
  starttls?: string;
  /** The upgrade failed before any TLS: the server's refusal. */
  starttlsError?: { reason: string; message: string; banner?: string };
  /** A plain probe met a protocol that speaks first: which, what it said, the target that probes its TLS. */
  service?: { protocol: string; banner: string; suggestedTarget: string };
  /** `--as CLIENT`: the diagnosis's verdict plus the profile and what was negotiated. */
  emulated?: NonNullable<ProbeDiagnosis['emulated']> & { version: string; source: string; negotiated?: NonNullable<ProbeEngineReport['emulation']>['negotiated']; partial?: string; handshakes: number };
};

export function toProbeJson(
  target: string,
  addresses: string[],
  diagnosis: ProbeDiagnosis,
  report: ProbeEngineReport | undefined,
  steps: ProbeStepJson[],
  durationMs: number,
): ProbeJson {
  const protocols: Record<string, boolean> = {};
  for (const name of PROTOCOLS) protocols[name] = report?.protocols.find((p) => p.protocol === name)?.accepted ?? false;
  const { emulated: _verdict, ...verdictless } = diagnosis;
  const json: ProbeJson = {
    ...verdictless,
    target,
    addresses,
    reachable: report?.tcp.outcome === 'connected',
    speaksTls: report ? report.speaksTls.value : null,
    protocols,
    certificate: report?.certificate ? certificateJson(report.certificate) : null,
    clientCertRequested: report?.clientAuth.requested ?? null,
    clientCertRequired: report?.clientAuth.required ?? null,
    acceptableCAs: report?.clientAuth.acceptableCAs ?? [],
    steps,
    durationMs,
  };
  if (report?.clientAuth.note) json.clientAuthNote = report.clientAuth.note;
  if (report?.target.starttls) json.starttls = report.target.starttls;
  if (report?.speaksTls.starttlsFailure) json.starttlsError = report.speaksTls.starttlsFailure;
  const e = report?.emulation;
  if (e && diagnosis.emulated) {
    json.emulated = { ...diagnosis.emulated, version: e.version, source: e.source, ...(e.negotiated ? { negotiated: e.negotiated } : {}), ...(e.partial ? { partial: e.partial } : {}), handshakes: e.handshakes };
  }
  const service = report?.speaksTls.service;
  if (service) json.service = { protocol: service.protocol, banner: service.banner, suggestedTarget: `${service.protocol}://${target}` };
  if (report?.cipherChecks) {
    const k = report.cipherChecks;
    json.keyExchange = {
      weakSuites: k.weakSuites.map((w) => ({ protocol: w.protocol, openssl: w.suite.openssl, iana: w.suite.iana, reason: w.reason })),
      dheBits: k.dheBits,
      modernClientAgrees: k.modernClientAgrees,
    };
  }
  if (report?.ciphers) {
    const ciphers: Record<string, { openssl: string | null; iana: string }[]> & { serverPreference?: string } = {};
    for (const p of report.ciphers.protocols) ciphers[p.protocol] = p.suites.map((s) => ({ openssl: s.openssl, iana: s.iana }));
    ciphers.serverPreference = report.ciphers.serverPreference;
    json.ciphers = ciphers;
  }
  return json;
}

function certificateJson(c: CertificateReport): NonNullable<ProbeJson['certificate']> {
  const { verifySource: _v, negotiatedProtocol: _n, ...rest } = c;
  return rest;
}
