import { closeSync, openSync, readSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ReadTarget } from '../../rules/index.js';

// Reads part of a file straight into the scanner's chunk buffers (Scanner.reserve/commit). A read
// stream hands out a new buffer per read, which the scanner then copies: for a big log the fresh
// memory (page faults, zeroing) and the copy cost the process as much CPU as a third of the scan,
// work that competes with the other scanning thread on a small machine. The reads block (a 1 MB
// read from the page cache takes a fraction of a millisecond): an asynchronous one would first wait
// for libuv's thread pool to start, over 10 ms in a fresh process.

const READ_SIZE = 1024 * 1024;

/** What reads go into: a DiagnosisSession or a Scanner. */
export interface ByteSink {
  reserve(max: number): ReadTarget;
  commit(length: number): void;
}

/** The part of a file being read: `at` moves on as it is read; `end` may be moved back meanwhile. */
export interface ReadCursor {
  at: number;
  end: number;
}

/**
 * Reads bytes [range.at, range.end) of the file at `path`, in order, into `sink`. With
 * `yieldBetweenReads` (the main thread) the event loop gets a turn after each read, as with a
 * stream, and may move range.end back (read-log.ts does, when the worker thread takes the rest).
 */
export async function readRange(path: string, range: ReadCursor, sink: ByteSink, yieldBetweenReads: boolean): Promise<void> {
  const fd = openSync(path, 'r');
  try {
    while (range.at < range.end) {
      const { buffer, offset } = sink.reserve(READ_SIZE);
      const bytesRead = readSync(fd, buffer, offset, Math.min(READ_SIZE, range.end - range.at), range.at);
      sink.commit(bytesRead);
      if (bytesRead === 0) break; // the file was cut short since it was measured
      range.at += bytesRead;
      if (yieldBetweenReads) await nextTurn();
    }
  } finally {
    closeSync(fd);
  }
}
