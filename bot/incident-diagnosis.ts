import { combineDiagnoses, combineWithExports, type CaptureEvidence, type CertificateEvidence, type ChecklistEntry, type Diagnoser, type Diagnosis, type ExportEvidence, type ListenEvidence, type ProbeEvidence } from '../rules/index.js';
import { nextTurn } from './pause.js';
import type { DiagnosisSummary, Incident, NewEvidence } from './store/types.js';
import type { IncidentNote, MustGatherAsk } from './types.js';

// An incident's diagnosis is recomputed from all of its evidence with the current rules (a rule
// fixed today improves yesterday's incident): every text together, every probe and every
// certificate observation re-diagnosed (certificates as checked when they arrived). DataPower
// exports come last: they sharpen the next steps of a logged failure (rules/export/combine.ts).

const ASKS_PER_REPLY = 2;

export interface IncidentDiagnosis {
  readonly diagnosis: Diagnosis;
  readonly checklist: ChecklistEntry[];
  /** Highest evidence seq included. */
  readonly basedOn: number;
}

export async function diagnoseIncident(diagnoser: Diagnoser, incident: Incident): Promise<IncidentDiagnosis> {
  const documents = incident.evidence.flatMap((e) => (e.text !== undefined ? [{ id: e.seq, text: e.text }] : []));
  const log = documents.length > 0 ? await diagnoser.diagnoseDocuments(documents, nextTurn) : undefined;
  const probes: ProbeEvidence[] = [];
  const certificates: CertificateEvidence[] = [];
  const exports: ExportEvidence[] = [];
  const captures: CaptureEvidence[] = [];
  const listeners: ListenEvidence[] = [];
  for (const e of incident.evidence) {
    if (e.listen) listeners.push({ id: e.seq, diagnosis: await diagnoser.diagnoseListen(e.listen) });
    if (e.capture) captures.push({ id: e.seq, diagnosis: await diagnoser.diagnoseCapture(e.capture) });
    if (e.observation) probes.push({ id: e.seq, diagnosis: await diagnoser.diagnoseProbe(e.observation) });
    if (e.certificates) certificates.push({ id: e.seq, diagnosis: await diagnoser.diagnoseCertificates(e.certificates) });
    if (e.domainExport) exports.push({ id: e.seq, diagnosis: await diagnoser.diagnoseExport(e.domainExport) });
  }
  const diagnosis = combineWithExports(combineDiagnoses(log, probes, certificates, captures, listeners), exports) ?? nothingYet(incident);
  const held = new Set(incident.evidence.flatMap((e) => e.gathered));
  const basedOn = incident.evidence.reduce((max, e) => Math.max(max, e.seq), 0);
  // The checklist fits every stack the incident's evidence shows, not only the leading diagnosis's:
  // a DataPower export or log beside a probe still asks for DataPower's items, a probe alone does not.
  const stacks = [
    ...(log?.stacks ?? []),
    ...(diagnosis.stacks ?? []),
    ...(probes.length > 0 ? ['probe'] : []),
    ...(exports.length > 0 ? ['datapower-export'] : []),
  ];
  const checklist = diagnoser.mustGather.checklist(held, stacks.length > 0 ? { ...diagnosis, stacks: [...new Set(stacks)] } : diagnosis);
  return { diagnosis, checklist, basedOn };
}

export function summarize(diagnosis: Diagnosis, basedOn: number, at: string): DiagnosisSummary {
  return {
    cause: diagnosis.cause,
    team: diagnosis.team,
    title: diagnosis.title,
    redHerringOnly: diagnosis.redHerringOnly,
    basedOn,
    at,
    ...(diagnosis.owner ? { owner: diagnosis.owner } : {}),
  };
}

/** The new evidence holds an export whose settings now lead the next steps of a failure. */
export function sharpenedByExport(records: readonly NewEvidence[], diagnosis: Diagnosis): boolean {
  return records.some((r) => r.domainExport !== undefined) && 'exportSettings' in diagnosis;
}

export function changed(was: DiagnosisSummary, now: DiagnosisSummary): boolean {
  return was.cause !== now.cause || was.team !== now.team;
}

export function noteFor(result: IncidentDiagnosis, evidenceCount: number, reopened = false): IncidentNote {
  const asks: MustGatherAsk[] = result.checklist
    .filter((entry) => !entry.held)
    .slice(0, ASKS_PER_REPLY)
    .map(({ id, title, how }) => ({ id, title, how }));
  return reopened ? { evidenceCount, asks, reopened } : { evidenceCount, asks };
}

function nothingYet(incident: Incident): Diagnosis {
  const files = incident.evidence.length;
  return {
    cause: 'unknown',
    team: 'none',
    title: 'No log lines, certificates or probe results in this incident yet',
    explanation: `The incident holds ${files} file(s) that are not log text or certificates. Paste the SSL library error lines of a failing handshake, or probe the endpoint, to get a diagnosis.`,
    vantage: 'unknown',
    redHerringPresent: false,
    redHerringOnly: false,
    evidence: [],
    nextSteps: ['tls-triage probe <host>:<port>'],
    warnings: [],
    others: [],
  };
}
