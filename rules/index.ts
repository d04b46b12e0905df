import { BUILTIN_RULE_FILES } from './engine/builtin.js';
import { diagnoseScan } from './logs/diagnose.js';
import { createRuleEngine, type RuleEngine } from './engine/rule-engine.js';
import { loadRuleSet, type RuleFileInput, type RuleSet } from './engine/load.js';
import { createScanner, type JoinKeys, type ReadTarget, type ScanPart } from './logs/scan.js';
import { diagnoseProbe } from './probe/diagnose.js';
import { LIVE_CHECK_RULE_FILES } from './probe/catalog.js';
import { diagnoseCertificates } from './certificates/diagnose.js';
import { diagnoseCapture, type CaptureDiagnosis } from './capture/diagnose.js';
import type { CaptureObservation } from './capture/types.js';
import { diagnoseExport } from './export/diagnose.js';
import type { ExportDiagnosis, ExportObservation } from './export/signals.js';
import { diagnoseDocuments, type TextDocument } from './logs/documents.js';
import { loadMustGather, type MustGather } from './mustgather.js';
import type { CertificateDiagnosis, CertificateObservation } from './certificates/signals.js';
import type { ProbeDiagnosis, ProbeObservation } from './probe/signals.js';
import { pacedSession, pushPaced, type Pause } from './paced.js';
import { diagnoseListen } from './listen/diagnose.js';
import type { ListenDiagnosis, ListenObservation } from './listen/signals.js';
import type { Diagnosis } from './types.js';

export { RuleFileError, type RuleFileInput, type RuleSet } from './engine/load.js';
export { RED_HERRING_SIGNAL } from './logs/diagnose.js';
export { hostOf } from './host-port.js';
export { combineDiagnoses, combineInput, type CaptureEvidence, type CertificateEvidence, type ListenEvidence, type ProbeEvidence } from './combine.js';
export { removePrivateKeys, PRIVATE_KEY_PLACEHOLDER, type KeyRedaction } from './secrets.js';
export { FILE_KINDS, loadMustGather, type ChecklistEntry, type FileKind, type MustGather, type MustGatherItem } from './mustgather.js';
export type { TextDocument } from './logs/documents.js';
export { pushPaced, sliceEnd, type Pause } from './paced.js';
export type { EmulatedVerdict, ProbeDiagnosis, ProbeFinding, ProbeObservation, ProbedProtocol } from './probe/signals.js';
export type { ListenConnectionFacts, ListenDiagnosis, ListenObservation, ListenOutcome } from './listen/signals.js';
export { certificateSignals, effectiveRole, CERTIFICATE_SIGNALS, CERTIFICATE_CONTEXT_SIGNALS } from './certificates/signals.js';
export type { CertificateDetail, CertificateDiagnosis, CertificateObservation, CertificateRole, CertificateWeakness, ChainFacts } from './certificates/signals.js';
export type { Alternative, Diagnosis, DiagnosisContext, Endpoint, EvidenceLine, OtherCause, Warning } from './types.js';
export { EXPORT_PROTOCOLS, EXPORT_SIGNALS, TLS_OBJECT_CLASSES, enabledProtocols, exportSignals } from './export/signals.js';
export type { ClientAuthSettings, DiagnosisWithExport, ExportDiagnosis, ExportObservation, ExportProtocol, ExportReference, ExportReferrer, ExportSetting, ExportTlsObject, TlsObjectClass } from './export/signals.js';
export { adviseFromExport, type ExportAdvice } from './export/advice.js';
export { combineExportInput, combineWithExports, type ExportEvidence } from './export/combine.js';
export { CAPTURE_ALERTS, CAPTURE_CONTEXT_SIGNALS, CAPTURE_SIGNALS, connectionSignals, serverKnowledge } from './capture/signals.js';
export type { CaptureCauseCount, CaptureDiagnosis, CaptureSummary } from './capture/diagnose.js';
export type { LadderEntry, LadderStep } from './capture/ladder.js';
export type { CaptureConnection, CaptureGroup, CaptureObservation, CaptureSide, CaptureStep, CaptureStepKind, CertificateName } from './capture/types.js';
export * from './vocabulary.js';
export type { JoinKeys, ReadTarget, ScanPart } from './logs/scan.js';
export { scanTablesOf, type ScanTables } from './logs/scan-rules.js';

