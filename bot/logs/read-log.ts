import type { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { scanTablesOf, type Diagnosis, type DiagnosisSession, type Diagnoser } from '../../rules/index.js';
import { gunzipBounded, type InflateLimits } from '../inflate.js';
import { DEFAULT_INPUT_LIMITS } from '../input-limits.js';
import { binaryError, isGzip, looksBinary } from '../input.js';
import { readRange, type ReadCursor } from './read-range.js';
import { canSplit, isPlainTextFile, lineBreakAfter, LogScanWorker, type LogFile } from './split-log.js';

/** Left to read below this, a worker that comes up late is not given a part. */
const MIN_SHARE = 8 * 1024 * 1024;

export interface LogStreamOptions {
  /** The stream reads this regular file from its first byte: a big one may be split. */
  readonly file?: LogFile;
  /** A worker started early (LogScanWorker) to scan the second part; else one is started when needed. */
  readonly worker?: LogScanWorker;
  /** Told how a split went (where, and whether the worker thread scanned its part). */
  readonly onSplit?: (report: SplitReport) => void;
  /** Bounds on inflating a gzip log (input.maxInflatedBytes, input.maxInflateRatio). */
  readonly inflate?: InflateLimits;
}

export interface SplitReport {
  /** Offset where the second part starts. */
  readonly at: number;
  /** 'worker' when the worker thread scanned the second part, else why this thread did. */
  readonly scannedBy: 'worker' | `this thread: ${string}`;
}

/**
 * Diagnoses a log of any size from a byte stream with bounded memory: the stream is scanned chunk
 * by chunk; nothing holds the whole file. gzip is unpacked on the fly, within the inflated size and
 * ratio of `options.inflate` (a plain file has no such bound: it streams whatever its size). When the stream is a big
 * regular file read from its start (`file`), its second half is scanned by a worker thread
 * (split-log.ts) while this one reads the first.
 */
export async function diagnoseStream(source: Readable, diagnoser: Diagnoser, name: string, options: LogStreamOptions = {}): Promise<Diagnosis> {
  const { file } = options;
  const session = diagnoser.start();
  if (file && canSplit(file) && isPlainTextFile(file)) {
    // Both threads read the file by offset: the stream is not needed.
    source.destroy();
    return diagnoseInTwo(session, diagnoser, file, options);
  }
  const head = await readHead(source);
  if (head === null) return session.finish();
  // The head is handed on rather than unshifted back: unshift races the end of a one-chunk stream.
  async function* raw(): AsyncGenerator<Buffer> {
    yield head as Buffer;
    for await (const chunk of source) yield chunk as Buffer;
  }
  const text: AsyncIterable<Buffer> = isGzip(head) ? gunzipBounded(raw(), name, options.inflate ?? DEFAULT_INPUT_LIMITS) : raw();
  let first = true;
  try {
    for await (const chunk of text) {
      if (first) {
        first = false;
        if (looksBinary(chunk)) throw binaryError(name);
      }
      // Bytes go to the scanner as they are: it decodes only the lines it quotes (invalid UTF-8 in
      // them becomes U+FFFD), which is what keeps a big log near the speed of grep.
      session.pushBytes(chunk);
    }
  } catch (error) {
    source.destroy();
    throw error;
  }
  return session.finish();
}

/**
 * This thread reads the file from its start at once. When the worker thread is up, it takes the
 * second half of what is left (from a line break) and this thread stops there; the two scans are
 * then joined. A worker that is slow to start costs no waiting: this thread just reads more.
 */
async function diagnoseInTwo(session: DiagnosisSession, diagnoser: Diagnoser, file: LogFile, options: LogStreamOptions): Promise<Diagnosis> {
  const worker = options.worker ?? new LogScanWorker();
  const range: ReadCursor = { at: 0, end: file.size };
  let split: number | undefined;
  worker.whenReady(() => {
    if (file.size - range.at < MIN_SHARE) return; // not worth a second thread any more
    const at = lineBreakAfter(file, range.at + Math.floor((file.size - range.at) / 2));
    if (at === undefined) return;
    split = at;
    range.end = at;
    worker.scan({ path: file.path, from: at, to: file.size, tables: scanTablesOf(diagnoser.rules) });
  });
  try {
    await readRange(file.path, range, session, true);
    if (split === undefined) return await session.finish();
    let arrived = false;
    const joined = settle(worker.join(session.joinKeys())).finally(() => (arrived = true));
    // While the worker finishes, the rules run on what this part found (the engine keeps verdicts),
    // one set of facts per turn of the event loop, so that the worker's part is taken up once it comes.
    await session.evaluateSoFar(async () => {
      await nextTurn();
      return !arrived;
    });
    const part = await joined;
    options.onSplit?.({ at: split, scannedBy: part.ok ? 'worker' : `this thread: ${(part.error as Error).message}` });
    if (part.ok) return await session.finishJoined(part.value);
    // The worker could not scan its part (no thread to spare, out of memory...): this thread does.
    await readRange(file.path, { at: split, end: file.size }, session, true);
    return await session.finish();
  } finally {
    worker.stop();
  }
}

/** A promise that never rejects, so that an early failure of the worker is not an unhandled rejection. */
function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** The first chunk of a stream (null when it is empty); the caller unshifts it to read on. */
export function readHead(source: Readable): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      source.off('readable', onReadable);
      source.off('end', onEnd);
      source.off('error', onError);
    };
    const onReadable = (): void => {
      const chunk = source.read() as Buffer | null;
      if (chunk === null) return; // 'end' follows
      cleanup();
      resolve(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    source.on('readable', onReadable);
    source.once('end', onEnd);
    source.once('error', onError);
  });
}
