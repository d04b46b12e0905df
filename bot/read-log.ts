import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { scanTablesOf, type Diagnosis, type DiagnosisSession, type Diagnoser } from '../rules/index.js';
import { binaryError, isGzip, looksBinary } from './input.js';
import { readRange } from './read-range.js';
import { canSplit, LogScanWorker, splitPoint, type LogFile } from './split-log.js';

export interface LogStreamOptions {
  /** The stream reads this regular file from its first byte: a big one may be split. */
  readonly file?: LogFile;
  /** A worker started early (LogScanWorker) to scan the second part; else one is started when needed. */
  readonly worker?: LogScanWorker;
  /** Told how a split went (where, and whether the worker thread scanned its part). */
  readonly onSplit?: (report: SplitReport) => void;
}

export interface SplitReport {
  /** Offset where the second part starts. */
  readonly at: number;
  /** 'worker' when the worker thread scanned the second part, else why this thread did. */
  readonly scannedBy: 'worker' | `this thread: ${string}`;
}

/**
 * Diagnoses a log of any size from a byte stream with bounded memory: the stream is scanned chunk
 * by chunk (gzip is unpacked on the fly); nothing holds the whole file. When the stream is a big
 * regular file read from its start (`file`), its second half is scanned by a worker thread
 * (split-log.ts) while this one reads the first.
 */
export async function diagnoseStream(source: Readable, diagnoser: Diagnoser, name: string, options: LogStreamOptions = {}): Promise<Diagnosis> {
  const { file } = options;
  const session = diagnoser.start();
  const split = file && canSplit(file) ? splitPoint(file) : undefined;
  if (file && split !== undefined) {
    // Both threads read the file by offset: the stream is not needed.
    source.destroy();
    return diagnoseInTwo(session, diagnoser, file, split, options);
  }
  const head = await readHead(source);
  if (head === null) return session.finish();
  // The head is handed on rather than unshifted back: unshift races the end of a one-chunk stream.
  async function* raw(): AsyncGenerator<Buffer> {
    yield head as Buffer;
    for await (const chunk of source) yield chunk as Buffer;
  }
  let text: AsyncIterable<Buffer> = raw();
  if (isGzip(head)) {
    const gunzip = createGunzip();
    pipeline(Readable.from(raw()), gunzip, (error) => {
      if (error) gunzip.destroy(error);
    });
    text = gunzip;
  }
  let first = true;
  for await (const chunk of text) {
    if (first) {
      first = false;
      if (looksBinary(chunk)) {
        source.destroy();
        throw binaryError(name);
      }
    }
    // Bytes go to the scanner as they are: it decodes only the lines it quotes (invalid UTF-8 in
    // them becomes U+FFFD), which is what keeps a big log near the speed of grep.
    session.pushBytes(chunk);
  }
  return session.finish();
}

/** This thread scans bytes [0, split) of the file while a worker thread scans the rest; the scans are joined. */
async function diagnoseInTwo(session: DiagnosisSession, diagnoser: Diagnoser, file: LogFile, split: number, options: LogStreamOptions): Promise<Diagnosis> {
  const worker = options.worker ?? new LogScanWorker();
  try {
    worker.scan({ path: file.path, from: split, to: file.size, tables: scanTablesOf(diagnoser.rules) });
    await readRange(file.path, 0, split, session, true);
    const part = await settle(worker.join(session.joinKeys()));
    options.onSplit?.({ at: split, scannedBy: part.ok ? 'worker' : `this thread: ${(part.error as Error).message}` });
    if (part.ok) return await session.finishJoined(part.value);
    // The worker could not scan its part (no thread to spare, out of memory...): this thread does.
    await readRange(file.path, split, file.size, session, true);
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
