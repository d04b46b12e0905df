import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { removePrivateKeys, type Diagnoser, type Diagnosis } from '../rules/index.js';
import { sniffFileKind } from './file-kind.js';
import type { NewEvidence } from './store/types.js';
import type { Attachment, Message } from './types.js';

// Turns what a message carries (pasted text, attached files) into incident evidence: private keys
// cut out and counted, MustGather items recognised, and text with nothing TLS in it left out so
// chatter never enters an incident.

export interface CollectedEvidence {
  readonly records: NewEvidence[];
  /** Private key blocks or key files that were seen and dropped. */
  readonly privateKeys: number;
  /** Files that could not be used, with the reason (shown when the bot was addressed). */
  readonly problems: string[];
  /** The pasted text's own diagnosis (what a message outside any incident gets as reply). */
  readonly pasteDiagnosis?: Diagnosis;
}

export async function collectEvidence(message: Message, text: string, diagnoser: Diagnoser, maxBytes: number, at: string): Promise<CollectedEvidence> {
  const records: NewEvidence[] = [];
  const problems: string[] = [];
  let privateKeys = 0;
  const base = { user: message.user, at, ...(message.eventId ? { eventId: message.eventId } : {}) };

  const fromText = async (raw: string, kind: 'paste' | 'file', name?: string): Promise<Diagnosis | undefined> => {
    const redacted = removePrivateKeys(raw);
    privateKeys += redacted.removed;
    if (redacted.text.trim().length === 0) return undefined;
    const diagnosis = await diagnoser.diagnoseText(redacted.text);
    const gathered = new Set([...diagnoser.mustGather.fromText(redacted.text), ...diagnoser.mustGather.fromDiagnosis(diagnosis)]);
    const holdsEvidence = diagnosis.evidence.length > 0 || diagnosis.redHerringPresent || diagnosis.warnings.length > 0 || gathered.size > 0;
    if (holdsEvidence) {
      records.push({ ...base, kind, ...(name ? { name } : {}), text: redacted.text, bytes: Buffer.byteLength(raw), gathered: [...gathered] });
    }
    return diagnosis;
  };

  const pasteDiagnosis = text.trim().length > 0 ? await fromText(text, 'paste') : undefined;
  for (const file of message.files ?? []) {
    const outcome = readFile(file, maxBytes);
    if (outcome.kind === 'problem') problems.push(`${file.name}: ${outcome.reason}`);
    else if (outcome.kind === 'private-key') privateKeys += 1;
    else if (outcome.kind === 'text') await fromText(outcome.text, 'file', file.name);
    else {
      records.push({
        ...base,
        kind: 'file',
        name: file.name,
        base64: Buffer.from(file.bytes).toString('base64'),
        bytes: file.bytes.length,
        gathered: diagnoser.mustGather.fromFile(outcome.fileKind),
        sha256: createHash('sha256').update(file.bytes).digest('hex'),
      });
    }
  }
  return { records, privateKeys, problems, ...(pasteDiagnosis ? { pasteDiagnosis } : {}) };
}

type FileOutcome =
  | { kind: 'text'; text: string }
  | { kind: 'binary'; fileKind: Exclude<ReturnType<typeof sniffFileKind>, 'text' | 'gzip' | 'unknown-binary' | 'private-key'> }
  | { kind: 'private-key' }
  | { kind: 'problem'; reason: string };

function readFile(file: Attachment, maxBytes: number): FileOutcome {
  if (file.bytes.length > maxBytes) return { kind: 'problem', reason: `${file.bytes.length} bytes is over the ${maxBytes}-byte limit for chat uploads; use the CLI (tls-triage diagnose FILE)` };
  let bytes = file.bytes;
  let sniffed = sniffFileKind(bytes, file.name);
  if (sniffed === 'gzip') {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch {
      return { kind: 'problem', reason: 'not a valid gzip file, or it unpacks to more than the upload limit' };
    }
    sniffed = sniffFileKind(bytes, file.name.replace(/\.gz$/i, ''));
  }
  if (sniffed === 'private-key') return { kind: 'private-key' };
  if (sniffed === 'text') return { kind: 'text', text: new TextDecoder('utf-8', { fatal: false }).decode(bytes) };
  if (sniffed === 'unknown-binary' || sniffed === 'gzip') {
    return { kind: 'problem', reason: 'a binary file of a kind tls-triage does not read (it reads log text, .pcap/.pcapng captures, DER certificates and DataPower export zips)' };
  }
  return { kind: 'binary', fileKind: sniffed };
}
