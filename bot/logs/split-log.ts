import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JoinKeys, ScanPart, ScanTables } from '../../rules/index.js';
import { isGzip, looksBinary } from '../input.js';

// A big log file is scanned by two threads, and the scans are joined (rules/logs/scan.ts, endJoined)
// into what one scanner would have found. The search is a byte loop that one core runs at about
// grep's speed; the lines it finds cost as much again, and a second core halves the wait on a
// 100 MB log. This thread starts reading at once; when the worker thread is up (tens of ms), it
// takes the second half of what is left, from a line break (read-log.ts, diagnoseInTwo).

/** Below this a file is scanned in one go: a worker's start-up (tens of ms) would not pay. */
export const SPLIT_MIN_BYTES = 32 * 1024 * 1024;
/** How far past the chosen split point a line break is looked for; without one there, no split. */
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

/** Whether the file starts like a plain text log: gzip and binary files take the one-thread path, which unpacks or refuses them. */
export function isPlainTextFile(file: LogFile): boolean {
  return withFile(file, (fd, buffer) => {
    const head = buffer.subarray(0, readSync(fd, buffer, 0, SEEK_STEP, 0));
    return !isGzip(head) && !looksBinary(head);
  });
}

/** The offset just past the first line break at or after `from`; undefined when there is none near or it is the end. */
export function lineBreakAfter(file: LogFile, from: number): number | undefined {
  return withFile(file, (fd, buffer) => {
    for (let at = from; at < Math.min(file.size, from + MAX_LINE_SEEK); at += SEEK_STEP) {
      const bytesRead = readSync(fd, buffer, 0, SEEK_STEP, at);
      if (bytesRead === 0) return undefined;
      const newline = buffer.subarray(0, bytesRead).indexOf(10);
      if (newline !== -1) return at + newline + 1 < file.size ? at + newline + 1 : undefined;
    }
    return undefined;
  });
}

// Blocking reads of small blocks: the first asynchronous file operation of a process waits for
// libuv's thread pool to start (over 10 ms), and the worker would wait for its job as long.
function withFile<T>(file: LogFile, read: (fd: number, buffer: Buffer) => T): T {
  const fd = openSync(file.path, 'r');
  try {
    return read(fd, Buffer.alloc(SEEK_STEP));
  } finally {
    closeSync(fd);
  }
}

/** Messages to the worker thread. */
export type ToScanWorker = { readonly kind: 'scan'; readonly job: LaterPartJob } | { readonly kind: 'join'; readonly keys: JoinKeys };
/** Messages from the worker thread. */
export type FromScanWorker = { readonly kind: 'ready' } | { readonly kind: 'part'; readonly part: ScanPart };

/**
 * A worker thread for the second part of a log. It can be started before the rules are loaded
 * (the CLI does, when it is given a big file), so that its start-up overlaps theirs.
 */
export class LogScanWorker {
  // Set by the worker thread when it is up: read without waiting for its 'ready' message, which the
  // event loop delivers only once this thread yields (after synchronous work such as loading rules).
  private readonly readyFlag = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker = new Worker(WORKER, { workerData: this.readyFlag });
  private readonly result: Promise<ScanPart>;
  private ready = false;
  private onReady: (() => void) | undefined;
  private stopped = false;

  constructor() {
    this.result = new Promise((resolve, reject) => {
      // The part is taken as soon as it is posted: the thread's exit comes some milliseconds later.
      this.worker.on('message', (message: FromScanWorker) => (message.kind === 'part' ? resolve(message.part) : this.becomeReady()));
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`log scan worker exited with code ${code} before its result`)));
    });
    // A worker that is never given a job must not keep the process alive (or fail it).
    this.result.catch(() => undefined);
    this.worker.unref();
  }

  /** Calls `callback` once the worker is up: now if it is, else from the event loop when it says so. */
  whenReady(callback: () => void): void {
    if (Atomics.load(this.readyFlag, 0) === 1) this.ready = true;
    if (this.ready) callback();
    else this.onReady = callback;
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
    this.onReady = undefined;
    void this.worker.terminate();
  }

  private becomeReady(): void {
    if (this.ready) return; // whenReady saw the flag first
    this.ready = true;
    const callback = this.onReady;
    this.onReady = undefined;
    if (!this.stopped) callback?.();
  }
}
