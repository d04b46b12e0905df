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

/** Bytes decoded between two turns of the event loop (about 20 ms). */
const DECODE_SLICE = 4 * 1024 * 1024;

/** UTF-8 to text (invalid bytes become U+FFFD) a slice at a time: 32 MiB in one go is 150 ms of one turn. */
export async function decodeUtf8Paced(bytes: Uint8Array): Promise<string> {
  if (bytes.length <= DECODE_SLICE) return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += DECODE_SLICE) {
    await nextTurn();
    parts.push(decoder.decode(bytes.subarray(at, at + DECODE_SLICE), { stream: at + DECODE_SLICE < bytes.length }));
  }
  await nextTurn();
  return parts.join('');
}
