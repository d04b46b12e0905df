import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Diagnosis, Diagnoser } from '../rules/index.js';
import { binaryError, isGzip, looksBinary } from './input.js';

/**
 * Diagnoses a log of any size from a byte stream with bounded memory: the stream is decoded and
 * scanned chunk by chunk (gzip is unpacked on the fly); nothing holds the whole file.
 */
export async function diagnoseStream(source: Readable, diagnoser: Diagnoser, name: string): Promise<Diagnosis> {
  const session = diagnoser.start();
  const head = await readHead(source);
  if (head === null) return session.finish();
  source.unshift(head);
  let text: Readable = source;
  if (isGzip(head)) {
    const gunzip = createGunzip();
    text = pipeline(source, gunzip, (error) => {
      if (error) gunzip.destroy(error);
    });
  }
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let first = true;
  for await (const chunk of text as AsyncIterable<Buffer>) {
    if (first) {
      first = false;
      if (looksBinary(chunk)) {
        source.destroy();
        throw binaryError(name);
      }
    }
    session.push(decoder.decode(chunk, { stream: true }));
  }
  session.push(decoder.decode());
  return session.finish();
}

function readHead(source: Readable): Promise<Buffer | null> {
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
