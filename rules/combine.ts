import type { ProbeDiagnosis } from './probe-signals.js';
import type { Diagnosis, OtherCause, Warning } from './types.js';
import { CAUSES } from './vocabulary.js';

// One diagnosis for an incident that holds log lines and live probes. Logs show the handshake that
// failed, so among failures they lead; a probe leads when the logs show no failure (only the red
// herring, or nothing), and the most recent probe speaks for the endpoint's current state.

export interface ProbeEvidence {
  /** Evidence number in the incident. */
  readonly id: number;
  readonly diagnosis: ProbeDiagnosis;
}

const RANK = { failure: 0, 'red-herring': 1, success: 2, none: 3 } as const;

export function combineDiagnoses(log: Diagnosis | undefined, probes: readonly ProbeEvidence[]): Diagnosis | undefined {
  const candidates: { diagnosis: Diagnosis; probe?: ProbeEvidence }[] = [];
  if (log && log.cause !== 'unknown') candidates.push({ diagnosis: log });
  for (const probe of [...probes].reverse()) candidates.push({ diagnosis: probe.diagnosis, probe });
  if (candidates.length === 0) return log;
  // Stable sort: logs before probes, later probes before earlier ones, within one rank.
  candidates.sort((a, b) => RANK[CAUSES[a.diagnosis.cause].kind] - RANK[CAUSES[b.diagnosis.cause].kind]);
  const [lead, ...rest] = candidates as [(typeof candidates)[number], ...typeof candidates];
  const primary: Diagnosis = { ...lead.diagnosis };
  if (lead.probe) {
    primary.evidence = [probeLine(lead.probe)];
    primary.keyLine = probeLine(lead.probe);
  }
  const others: OtherCause[] = [...lead.diagnosis.others];
  for (const other of rest) {
    const d = other.diagnosis;
    if (d.cause === primary.cause || others.some((o) => o.cause === d.cause)) continue;
    others.push({ cause: d.cause, team: d.team, count: d.count ?? 1, example: other.probe ? probeLine(other.probe) : (d.evidence[0] ?? { line: 0, text: d.title }) });
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

function probeLine(probe: ProbeEvidence): { line: number; text: string; document: number } {
  const d = probe.diagnosis;
  const findings = d.cause === 'healthy' ? d.title : d.findings.map((f) => f.title).join('; ');
  return { line: 0, text: `probe: ${findings}`, document: probe.id };
}
