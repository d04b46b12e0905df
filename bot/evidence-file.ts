import { TriageError } from './errors.js';
import { sniffFileKind } from './file-kind.js';
import { gunzipUpload } from './inflate.js';
import type { InputLimits } from './input-limits.js';
import { decodeUtf8Paced } from './pause.js';
import type { Attachment } from './types.js';

// What an attached file is, by content: text (a log, PEM, XML), a binary kind tls-triage reads, a
// private key (never kept), or a problem to tell the user. gzip is opened first, within the chat
// limit and the inflate ratio.

export type FileOutcome =
  | { kind: 'text'; text: string }
  | { kind: 'binary'; fileKind: Exclude<ReturnType<typeof sniffFileKind>, 'text' | 'gzip' | 'unknown-binary' | 'private-key'>; bytes: Uint8Array }
  | { kind: 'private-key' }
  | { kind: 'problem'; reason: string };

export async function readFile(file: Attachment, limits: InputLimits): Promise<FileOutcome> {
  const { maxChatBytes } = limits;
  if (file.bytes.length > maxChatBytes) return { kind: 'problem', reason: `${file.bytes.length} bytes is over the ${maxChatBytes}-byte limit for chat uploads; use the CLI (tls-triage diagnose FILE)` };
  let bytes = file.bytes;
  let sniffed = sniffFileKind(bytes, file.name);
  if (sniffed === 'gzip') {
    try {
      bytes = await gunzipUpload(bytes, 'it', { maxInflatedBytes: Math.min(maxChatBytes, limits.maxInflatedBytes), maxInflateRatio: limits.maxInflateRatio });
    } catch (error) {
      if (error instanceof TriageError) return { kind: 'problem', reason: error.message };
      throw error;
    }
    sniffed = sniffFileKind(bytes, file.name.replace(/\.gz$/i, ''));
  }
  if (sniffed === 'private-key') return { kind: 'private-key' };
  if (sniffed === 'text') return { kind: 'text', text: await decodeUtf8Paced(bytes) };
  if (sniffed === 'unknown-binary' || sniffed === 'gzip') {
    return { kind: 'problem', reason: 'a binary file of a kind tls-triage does not read (it reads log text, .pcap/.pcapng captures, DER certificates and DataPower export zips)' };
  }
  return { kind: 'binary', fileKind: sniffed, bytes };
}
