import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JoinKeys, ScanPart, ScanTables } from '../rules/index.js';
import { isGzip, looksBinary } from './input.js';

// A big log file is scanned by two threads: this one reads the first half, a worker thread the
// second, and the scans are joined (rules/scan.ts, endJoined) into what one scanner would have
// found. The search is a byte loop that one core runs at about grep's speed; the lines it finds
// cost as much again, and a second core halves the wait on a 100 MB log.

/** Below this a file is scanned in one go: a worker's start-up (tens of ms) would not pay. */
export const SPLIT_MIN_BYTES = 32 * 1024 * 1024;
/** How far past the middle a line break is looked for; a file without one there is not split. */
const MAX_LINE_SEEK = 8 * 1024 * 1024;
const SEEK_STEP = 64 * 1024;

/** A log read from a regular file, whose size was known when it was opened. */
export interface LogFile {
  readonly path: string;
  readonly size: number;
}

/** What the worker thread is given (structured clone). */
export interface LaterPartJob {
  readonly path: string;
  readonly from: number;
  readonly to: number;
  readonly tables: ScanTables;
}

const WORKER = new URL('./scan-worker.js', import.meta.url);

/**
 * Whether the worker can run here: it is compiled JavaScript (dist/), so when this module itself
 * runs from TypeScript sources (tsx, vitest) a log is scanned by one thread.
 */
export function canSplit(file: LogFile): boolean {
  return file.size >= SPLIT_MIN_BYTES && WORKER.protocol === 'file:' && existsSync(fileURLToPath(WORKER));
}

/**
 * A worker started ahead for `path` when it names a regular file big enough to be split (the CLI
 * calls this before loading the rules, so that the two start-ups overlap); undefined otherwise.
 * The caller stops it when done (it is unref'd until given a job, so an unused one never holds
 * the process).
 */
export function startWorkerFor(path: string): LogScanWorker | undefined {
  let size: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return undefined;
    size = stats.size;
  } catch {
    return undefined; // the open that follows reports the error
  }
  return canSplit({ path, size }) ? new LogScanWorker() : undefined;
}

/**
 * Where to split the file: just past the first line break at or after its middle. Undefined when
 * the file is not a plain text log (gzip, binary: those take the one-thread path, which unpacks or
 * refuses them) or has no line break there. Reads the file itself, so that the worker can be given
 * its job without waiting for the caller's stream.
 */
export function splitPoint(file: LogFile): number | undefined {
  // Blocking reads of two small blocks: the first asynchronous file operation of a process waits
  // for libuv's thread pool to start (over 10 ms), and the worker would wait for its job as long.
  const fd = openSync(file.path, 'r');
  try {
    const buffer = Buffer.alloc(SEEK_STEP);
    const head = buffer.subarray(0, readSync(fd, buffer, 0, SEEK_STEP, 0));
    if (isGzip(head) || looksBinary(head)) return undefined;
    const middle = Math.floor(file.size / 2);
    for (let at = middle; at < Math.min(file.size, middle + MAX_LINE_SEEK); at += SEEK_STEP) {
      const bytesRead = readSync(fd, buffer, 0, SEEK_STEP, at);
      if (bytesRead === 0) return undefined;
      const newline = buffer.subarray(0, bytesRead).indexOf(10);
      if (newline !== -1) return at + newline + 1 < file.size ? at + newline + 1 : undefined;
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Messages to the worker thread. */
export type ToScanWorker = { readonly kind: 'scan'; readonly job: LaterPartJob } | { readonly kind: 'join'; readonly keys: JoinKeys };

/**
 * A worker thread for the second part of a log. It can be started before the rules are loaded
 * (the CLI does, when it is given a big file), so that its start-up overlaps theirs.
 */
export class LogScanWorker {
  private readonly worker = new Worker(WORKER);
  private readonly result: Promise<ScanPart>;
  private stopped = false;

  constructor() {
    this.result = new Promise((resolve, reject) => {
      let part: ScanPart | undefined;
      this.worker.once('message', (message: ScanPart) => (part = message));
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => (part ? resolve(part) : reject(new Error(`log scan worker exited with code ${code} before its result`))));
    });
    // A worker that is never given a job must not keep the process alive (or fail it).
    this.result.catch(() => undefined);
    this.worker.unref();
  }

  /** Starts scanning bytes [from, to) of the file. */
  scan(job: LaterPartJob): void {
    this.worker.ref();
    this.worker.postMessage({ kind: 'scan', job } satisfies ToScanWorker);
  }

  /** Gives the first part's join keys and waits for the part's scan. */
  join(keys: JoinKeys): Promise<ScanPart> {
    this.worker.postMessage({ kind: 'join', keys } satisfies ToScanWorker);
    return this.result;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    void this.worker.terminate();
  }
}
