import { hostOf } from '../host-port.js';
import { describeOwner } from '../owner.js';
import type { RuleEngine } from '../engine/rule-engine.js';
import { probeSignals, type EmulatedVerdict, type ProbeDiagnosis, type ProbeObservation } from './signals.js';
import type { GroupFacts } from '../logs/fact-buckets.js';
import type { Alternative, LineContext } from '../types.js';
import { primaryOf, warningsOf } from '../engine/verdict.js';

/** Diagnoses a probe observation with the same engine as logs: primary cause, findings, warnings. */
export async function diagnoseProbe(observation: ProbeObservation, engine: RuleEngine): Promise<ProbeDiagnosis> {
  const signals = probeSignals(observation).sort();
  const facts: GroupFacts = { signals, vantage: 'client', sources: ['probe'], causalSignals: signals.length };
  const verdict = await engine.evaluateAll(facts);
  const context: LineContext = { server: observation.target, source: 'probe' };
  const fill = filler(observation);
  const findings = verdict.diagnoses.map((d) => ({ cause: d.params.cause, team: d.params.team, title: fill(d.params.title) }));
  const warnings = warningsOf(verdict.warnings, fill);
  const primary = primaryOf(verdict.diagnoses, fill);
  const emulated = observation.emulated ? { emulated: await emulatedVerdict(observation, engine) } : {};
  if (!primary) {
    return {
      ...emulated,
      cause: 'healthy',
      team: 'none',
      title: observation.emulated ? `${observation.emulated.name} would connect to ${observation.target}: ${observation.emulated.reason}` : `${observation.target} completed a TLS handshake: nothing to fix`,
      explanation:
        warnings.length > 0
          ? 'The endpoint accepts a modern TLS handshake with a valid, trusted certificate for this name. The warnings below still deserve a ticket.'
          : 'The endpoint accepts a modern TLS handshake with a valid, trusted certificate for this name.',
      vantage: 'client',
      redHerringPresent: false,
      redHerringOnly: false,
      evidence: [],
      nextSteps: [],
      warnings,
      others: [],
      findings: [{ cause: 'healthy', team: 'none', title: 'healthy' }],
    };
  }
  const owner = describeOwner(primary.team, 'client', context);
  const alternatives = alternativesOf(primary.cause, observation, fill);
  return {
    ...emulated,
    ...primary,
    ...(alternatives.length > 0 ? { alternatives } : {}),
    vantage: 'client',
    redHerringPresent: false,
    redHerringOnly: false,
    evidence: [],
    warnings,
    findings,
    ...(owner ? { owner } : {}),
  };
}

/**
 * A leaf sent alone with an unknown issuer fits two causes whose teams differ: a missing
 * intermediate (server) or a private CA the probe does not hold (client). The primary is the
 * reading the chain favours; the other is named with the check that tells them apart.
 */
function alternativesOf(cause: string, o: ProbeObservation, fill: (text: string) => string): Alternative[] {
  const shape = o.certificate?.chainShape;
  if (cause === 'server-chain-incomplete' && shape === 'leaf-alone-unknown-issuer') {
    return [
      {
        cause: 'server-cert-untrusted',
        team: 'client',
        check: fill('If the leaf comes from a private CA: tls-triage probe {server} --ca private-ca.pem (or set certificates.caFiles); if it then verifies, clients lack the CA and nothing is missing on the server'),
      },
    ];
  }
  if (cause === 'server-cert-untrusted' && shape === 'leaf-alone-issuer-name-known') {
    return [
      {
        cause: 'server-chain-incomplete',
        team: 'server',
        check: fill('openssl s_client -connect {server} -servername {host} -showcerts </dev/null: a leaf alone, not signed by the trusted CA of its issuer name, may still need an intermediate of that name'),
      },
    ];
  }
  return [];
}

/** Placeholders of the probe's rule texts: the target, the STARTTLS protocol, the emulated client. */
function filler(o: ProbeObservation): (text: string) => string {
  const values: Record<string, string> = {
    server: o.target,
    host: hostOf(o.target),
    target: o.starttls ? `${o.starttls.id}://${o.target}` : o.target,
    service: o.service?.label ?? o.starttls?.label ?? 'another protocol',
    suggested: o.service?.suggestedTarget ?? o.target,
    banner: o.service?.banner ?? '',
    starttls: o.starttls?.label ?? 'its protocol',
    starttlsId: o.starttls?.id ?? 'smtp',
    client: o.emulated?.name ?? 'the client',
    reason: o.emulated?.reason ?? o.starttlsFailure?.message ?? '',
  };
  return (text) => text.replace(/\{(server|host|target|service|suggested|banner|starttls|starttlsId|client|reason)\}/g, (_, k: string) => values[k] ?? k);
}

/** The emulated client's verdict alone: its failure through the same rules, without the other findings. */
async function emulatedVerdict(o: ProbeObservation, engine: RuleEngine): Promise<EmulatedVerdict> {
  const e = o.emulated as NonNullable<ProbeObservation['emulated']>;
  let cause: EmulatedVerdict['cause'] = e.wouldConnect === true ? 'healthy' : 'unknown';
  if (e.failure) {
    const signals = [`probe.emulated.${e.failure}`];
    const verdict = await engine.evaluateAll({ signals, vantage: 'client', sources: ['probe'], causalSignals: 1 });
    cause = verdict.diagnoses[0]?.params.cause ?? 'handshake-aborted';
  }
  return { client: e.client, name: e.name, wouldConnect: e.wouldConnect, cause, reason: e.reason };
}
