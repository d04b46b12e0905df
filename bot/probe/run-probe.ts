import type { Logger } from 'pino';
import type { ProbeDiagnosis, ProbeObservation, ProbedProtocol } from '../../rules/probe/signals.js';
import type { ProbeDiagnoser } from '../../rules/probe/diagnoser.js';
import { auditProbe } from './audit.js';
import { runProbeEngine, type ProbeEngineReport } from './engine.js';
import { checkProbeTarget, type ProbePolicyConfig } from './policy.js';
import { resolveTarget, type LookupFn } from './resolve.js';
import { formatTarget, parseTarget, stripChatMarkup } from './target.js';
import { toProbeJson, type ProbeJson } from './probe-json.js';
import { SCHEME_OF, STARTTLS_LABELS, type StartTlsProtocol } from './starttls/schemes.js';
import type { ClientProfile } from './client-profiles.js';

// One probe from request to diagnosis: parse the target, resolve it once, check every address
// against the policy, connect only to a checked address (no second lookup: no DNS rebinding), run
// the engine, and diagnose its findings with the same rules as logs. Every decision is audited.

export interface ProbeRequest {
  readonly input: string;
  readonly servername?: string;
  readonly extraCaPem?: string[];
  readonly ciphers: boolean;
  readonly timeoutMs: number;
  /** --starttls PROTO: the same as a target written PROTO://host:port. */
  readonly starttls?: StartTlsProtocol;
  /** --as CLIENT: that client's hello too, and its verdict leads the diagnosis. */
  readonly emulate?: ClientProfile;
}

export interface ProbeContext {
  readonly policy: ProbePolicyConfig;
  readonly diagnoser: ProbeDiagnoser;
  readonly logger: Logger;
  /** Where the audit lines go: the log by default (the bot, at info), or a CLI's audit file. */
  readonly audit?: Logger | readonly Logger[];
  readonly who?: { user?: string; channel?: string; platform?: string };
  readonly lookup?: LookupFn;
}

export type ProbeRun =
  | { ok: true; result: ProbeJson; observation: ProbeObservation }
  | { ok: false; kind: 'usage'; message: string }
  | { ok: false; kind: 'refused'; message: string; rule: string };

export async function runProbe(request: ProbeRequest, context: ProbeContext): Promise<ProbeRun> {
  const started = Date.now();
  const deadline = started + request.timeoutMs;
  const input = withStartTls(request.input, request.starttls);
  if (!input.ok) return { ok: false, kind: 'usage', message: input.message };
  const parsed = parseTarget(input.text);
  if (!parsed.ok) return { ok: false, kind: 'usage', message: `cannot probe "${request.input}": ${parsed.error}` };
  const target = parsed.target;
  const label = formatTarget(target);
  const audit = { ...context.who, target: { host: target.host, port: target.port } };

  const resolved = await resolveTarget(target, context.lookup, { timeoutMs: Math.max(1, Math.min(5000, deadline - Date.now())) });
  const dnsStep = { name: 'dns', outcome: resolved.ok ? 'resolved' : 'failed', ms: resolved.ms, ...(resolved.ok ? { detail: resolved.addresses.join(', ') } : { detail: resolved.message }) };
  if (!resolved.ok) {
    const observation: ProbeObservation = { target: label, dnsFailed: true };
    const diagnosis = await context.diagnoser.diagnoseProbe(observation);
    auditProbe(context.audit ?? context.logger, { ...audit, addresses: [], verdict: 'allowed', cause: diagnosis.cause, durationMs: Date.now() - started });
    return { ok: true, result: toProbeJson(label, [], diagnosis, undefined, [dnsStep], Date.now() - started), observation };
  }
  const verdict = checkProbeTarget(context.policy, target, resolved.addresses);
  if (!verdict.allowed) {
    auditProbe(context.audit ?? context.logger, { ...audit, addresses: resolved.addresses, verdict: 'refused', rule: verdict.rule });
    return { ok: false, kind: 'refused', message: verdict.message, rule: verdict.rule };
  }
  const address = resolved.addresses[0] as string;
  const servername = request.servername ?? (target.isIp ? undefined : target.host);
  const report = await runProbeEngine({
    address,
    port: target.port,
    ...(servername ? { servername } : {}),
    ...(request.extraCaPem ? { extraCaPem: request.extraCaPem } : {}),
    ciphers: request.ciphers,
    deadline,
    ...(target.starttls ? { starttls: target.starttls } : {}),
    ...(request.emulate ? { emulate: request.emulate } : {}),
  });
  const observation = observe(label, report);
  const diagnosis: ProbeDiagnosis = await context.diagnoser.diagnoseProbe(observation);
  const durationMs = Date.now() - started;
  auditProbe(context.audit ?? context.logger, { ...audit, addresses: resolved.addresses, verdict: 'allowed', cause: diagnosis.cause, durationMs });
  return { ok: true, result: toProbeJson(label, resolved.addresses, diagnosis, report, [dnsStep, ...report.steps], durationMs), observation };
}

