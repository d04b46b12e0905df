import { combineExportInput, combineInput, pushPaced, removePrivateKeys, type CertificateObservation, type Diagnoser, type Diagnosis, type ExportObservation } from '../rules/index.js';
import { observeCaptureUpload } from './capture/input.js';
import { readCaFiles } from './certificates/ca-files.js';
import { inspectDer, inspectText, type Inspection } from './certificates/inspect.js';
import type { ObserveOptions } from './certificates/observe.js';
import { declaredRole, roleFromFileName } from './certificates/role-hint.js';
import { exportFromText, exportFromZip, exportGathered } from './export/evidence.js';
import type { ExportInspection } from './export/read.js';
import { readFile } from './evidence-file.js';
import { sha256Paced, storedBytes } from './evidence-pack.js';
import type { InputLimits } from './input-limits.js';
import { nextTurn } from './pause.js';
import type { NewEvidence } from './store/types.js';
import type { Message } from './types.js';

// Turns what a message carries (pasted text, attached files) into incident evidence: private keys
// cut out and counted, MustGather items recognised, certificates read and checked, and text with
// nothing TLS in it left out so chatter never enters an incident.

export interface CollectedEvidence {
  readonly records: NewEvidence[];
  /** Private key blocks or key files that were seen and dropped. */
  readonly privateKeys: number;
  /** Files that could not be used, with the reason (shown when the bot was addressed). */
  readonly problems: string[];
  /** The pasted text's own diagnosis (what a message outside any incident gets as reply). */
  readonly pasteDiagnosis?: Diagnosis;
}

export async function collectEvidence(message: Message, text: string, diagnoser: Diagnoser, limits: InputLimits, at: string, caFiles: readonly string[] = []): Promise<CollectedEvidence> {
  const records: NewEvidence[] = [];
  const problems: string[] = [];
  let privateKeys = 0;
  const base = { user: message.user, at, ...(message.eventId ? { eventId: message.eventId } : {}) };
  // Words in the message ("our client cert") say what its certificates are for; a file's name may too.
  const certificateOptions = (name: string | undefined): ObserveOptions => {
    const role = declaredRole(text) ?? (name ? roleFromFileName(name) : undefined);
    return { name: name ?? 'pasted.pem', extraCaPem: readCaFiles(caFiles), ...(role ? { declaredRole: role } : {}) };
  };
  const certificatesOf = (inspection: Inspection | undefined, name: string | undefined): CertificateObservation | undefined => {
    for (const problem of inspection?.problems ?? []) problems.push(`${name ?? 'paste'}: ${problem}`);
    return inspection?.observation;
  };
  // A DataPower export (bot/export): its reading problems already name the input.
  const exportOf = (inspection: ExportInspection | undefined): ExportObservation | undefined => {
    if (inspection && 'problem' in inspection) problems.push(inspection.problem);
    return inspection && 'observation' in inspection ? inspection.observation : undefined;
  };

  const fromText = async (raw: string, kind: 'paste' | 'file', name?: string): Promise<Diagnosis | undefined> => {
    // Each pass over a long text is its own turn of the event loop (a pass over 20 MiB is tens of ms).
    const redacted = removePrivateKeys(raw);
    privateKeys += redacted.removed;
    if (redacted.text.trim().length === 0) return undefined;
    const diagnosis = await diagnoser.diagnoseText(redacted.text, nextTurn);
    await nextTurn();
    const certificates = certificatesOf(inspectText(redacted.text, certificateOptions(name)), name);
    await nextTurn();
    const gathered = new Set([...(await gatheredFrom(diagnoser, redacted.text)), ...diagnoser.mustGather.fromDiagnosis(diagnosis)]);
    if (certificates) for (const item of diagnoser.mustGather.fromFile('der-certificate')) gathered.add(item);
    await nextTurn();
    const exported = exportOf(await exportFromText(redacted.text, name ?? 'paste', limits.xml));
    await nextTurn();
    if (exported) for (const item of exportGathered(diagnoser.mustGather, exported)) gathered.add(item);
    const holdsEvidence = diagnosis.evidence.length > 0 || diagnosis.redHerringPresent || diagnosis.warnings.length > 0 || gathered.size > 0;
    if (holdsEvidence) {
      records.push({ ...base, kind, ...(name ? { name } : {}), text: redacted.text, bytes: Buffer.byteLength(raw), gathered: [...gathered], ...(certificates ? { certificates } : {}), ...(exported ? { domainExport: exported } : {}) });
    }
    // A paste of log lines and certificates is both: one reply says what each shows.
    const answered = certificates ? combineInput(diagnosis, await diagnoser.diagnoseCertificates(certificates)) : diagnosis;
    return exported ? combineExportInput(answered, await diagnoser.diagnoseExport(exported)) : answered;
  };

  const pasteDiagnosis = text.trim().length > 0 ? await fromText(text, 'paste') : undefined;
  for (const file of message.files ?? []) {
    const outcome = await readFile(file, limits);
    if (outcome.kind === 'problem') problems.push(`${file.name}: ${outcome.reason}`);
    else if (outcome.kind === 'private-key') privateKeys += 1;
    else if (outcome.kind === 'text') await fromText(outcome.text, 'file', file.name);
    else {
      const certificates = outcome.fileKind === 'der-certificate' ? certificatesOf(inspectDer(outcome.bytes, certificateOptions(file.name)), file.name) : undefined;
      const domainExport = outcome.fileKind === 'datapower-export' ? exportOf(await exportFromZip(outcome.bytes, file.name, limits.xml)) : undefined;
      const captured = outcome.fileKind === 'pcap' || outcome.fileKind === 'pcapng' ? await observeCaptureUpload(outcome.bytes, file.name) : undefined;
      // A capture that cannot be read is said, not kept: it would only claim the MustGather item.
      if (captured && 'problem' in captured) {
        problems.push(captured.problem);
        continue;
      }
      records.push({
        ...base,
        kind: 'file',
        name: file.name,
        ...(await storedBytes(file.bytes)),
        bytes: file.bytes.length,
        gathered: domainExport ? exportGathered(diagnoser.mustGather, domainExport) : diagnoser.mustGather.fromFile(outcome.fileKind),
        sha256: await sha256Paced(file.bytes),
        ...(certificates ? { certificates } : {}),
        ...(domainExport ? { domainExport } : {}),
        ...(captured ? { capture: captured.observation } : {}),
      });
    }
  }
  return { records, privateKeys, problems, ...(pasteDiagnosis ? { pasteDiagnosis } : {}) };
}

/**
 * MustGather items a text provides, looked for a slice (whole lines) at a time: the patterns are
 * line patterns, and twenty of them over 20 MiB at once would hold the event loop for 150 ms.
 */
async function gatheredFrom(diagnoser: Diagnoser, text: string): Promise<Set<string>> {
  const found = new Set<string>();
  await pushPaced({ push: (slice) => diagnoser.mustGather.fromText(slice).forEach((id) => found.add(id)) }, text, nextTurn);
  return found;
}
