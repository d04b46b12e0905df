import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Diagnosis, Diagnoser } from '../rules/index.js';
import { binaryError, isGzip, looksBinary } from './input.js';

/**
 * Diagnoses a log of any size from a byte stream with bounded memory: the stream is scanned chunk
 * by chunk (gzip is unpacked on the fly); nothing holds the whole file.
 */
export async function diagnoseStream(source: Readable, diagnoser: Diagnoser, name: string): Promise<Diagnosis> {
  const session = diagnoser.start();
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
