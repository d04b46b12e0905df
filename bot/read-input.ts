import type { Readable } from 'node:stream';
import { combineInput, type Diagnoser, type Diagnosis } from '../rules/index.js';
import { diagnoseCaptureInput } from './capture/input.js';
import { inspectDer, inspectText } from './certificates/inspect.js';
import type { ObserveOptions } from './certificates/observe.js';
import { derKind, hasPemCertificate } from './certificates/sniff.js';
import { TriageError } from './errors.js';
import { diagnoseExportInput } from './export/input.js';
import { binaryError, isGzip, looksBinary } from './input.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from './input-limits.js';
import { diagnoseStream, readHead, type LogStreamOptions } from './logs/read-log.js';
import { nextTurn } from './pause.js';

// `tls-triage diagnose FILE` takes a log, a certificate file, a packet capture (bot/capture) or a
// DataPower export (bot/export) and tells them apart by content. Only the first chunk is sniffed: a
// log goes on streaming exactly as before, and so does a capture; a certificate file (small by
// nature) is read whole, and if what looked like one turns out large it is streamed as a log after all.

/** Certificate files, even long chains or CA bundles, stay far below this. */
export const MAX_CERTIFICATE_INPUT = 1024 * 1024;

export interface InputDiagnosis {
  readonly diagnosis: Diagnosis;
  /** Certificate blocks that could not be read (the rest was still diagnosed). */
  readonly problems: readonly string[];
}

/**
 * `logStream` tells the log path what the stream is (a big regular file is scanned by two threads);
 * `limits` (config input) bound gzip and XML.
 */
export async function diagnoseInput(source: Readable, diagnoser: Diagnoser, name: string, certificates: ObserveOptions, logStream: LogStreamOptions = {}, limits: InputLimits = DEFAULT_INPUT_LIMITS): Promise<InputDiagnosis> {
  const head = await readHead(source);
  if (head === null) return { diagnosis: await diagnoser.start().finish(), problems: [] };
  const exported = await diagnoseExportInput(head, source, diagnoser, name, limits.xml);
  if (exported) return exported;
  const captured = await diagnoseCaptureInput(head, source, diagnoser, name);
  if (captured) return captured;
  const der = derKind(head, false) !== undefined;
  if (!der && (isGzip(head) || !hasPemCertificate(head))) {
    source.unshift(head);
    return { diagnosis: await diagnoseStream(source, diagnoser, name, { ...logStream, inflate: limits }), problems: [] };
  }
  const { bytes, complete } = await readUpTo(source, head, MAX_CERTIFICATE_INPUT);
  if (!complete) {
    source.unshift(bytes);
    return { diagnosis: await diagnoseStream(source, diagnoser, name, { ...logStream, inflate: limits }), problems: [] };
  }
  // A text that merely starts with bytes like a DER header ("00:..." is 0x30 0x30) is no certificate
  // once its whole length is known: it goes down the log path after all.
  if (der && derKind(bytes, true) === undefined) {
    if (looksBinary(bytes)) throw binaryError(name);
    return { diagnosis: await diagnoser.diagnoseText(decode(bytes), nextTurn), problems: [] };
  }
  if (der) {
    const inspection = inspectDer(bytes, certificates);
    if (!inspection?.observation) {
      const why = inspection?.problems.join('; ') || 'not a DER certificate or PKCS#7 bundle';
      throw new TriageError('INPUT_UNREADABLE', `${name} starts like a DER certificate but cannot be read: ${why}`);
    }
    return { diagnosis: await diagnoser.diagnoseCertificates(inspection.observation), problems: inspection.problems };
  }
  const text = decode(bytes);
  // Certificates with log lines around them (s_client -showcerts output, a paste saved to a file) are both.
  const log = await diagnoser.diagnoseText(text, nextTurn);
  const inspection = inspectText(text, certificates);
  if (!inspection?.observation) return { diagnosis: log, problems: inspection?.problems ?? [] };
  return { diagnosis: combineInput(log, await diagnoser.diagnoseCertificates(inspection.observation)), problems: inspection.problems };
}

/** Reads on from `head` until the stream ends or `limit` bytes are held (complete: false). */
async function readUpTo(source: Readable, head: Buffer, limit: number): Promise<{ bytes: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [head];
  let size = head.length;
  if (size > limit) return { bytes: head, complete: false };
  // destroyOnReturn: false, so that stopping at the limit leaves the rest in the stream for the log path.
  const rest = { [Symbol.asyncIterator]: () => source.iterator({ destroyOnReturn: false }) } as AsyncIterable<Buffer>;
  for await (const chunk of rest) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > limit) return { bytes: Buffer.concat(chunks), complete: false };
  }
  return { bytes: Buffer.concat(chunks), complete: true };
}

function decode(bytes: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}