/** Incremental diagnosis of a stream of text (a log file read chunk by chunk). */
export interface DiagnosisSession {
  push(chunk: string): void;
  /** Raw UTF-8 bytes of a log (a file or a stream): the fast path, nothing is decoded but hit lines. */
  pushBytes(chunk: Uint8Array): void;
  /** pushBytes without a copy: a reader reads at most `max` bytes into the target, then commits how many. */
  reserve(max: number): ReadTarget;
  commit(length: number): void;
  /**
   * Ends the scan and diagnoses. `endpointText`: the whole text of a paste, searched for the endpoint
   * it names (a URL on a line of its own) when the evidence lines name none.
   */
  finish(endpointText?: string): Promise<Diagnosis>;
  /** After the first part of a log split at a line break: what the scan of the rest may join. */
  joinKeys(): JoinKeys;
  /**
   * Runs the rules on what was found so far (their verdicts are kept), to use the wait for the other
   * part: one set of facts at a time, asking `goOn` in between (the caller lets its event loop turn
   * there, and says stop once the other part has come).
   */
  evaluateSoFar(goOn: () => Promise<boolean>): Promise<void>;
  /** Ends a session that read the first part of a log split at a line break; `later` is the scan of the rest. */
  finishJoined(later: ScanPart): Promise<Diagnosis>;
}

export interface Diagnoser {
  readonly rules: RuleSet;
  /** With `pause`, the text is scanned a slice at a time and `pause` awaited in between. */
  diagnoseText(text: string, pause?: Pause): Promise<Diagnosis>;
  /** Several texts of one incident diagnosed together; evidence lines name their document. */
  diagnoseDocuments(documents: readonly TextDocument[], pause?: Pause): Promise<Diagnosis>;
  start(): DiagnosisSession;
  /** The MustGather checklist (IBM's list for SSL handshake failures) and how to recognise its items. */
  readonly mustGather: MustGather;
  /** A live probe's findings through the same rules. */
  diagnoseProbe(observation: ProbeObservation): Promise<ProbeDiagnosis>;
  /** Certificates read from a paste or a file (bot/certificates) through the same rules. */
  diagnoseCertificates(observation: CertificateObservation): Promise<CertificateDiagnosis>;
  /** A packet capture's connections (bot/capture) through the same rules, with a handshake ladder per failing kind of connection. */
  diagnoseCapture(observation: CaptureObservation): Promise<CaptureDiagnosis>;
  /** A DataPower domain export read by bot/export: warnings and a summary (a configuration shows no failure). */
  diagnoseExport(observation: ExportObservation): Promise<ExportDiagnosis>;
  /** What a listener saw of clients (bot/listen) through the same rules. */
  diagnoseListen(observation: ListenObservation): Promise<ListenDiagnosis>;
}

/**
 * Builds a diagnoser from the built-in catalog plus extra rule files (an ops team's own).
 * Throws RuleFileError naming every bad file and field: a bad file must stop start-up.
 */
export function createDiagnoser(extraFiles: readonly RuleFileInput[] = []): Diagnoser {
  const rules = loadRuleSet([...BUILTIN_RULE_FILES, ...LIVE_CHECK_RULE_FILES, ...extraFiles]);
  const engine: RuleEngine = createRuleEngine(rules);
  const mustGather = loadMustGather();
  const start = (): DiagnosisSession => {
    const scanner = createScanner(rules);
    return {
      push: (chunk) => scanner.push(chunk),
      pushBytes: (chunk) => scanner.pushBytes(chunk),
      reserve: (max) => scanner.reserve(max),
      commit: (length) => scanner.commit(length),
      finish: (endpointText) => diagnoseScan(scanner.end(), engine, rules, endpointText),
      joinKeys: () => scanner.joinKeys(),
      evaluateSoFar: async (goOn) => {
        for (const facts of scanner.factsSoFar()) {
          await engine.evaluate(facts);
          if (!(await goOn())) return;
        }
      },
      finishJoined: (later) => diagnoseScan(scanner.endJoined(later), engine, rules),
    };
  };
  return {
    rules,
    start,
    async diagnoseText(text, pause) {
      const session = start();
      if (pause) await pushPaced(session, text, pause);
      else session.push(text);
      return session.finish(text);
    },
    diagnoseDocuments: (documents, pause) => diagnoseDocuments(pause ? () => pacedSession(start(), pause) : start, documents),
    diagnoseProbe: (observation) => diagnoseProbe(observation, engine),
    diagnoseCertificates: (observation) => diagnoseCertificates(observation, engine),
    diagnoseCapture: (observation) => diagnoseCapture(observation, engine),
    diagnoseExport: (observation) => diagnoseExport(observation, engine),
    diagnoseListen: (observation) => diagnoseListen(observation, engine),
    mustGather,
  };
}

/** Validates rule files without building anything else (`tls-triage rules check DIR`). */
export function checkRuleFiles(files: readonly RuleFileInput[]): RuleSet {
  return loadRuleSet([...BUILTIN_RULE_FILES, ...LIVE_CHECK_RULE_FILES, ...files]);
}
