import type { CaptureDiagnosis } from './capture/diagnose.js';
import type { CertificateDiagnosis } from './certificates/signals.js';
import type { ProbeDiagnosis } from './probe/signals.js';
import type { ListenDiagnosis } from './listen/signals.js';
import type { Diagnosis, OtherCause, Warning } from './types.js';
import { CAUSES } from './vocabulary.js';

// One diagnosis for an incident that holds log lines, live probes and certificate files. Logs show
// the handshake that failed, so among failures they lead; a probe or a certificate leads when the
// logs show no failure (only the red herring, or nothing), and the most recent of those speaks for
// the current state.

export interface ProbeEvidence {
  /** Evidence number in the incident. */
  readonly id: number;
  readonly diagnosis: ProbeDiagnosis;
}

export interface CertificateEvidence {
  /** Evidence number in the incident. */
  readonly id: number;
  readonly diagnosis: CertificateDiagnosis;
}

export interface CaptureEvidence {
  /** Evidence number in the incident. */
  readonly id: number;
  readonly diagnosis: CaptureDiagnosis;
}

/** What a listener saw of clients (rules/listen), as one piece of an incident's evidence. */
export interface ListenEvidence {
  /** Evidence number in the incident. */
  readonly id: number;
  readonly diagnosis: ListenDiagnosis;
}

type Observed =
  | { kind: 'probe'; id: number; diagnosis: ProbeDiagnosis }
  | { kind: 'certificate'; id: number; diagnosis: CertificateDiagnosis }
  | { kind: 'capture'; id: number; diagnosis: CaptureDiagnosis }
  | { kind: 'listen'; id: number; diagnosis: ListenDiagnosis };

const RANK = { failure: 0, 'red-herring': 1, success: 2, none: 3 } as const;

// Packet captures rank with probes and certificates: a capture that leads keeps its ladder attached.
export function combineDiagnoses(log: Diagnosis | undefined, probes: readonly ProbeEvidence[], certificates: readonly CertificateEvidence[] = [], captures: readonly CaptureEvidence[] = [], listeners: readonly ListenEvidence[] = []): Diagnosis | undefined {
  const candidates: { diagnosis: Diagnosis; observed?: Observed }[] = [];
  if (log && log.cause !== 'unknown') candidates.push({ diagnosis: log });
  const observed: Observed[] = [
    ...probes.map((p): Observed => ({ kind: 'probe', id: p.id, diagnosis: p.diagnosis })),
    ...certificates.map((c): Observed => ({ kind: 'certificate', id: c.id, diagnosis: c.diagnosis })),
    ...captures.map((c): Observed => ({ kind: 'capture', id: c.id, diagnosis: c.diagnosis })),
    ...listeners.map((l): Observed => ({ kind: 'listen', id: l.id, diagnosis: l.diagnosis })),
  ];
  for (const o of observed.sort((a, b) => b.id - a.id)) candidates.push({ diagnosis: o.diagnosis, observed: o });
  if (candidates.length === 0) return log;
  // Stable sort: logs before probes and certificates, later evidence before earlier, within one rank.
  candidates.sort((a, b) => RANK[CAUSES[a.diagnosis.cause].kind] - RANK[CAUSES[b.diagnosis.cause].kind]);
  const [lead, ...rest] = candidates as [(typeof candidates)[number], ...typeof candidates];
  const primary: Diagnosis = { ...lead.diagnosis };
  if (lead.observed) {
    primary.evidence = [observedLine(lead.observed)];
    primary.keyLine = observedLine(lead.observed);
  }
  const others: OtherCause[] = [...lead.diagnosis.others];
  for (const other of rest) {
    const d = other.diagnosis;
    if (d.cause === primary.cause || others.some((o) => o.cause === d.cause)) continue;
    others.push({ cause: d.cause, team: d.team, count: d.count ?? 1, example: other.observed ? observedLine(other.observed) : (d.evidence[0] ?? { line: 0, text: d.title }) });
  }
  primary.others = others;
  const warnings = new Map<string, Warning>();
  for (const c of [lead, ...rest]) for (const w of c.diagnosis.warnings) if (!warnings.has(w.id)) warnings.set(w.id, w);
  primary.warnings = [...warnings.values()];
  if (log) {
    primary.redHerringPresent = log.redHerringPresent;
    primary.redHerringOnly = primary.cause === 'red-herring-only';
  }
  return primary;
}

function observedLine(o: Observed): { line: number; text: string; document: number } {
  if (o.kind === 'capture') {
    const count = o.diagnosis.count && o.diagnosis.count > 1 ? ` (${o.diagnosis.count} connections)` : '';
    return { line: 0, text: `capture ${o.diagnosis.capture.name}: ${o.diagnosis.title}${count}`, document: o.id };
  }
  if (o.kind === 'listen') {
    const count = o.diagnosis.count && o.diagnosis.count > 1 ? ` (${o.diagnosis.count} connections)` : '';
    return { line: 0, text: `listener: ${o.diagnosis.title}${count}`, document: o.id };
  }
  if (o.kind === 'certificate') {
    const titles = [o.diagnosis.title, ...o.diagnosis.others.map((x) => x.example.text)].join('; ');
    return { line: 0, text: `certificate ${o.diagnosis.certificateChain.name}: ${titles}`, document: o.id };
  }
  const d = o.diagnosis;
  const findings = d.cause === 'healthy' ? d.title : d.findings.map((f) => f.title).join('; ');
  return { line: 0, text: `probe: ${findings}`, document: o.id };
}

/**
 * One input (a paste, a file) that holds log lines and certificates. The same order as an
 * incident: a log failure leads, else the certificates' verdict; the details stay attached.
 */
export function combineInput(log: Diagnosis, certificates: CertificateDiagnosis): CertificateDiagnosis {
  const logLeads = log.cause !== 'unknown' && RANK[CAUSES[log.cause].kind] <= RANK[CAUSES[certificates.cause].kind];
  const [lead, other] = logLeads ? [log, certificates] : [certificates, log];
  const others: OtherCause[] = [...lead.others];
  if (CAUSES[other.cause].kind !== 'none' && other.cause !== lead.cause && !others.some((o) => o.cause === other.cause)) {
    const example = other === certificates ? { line: 0, text: `certificate ${certificates.certificateChain.name}: ${other.title}` } : (other.evidence[0] ?? { line: 0, text: other.title });
    others.push({ cause: other.cause, team: other.team, count: other.count ?? 1, example });
  }
  const warnings = new Map<string, Warning>();
  for (const w of [...lead.warnings, ...other.warnings]) if (!warnings.has(w.id)) warnings.set(w.id, w);
  return {
    ...lead,
    others,
    warnings: [...warnings.values()],
    redHerringPresent: log.redHerringPresent,
    redHerringOnly: logLeads && log.redHerringOnly,
    certificates: certificates.certificates,
    certificateChain: certificates.certificateChain,
  };
}