/** --starttls PROTO on a target without a scheme reads as PROTO://target (its default port too). */
function withStartTls(raw: string, starttls: StartTlsProtocol | undefined): { ok: true; text: string } | { ok: false; message: string } {
  if (!starttls) return { ok: true, text: raw };
  const text = stripChatMarkup(raw);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { ok: true, text: `${SCHEME_OF[starttls]}://${text}` };
  const parsed = parseTarget(text);
  if (parsed.ok && parsed.target.starttls === starttls) return { ok: true, text };
  return { ok: false, message: `cannot probe "${raw}": --starttls ${starttls} does not go with a ${scheme}:// target` };
}

/** Reduces the engine's report to what the rules look at. */
export function observe(target: string, report: ProbeEngineReport): ProbeObservation {
  const c = report.certificate;
  const k = report.cipherChecks;
  const s = report.speaksTls;
  const starttls = report.target.starttls;
  return {
    target,
    tcp: report.tcp.outcome,
    speaksTls: s.value,
    spoke: s.spoke,
    ...(starttls ? { starttls: { id: starttls, label: STARTTLS_LABELS[starttls] } } : {}),
    ...(s.starttlsFailure ? { starttlsFailure: { reason: s.starttlsFailure.reason, message: s.starttlsFailure.message } } : {}),
    ...(s.service ? { service: { label: STARTTLS_LABELS[s.service.protocol], suggestedTarget: `${SCHEME_OF[s.service.protocol]}://${target}`, banner: s.service.banner } } : {}),
    ...(report.emulation
      ? { emulated: { client: report.emulation.client, name: report.emulation.name, wouldConnect: report.emulation.verdict.wouldConnect, reason: report.emulation.verdict.reason, ...(report.emulation.verdict.failure ? { failure: report.emulation.verdict.failure } : {}) } }
      : {}),
    ...(report.tcp.outcome === 'connected' && report.speaksTls.value !== false
      ? { protocolsAccepted: report.protocols.filter((p) => p.accepted).map((p) => p.protocol as ProbedProtocol) }
      : {}),
    ...(c
      ? {
          certificate: {
            expired: c.expired,
            notYetValid: c.notYetValid,
            daysLeft: c.daysLeft,
            selfSigned: c.selfSigned,
            chainComplete: c.chainComplete,
            trusted: c.trusted,
            hostnameMatches: c.hostnameMatches,
            weak: c.weaknesses.length > 0,
            trustedLenient: c.trustedLenient,
            chainShape: c.chainShape,
            ...(c.weakReason ? { weakReason: c.weakReason } : {}),
          },
        }
      : {}),
    ...(k
      ? {
          ciphers: {
            weakSuites: k.weakSuites.map((w) => `${w.protocol} ${w.suite.openssl ?? w.suite.iana} (${w.reason})`),
            dheBits: k.dheBits,
            modernClientAgrees: k.modernClientAgrees,
          },
        }
      : {}),
  };
}
