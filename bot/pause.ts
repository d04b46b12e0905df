import { setImmediate } from 'node:timers/promises';
import type { Pause } from '../rules/index.js';

// Long work on one input (a 20 MiB paste, a capture of 300 000 packets, a big export) is done in
// slices with a turn of the event loop in between, so that no input holds up the others (and the
// chat platforms' acknowledgements) for more than a slice at a time.

/**
 * Resumes after the event loop has polled for I/O. Twice setImmediate: work that ran in the poll
 * phase (a thread-pool result, a socket's data) would otherwise go on in the same loop
 * iteration's check phase, with no I/O in between.
 */
export const nextTurn: Pause = async () => {
  await setImmediate();
  await setImmediate();
};

/**
 * Up to this many bytes are decoded in one call: decoding in slices costs a join of the parts,
 * which copies the whole text in one go anyway (about 4 ms per MiB either way).
 */
const DECODE_AT_ONCE = 32 * 1024 * 1024;
const DECODE_SLICE = 8 * 1024 * 1024;

/** UTF-8 to text (invalid bytes become U+FFFD), on a turn of its own; a huge input a slice at a time. */
export async function decodeUtf8Paced(bytes: Uint8Array): Promise<string> {
  await nextTurn();
  if (bytes.length <= DECODE_AT_ONCE) return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += DECODE_SLICE) {
    parts.push(decoder.decode(bytes.subarray(at, at + DECODE_SLICE), { stream: at + DECODE_SLICE < bytes.length }));
    await nextTurn();
  }
  return parts.join('');
}
