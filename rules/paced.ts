import type { Diagnosis } from './types.js';

// Long texts fed to the scanner a slice at a time, with the caller's pause in between: rules/
// does no I/O and knows no event loop, so the bot passes a function that lets its event loop
// turn (bot/pause.ts), and a 20 MiB paste never holds the loop for more than one slice.

/** Lets the caller's event loop turn; resolves when the work may go on. */
export type Pause = () => Promise<void>;

/** Characters scanned between two pauses (about 10 ms of scanning). */
export const SLICE_CHARS = 1024 * 1024;

interface TextSession {
  push(chunk: string): void;
  finish(endpointText?: string): Promise<Diagnosis>;
}

/**
 * Pushes `text` in slices that end at a line break where there is one, and never between the two
 * halves of a surrogate pair.
 */
export async function pushPaced(session: { push(chunk: string): void }, text: string, pause: Pause): Promise<void> {
  for (let from = 0; from < text.length; ) {
    const to = sliceEnd(text, from);
    session.push(text.slice(from, to));
    from = to;
    if (from < text.length) await pause();
  }
}

/** Where the slice of `text` that starts at `from` ends: after a line break where there is one, never inside a surrogate pair. */
export function sliceEnd(text: string, from: number, size = SLICE_CHARS): number {
  let to = Math.min(text.length, from + size);
  if (to < text.length) {
    const lineEnd = text.lastIndexOf('\n', to - 1);
    if (lineEnd >= from) to = lineEnd + 1;
    else if (isHighSurrogate(text.charCodeAt(to - 1))) to -= 1;
  }
  return to;
}

/**
 * A session whose pushes are only remembered; finish() scans them a slice at a time with pauses,
 * then finishes the real session. For callers that push whole texts synchronously
 * (logs/documents.ts).
 */
export function pacedSession<S extends TextSession>(inner: S, pause: Pause): TextSession {
  const queued: string[] = [];
  return {
    push: (chunk) => void queued.push(chunk),
    async finish(endpointText) {
      for (const chunk of queued.splice(0)) {
        await pushPaced(inner, chunk, pause);
        await pause();
      }
      return inner.finish(endpointText);
    },
  };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
