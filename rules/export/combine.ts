import { adviseFromExport, type ExportAdvice } from './advice.js';
import type { DiagnosisWithExport, ExportDiagnosis } from './signals.js';
import type { Diagnosis, Warning } from '../types.js';
import { CAUSES } from '../vocabulary.js';

// Exports join an incident's diagnosis after logs, probes and certificates are combined
// (combine.ts). A configuration never outranks evidence of a failure: with a failure, the export
// only sharpens the next steps (the exact profile setting first); without any, the newest export's
// own diagnosis (no failure, its summary and warnings) speaks for the incident.

export interface ExportEvidence {
  /** Evidence number in the incident. */
  readonly id: number;
  readonly diagnosis: ExportDiagnosis;
}

export function combineWithExports(diagnosis: Diagnosis | undefined, exports: readonly ExportEvidence[]): DiagnosisWithExport | undefined {
  if (exports.length === 0) return diagnosis;
  const newest = [...exports].sort((a, b) => b.id - a.id);
  const lead = newest[0] as ExportEvidence;
  const warnings = (base: readonly Warning[]): Warning[] => {
    const byId = new Map<string, Warning>();
    for (const w of [...base, ...newest.flatMap((e) => e.diagnosis.warnings)]) if (!byId.has(w.id)) byId.set(w.id, w);
    return [...byId.values()];
  };
  if (!diagnosis || diagnosis.cause === 'unknown') {
    const line = { line: 0, text: `export ${lead.diagnosis.domainExport.name}: ${lead.diagnosis.title}`, document: lead.id };
    return { ...lead.diagnosis, evidence: [line], keyLine: line, warnings: warnings(lead.diagnosis.warnings), redHerringPresent: diagnosis?.redHerringPresent ?? false };
  }
  const combined: DiagnosisWithExport = { ...diagnosis, warnings: warnings(diagnosis.warnings) };
  if (CAUSES[diagnosis.cause].kind !== 'failure') return combined;
  // The newest export that pins down a profile wins; else the newest one's word (another domain...).
  let chosen: { id: number; advice: ExportAdvice } | undefined;
  for (const e of newest) {
    const advice = adviseFromExport(diagnosis, e.diagnosis.domainExport);
    if (!advice) continue;
    if (advice.settings.length > 0) {
      chosen = { id: e.id, advice };
      break;
    }
    chosen ??= { id: e.id, advice };
  }
  if (!chosen) return combined;
  const { id, advice } = chosen;
  return {
    ...combined,
    nextSteps: [...advice.steps, ...diagnosis.nextSteps.filter((s) => !advice.steps.includes(s))],
    exportSettings: advice.settings.map((s) => ({ ...s, document: id })),
  };
}

/**
 * One input (the CLI's file, one paste) that is an export: its diagnosis, sharpened by log lines in
 * the same text when there are any (an export pasted under the log lines it explains).
 */
export function combineExportInput(log: Diagnosis, exported: ExportDiagnosis): DiagnosisWithExport {
  if (log.cause === 'unknown') return { ...exported, redHerringPresent: log.redHerringPresent };
  const sharpened = combineWithExports(log, [{ id: 0, diagnosis: exported }]) as DiagnosisWithExport;
  const { exportSettings, ...rest } = sharpened;
  // In a single input there is no evidence number to point at.
  return { ...rest, ...(exportSettings ? { exportSettings: exportSettings.map(({ document: _d, ...s }) => s) } : {}), domainExport: exported.domainExport } as DiagnosisWithExport;
}
