import { TriageError } from './errors.js';

// Pastes and uploads arrive as bytes of unknown kind. Text is decoded leniently (invalid UTF-8
// becomes U+FFFD rather than an error: logs are often mixed encodings); gzip is opened within
// bounds (inflate.ts); anything that looks binary is refused with a message instead of being fed
// to the rules as garbage.

const SNIFF_BYTES = 8192;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * True when the first bytes are mostly not text. Ratios, not "any NUL": nginx writes the raw bytes
 * of a TLS ClientHello sent to a plain port (NULs included) into an otherwise ordinary error log.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, SNIFF_BYTES);
  if (sample.length === 0) return false;
  let control = 0;
  let nul = 0;
  for (const byte of sample) {
    if (byte === 0) nul += 1;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f) control += 1;
  }
  if (nul / sample.length > 0.02 || control / sample.length > 0.15) return true;
  // Random bytes are mostly printable by that count but rarely valid UTF-8; mixed-encoding logs
  // have the odd invalid byte, not one in ten.
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(sample);
  let invalid = 0;
  for (let i = decoded.indexOf('\uFFFD'); i !== -1; i = decoded.indexOf('\uFFFD', i + 1)) invalid += 1;
  return invalid / decoded.length > 0.1;
}

export function binaryError(what: string): TriageError {
  return new TriageError(
    'INPUT_BINARY',
    `${what} looks binary, not log text. Paste or upload the log as text (a .log/.txt file, or .gz of one).`,
  );
}
